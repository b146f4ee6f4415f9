"""The cube has no primary key (migration 5, for write speed): its cells must still be unique."""

from __future__ import annotations

from pathlib import Path

from jingxin.indicators import compute_cube
from jingxin.store import Store


def test_each_cell_once(demo_store: Store) -> None:
    n = demo_store.con.execute("select count(*) from cube").fetchall()[0][0]
    dup = demo_store.con.execute(
        "select count(*) from (select period, region_code, group_key, measure "
        "from cube group by all having count(*) > 1)"
    ).fetchall()[0][0]
    assert n > 0
    assert dup == 0


def test_recompute_replaces_rather_than_appends(tmp_path: Path) -> None:
    from jingxin.demo.targets import load_targets
    from tests.conftest import build_demo_store

    store = build_demo_store(tmp_path / "t.duckdb", load_targets())
    try:
        before = store.con.execute("select count(*) from cube").fetchall()[0][0]
        compute_cube(store, 2016)
        after = store.con.execute("select count(*) from cube").fetchall()[0][0]
        assert after == before
        dup = store.con.execute(
            "select count(*) from (select period, region_code, group_key, measure "
            "from cube group by all having count(*) > 1)"
        ).fetchall()[0][0]
        assert dup == 0
    finally:
        store.close()
