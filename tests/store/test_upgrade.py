"""Every released schema version upgrades to the current one with nothing lost.

``tests/data/stores/vN/`` is the store as version N's migrations made it, with a few rows
in the main tables, kept as a backup folder (``tests/data/stores/make_fixtures.py``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pytest

from jingxin.store import SCHEMA_VERSION, Store
from jingxin.store.audit import next_id
from jingxin.store.backup import restore, verify
from jingxin.store.schema import MIGRATIONS

FIXTURES = Path(__file__).parents[1] / "data" / "stores"
VERSIONS = [pytest.param(v, id=f"v{v}") for v, _, _ in MIGRATIONS]

# The seeded rows, by the columns every version has (version 1's).
SEEDED = {
    "source_file": "id, kind, name, sha256, period, rows, loaded_at, loaded_by",
    "enterprise": "uscc, name, region_code, platform, industry_code, industry_edition, "
    "founded, land_mu, flags, source_file_id, source_row",
    "monthly_fact": "uscc, period, gross_output, gross_output_prior, value_added, "
    "value_added_prior, taxes, employees, source_file_id, source_row",
    "cube": "period, region_code, group_key, measure, n_enterprises, value, prior, growth_pct",
    "audit_log": "*",
    "evaluation_run": "*",
}


def _import(fixture: Path, path: Path) -> None:
    con = duckdb.connect(str(path))
    con.execute(f"import database '{fixture}'")
    con.close()


def _rows(con: duckdb.DuckDBPyConnection, tables: dict[str, str]) -> dict[str, list[Any]]:
    present = {
        r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()
    }
    return {
        t: con.execute(f"select {cols} from {t} order by all").fetchall()  # noqa: S608
        for t, cols in tables.items()
        if t in present
    }


def test_every_released_version_has_a_fixture() -> None:
    for version, _, _ in MIGRATIONS:
        assert verify(FIXTURES / f"v{version}").schema_version == version


@pytest.mark.parametrize("version", VERSIONS)
def test_each_version_upgrades_with_nothing_lost(tmp_path: Path, version: int) -> None:
    path = tmp_path / "old.duckdb"
    _import(FIXTURES / f"v{version}", path)
    old = duckdb.connect(str(path), read_only=True)
    assert old.execute("select max(version) from schema_version").fetchall() == [(version,)]
    before = _rows(old, SEEDED)
    counts = {t: len(_rows(old, {t: "*"})[t]) for t in verify(FIXTURES / f"v{version}").tables}
    old.close()
    assert all(before[t] for t in before)  # the fixture has rows in every seeded table
    assert ("evaluation_run" in before) == (version >= 4)

    store = Store(path)  # migrates
    assert store.schema_version() == SCHEMA_VERSION
    assert _rows(store.con, {t: SEEDED[t] for t in before}) == before
    for table, n in counts.items():
        now = len(_rows(store.con, {table: "*"})[table])
        if table in ("schema_version", "id_counter"):  # later migrations add their rows
            assert now >= n, table
        else:
            assert now == n, table
    with store.transaction() as con:  # the id counter knows the ids already stored
        assert next_id(con, "source_file") == 3
    store.close()


@pytest.mark.parametrize("version", VERSIONS)
def test_a_backup_of_each_version_restores_to_the_current_schema(
    tmp_path: Path, version: int
) -> None:
    done = restore(FIXTURES / f"v{version}", tmp_path / "store.duckdb", actor="测试")
    assert done.manifest.schema_version == version
    assert done.schema_version == SCHEMA_VERSION
    store = Store(done.path, read_only=True)
    assert store.arrow("select count(*) as n from monthly_fact").to_pylist() == [{"n": 3}]
    store.close()
