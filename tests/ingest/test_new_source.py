"""The worked example of ``docs/ingest.md`` (a one-to-one source: one migration, one module)
imports: its template loads, a duplicate key is refused, and the rows are read under a
county scope. It runs in a child process because it adds a migration to the schema."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

CHILD = '''
import sys
from pathlib import Path

import jingxin.store.db as db
import jingxin.store.lookups as lookups
import jingxin.store.schema as schema

schema.MIGRATIONS.append((schema.SCHEMA_VERSION + 1, "patents", """
CREATE TABLE patent_count (
    uscc VARCHAR NOT NULL,
    year INTEGER NOT NULL,
    invention INTEGER,
    utility INTEGER,
    source_file_id INTEGER NOT NULL, source_row INTEGER NOT NULL, source_sheet VARCHAR,
    PRIMARY KEY (uscc, year)
);"""))
db.SCHEMA_VERSION = schema.SCHEMA_VERSION = schema.MIGRATIONS[-1][0]
lookups.LOADABLE_TABLES = db.LOADABLE_TABLES = (*lookups.LOADABLE_TABLES, "patent_count")

import jingxin.ingest.kinds as kinds
from jingxin.ingest import import_file, write_template
from jingxin.ingest.kinds.common import NAME, USCC
from jingxin.ingest.kinds.one_to_one import one_to_one
from jingxin.ingest.schemas import Column, Kind
from jingxin.store import Scope, Store

kinds.KINDS["patents"] = Kind(
    "patents",
    "专利授权",
    "市场监管局",
    (
        USCC,
        NAME,
        Column("year", "年度", ("年份",), type="year"),
        Column("invention", "发明专利授权数", ("发明专利",), type="int", minimum=0),
        Column("utility", "实用新型授权数", ("实用新型",), type="int", minimum=0),
    ),
    one_to_one("patent_count"),
    tables=("patent_count",),
    period="year",
    example={"uscc": "91330502MA2B00000N", "year": 2016, "invention": 3, "utility": 12},
)
base = Path(sys.argv[1])
store = Store(base / "s.duckdb")
print(import_file(store, "register", write_template("register", base / "r.xlsx")).status)
print(import_file(store, "patents", write_template("patents", base / "p.xlsx")).status)
dup = base / "p.csv"
dup.write_text(
    "统一社会信用代码,年度,发明专利,实用新型\\n"
    + "91330502MA2B00000N,2017,1,2\\n" * 2,
    encoding="utf-8",
)
print(",".join(i.reason.value for i in import_file(store, "patents", dup).issues))
rows = store.run(store.table("patent_count", Scope.of("330502"))).to_pylist()
print([(r["year"], r["invention"], r["utility"]) for r in rows])
store.close()
'''


def test_worked_example_of_a_new_source(tmp_path: Path) -> None:
    src = Path(__file__).parents[2] / "src"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(src), os.environ.get("PYTHONPATH", "")]),
    }
    out = subprocess.run(  # noqa: S603
        [sys.executable, "-c", CHILD, str(tmp_path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == ["loaded", "loaded", "duplicate", "[(2016, 3, 12)]"]
