"""Make the store of every released schema version, as a backup folder per version.

Each ``vN/`` is ``jingxin backup`` of a fresh DuckDB file made by the migrations of that
time (``MIGRATIONS[:N]``, with the regions migration 1 seeds) plus a few rows in the main
tables: ``source_file``, ``enterprise``, ``monthly_fact``, ``cube``, ``audit_log``, and
``evaluation_run`` from version 4 on. A DuckDB file is about 2 MB even when nearly empty;
its export is about 30 KB, and it freezes the schema as that version created it.
``tests/store/test_upgrade.py`` imports each and checks that ``Store(path)`` upgrades it
with nothing lost.

Run it when a migration is added (the new version gets its folder; earlier folders are
released and must not change): ``PYTHONPATH=src python tests/data/stores/make_fixtures.py``.
Existing folders are kept unless ``--force`` is given.
"""

from __future__ import annotations

import sys
import tempfile
from datetime import datetime
from pathlib import Path

import duckdb

from jingxin.reference import regions
from jingxin.store import Store
from jingxin.store.backup import backup
from jingxin.store.schema import MIGRATIONS

HERE = Path(__file__).parent
AT = datetime(2017, 1, 15, 9, 30)  # every timestamp of the seeded rows
ENTERPRISES = [
    ("91330502MA28C1XJ7K", "湖州示例纺织有限公司", "330502", "吴兴区", "1711", ["textile"]),
    ("91330522MA29D2YL5R", "长兴示例电池有限公司", "330522", None, "3841", ["new_energy"]),
]


def _seed(con: duckdb.DuckDBPyConnection, version: int) -> None:
    con.executemany(
        "insert into source_file (id, kind, name, sha256, period, rows, loaded_at, loaded_by) "
        "values (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            [1, "register", "企业名录.xlsx", "a" * 64, None, 2, AT, "张三"],
            [2, "stats_monthly", "2016年12月规上工业.xlsx", "b" * 64, "2016-12", 3, AT, "李四"],
        ],
    )
    con.executemany(
        "insert into enterprise (uscc, name, region_code, platform, industry_code, "
        "industry_edition, founded, land_mu, flags, source_file_id, source_row) "
        "values (?, ?, ?, ?, ?, '2017', date '2008-03-01', ?, ?, 1, ?)",
        [[u, n, r, p, i, 30.5 + k, f, k + 1] for k, (u, n, r, p, i, f) in enumerate(ENTERPRISES)],
    )
    con.executemany(
        "insert into monthly_fact (uscc, period, gross_output, gross_output_prior, value_added, "
        "value_added_prior, taxes, employees, source_file_id, source_row) "
        "values (?, ?, ?, ?, ?, ?, ?, ?, 2, ?)",
        [
            [ENTERPRISES[0][0], "2016-11", 10234.5, 9876.25, 2100.125, 2001.0, 310.0, 412, 1],
            [ENTERPRISES[0][0], "2016-12", 11420.75, 10880.0, 2350.5, 2230.0, None, 415, 2],
            [ENTERPRISES[1][0], "2016-12", 50311.0, 41200.5, 9800.0, 8150.25, 1290.5, 1203, 3],
        ],
    )
    con.executemany(
        "insert into cube (period, region_code, region_level, group_key, measure, "
        "n_enterprises, value, prior, growth_pct) values (?, ?, ?, 'all', ?, ?, ?, ?, ?)",
        [
            ["2016-12", "330500", "city", "value_added", 2, 12150.5, 10380.25, 17.05],
            ["2016-12", "330522", "county", "value_added", 1, 9800.0, 8150.25, 20.24],
        ],
    )
    con.execute(
        "insert into audit_log values (?, '李四', 'correct: 更正从业人员', 'monthly_fact', "
        '\'{"uscc": "91330502MA28C1XJ7K", "period": "2016-12"}\', '
        "'{\"employees\": 405}', '{\"employees\": 415}')",
        [AT],
    )
    if version >= 4:
        con.execute(
            "insert into evaluation_run (id, year, version, status, method_name, method_source, "
            "method_text, method_canonical, method_sha256, inputs_sha256, created_at, "
            "created_by) values (1, 2016, 1, 'draft', '湖州市亩均效益评价', 'default', "
            "'name = \"湖州市亩均效益评价\"', '{}', ?, ?, ?, '王五')",
            ["c" * 64, "d" * 64, AT],
        )
    if version >= 6:  # the ids came from the allocator (migration 6)
        con.execute("update id_counter set last = 2 where name = 'source_file'")
        con.execute("update id_counter set last = 1 where name = 'evaluation_run'")


def make_store(path: Path, version: int) -> None:
    """A store file at schema ``version``, made as the migrations of that time made it."""
    con = duckdb.connect(str(path))
    con.execute(
        "create table schema_version (version integer primary key, name varchar, "
        "applied_at timestamp)"
    )
    for number, name, ddl in MIGRATIONS[:version]:
        con.execute(ddl)
        if number == 1:
            rows = [(r.code, r.name, r.level, r.parent) for r in regions().values()]
            con.executemany("insert into region values (?, ?, ?, ?)", rows)
        con.execute("insert into schema_version values (?, ?, ?)", [number, name, AT])
    _seed(con, version)
    con.close()


def main(force: bool = False) -> None:
    """Write ``vN/`` for every released version that has no folder yet (all with ``force``)."""
    import shutil

    for version, _, _ in MIGRATIONS:
        dest = HERE / f"v{version}"
        if dest.exists() and not force:
            continue
        shutil.rmtree(dest, ignore_errors=True)
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"store-v{version}.duckdb"
            make_store(path, version)
            store = Store(path, read_only=True)  # read-only: opened without migrating
            try:
                backup(store, dest)
            finally:
                store.close()
        print(f"wrote {dest.relative_to(HERE)}")  # noqa: T201


if __name__ == "__main__":
    main(force="--force" in sys.argv[1:])
