"""Fresh numbers (issue #11): every change of inputs leaves the cube stale until refreshed,
the refresh recomputes only the touched months, and the result equals a full rebuild."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from jingxin.errors import DataError
from jingxin.indicators import compute_cube, ensure_fresh, read_cube, refresh, stale_years
from jingxin.store import Store, versions
from tests.factories import COUNTIES, Dataset, table
from tests.indicators.cells import assert_same_cells, tiny_tables

YEAR = 2016


def _loaded(path: str) -> Store:
    store = Store(path)
    store.load("test", "all", {k: v for k, v in tiny_tables().items() if k != "region"})
    return store


def test_a_loaded_year_is_stale_until_refreshed(tmp_path: Path) -> None:
    store = _loaded(str(tmp_path / "s.duckdb"))
    years = [YEAR - 2, YEAR - 1, YEAR]  # the tiny data set holds three years
    assert [(s.year, s.computed) for s in stale_years(store)] == [(y, False) for y in years]
    with pytest.raises(DataError, match="尚未计算.*jingxin refresh"):
        ensure_fresh(store, YEAR)
    done = refresh(store)
    assert [d.year for d in done] == years
    assert stale_years(store) == []
    ensure_fresh(store, YEAR)
    assert versions.derived_version(store, "cube", YEAR) == versions.data_version(store)
    assert refresh(store) == []  # nothing to do twice


def test_a_correction_refreshes_from_its_month_and_equals_a_full_rebuild(tmp_path: Path) -> None:
    store = _loaded(str(tmp_path / "s.duckdb"))
    refresh(store)
    facts = store.arrow("select uscc, period, gross_output from monthly_fact order by all")
    row = facts.filter(pc.equal(facts["period"], f"{YEAR}-06")).to_pylist()[0]
    store.correct(
        "monthly_fact",
        {"uscc": row["uscc"], "period": row["period"]},
        {"gross_output": row["gross_output"] + 500},
        actor="analyst",
        reason="统计局更正",
    )
    [s] = stale_years(store)  # 2016 only: no later year depends on it
    assert (s.year, s.first_month, s.computed) == (YEAR, 6, True)
    with pytest.raises(DataError, match="数据变动"):
        ensure_fresh(store, YEAR)

    [done] = refresh(store)
    assert done.months[0] == 6 and 1 not in done.months
    assert stale_years(store) == []
    incremental = read_cube(store, YEAR)
    compute_cube(store, YEAR)
    assert_same_cells(incremental, read_cube(store, YEAR))


def test_a_change_of_other_tables_leaves_the_cube_fresh(tmp_path: Path) -> None:
    store = _loaded(str(tmp_path / "s.duckdb"))
    refresh(store)
    store.load(
        "test",
        "pools",
        {
            "pool_member": store.arrow(
                "select * exclude (source_file_id, source_row, source_sheet) from pool_member"
            )
        },
    )
    assert stale_years(store) == []


def test_as_of_names_the_latest_active_file(tmp_path: Path) -> None:
    store = _loaded(str(tmp_path / "s.duckdb"))
    assert "最近入库的文件为“all”" in versions.as_of_sentence(store)


def test_a_later_month_after_a_gap_computes_the_months_between(tmp_path: Path) -> None:
    """Found by the stateful test: January, then July — electricity's year-to-date cells of
    February to June are new and must be computed too."""
    tables = {k: v for k, v in tiny_tables().items() if k != "region"}
    store = Store(str(tmp_path / "s.duckdb"))
    monthly = ("monthly_fact", "electricity", "price_index", "peer_figure", "reported_value")

    def month(m: int) -> dict[str, pa.Table]:
        return {
            k: (t.filter(pc.equal(t["period"], f"{YEAR}-{m:02d}")) if k in monthly else t)
            for k, t in tables.items()
        }

    store.load("test", "一月", month(1), period=f"{YEAR}-01")
    refresh(store)
    store.load(
        "test", "七月", {k: v for k, v in month(7).items() if k in monthly}, period=f"{YEAR}-07"
    )
    refresh(store)
    incremental = read_cube(store, YEAR)
    compute_cube(store, YEAR)
    assert_same_cells(incremental, read_cube(store, YEAR))


def test_electricity_later_than_its_last_cell_computes_the_months_between() -> None:
    """Found by the stateful test: the statistics of February to April are in the cube and
    the grid's February file; then the grid's April file comes — electricity's year-to-date
    cell of March is new (carried from February) though March was computed."""
    d = Dataset()
    firm = d.firm(1, COUNTIES[0], "1711", above=(YEAR,))
    for m in (2, 3, 4):
        d.fact(firm, f"{YEAR}-{m:02d}", gross_output=100 * m, gross_output_prior=90 * m)
    d.kwh(firm, f"{YEAR}-02", 5)
    store = d.store()
    refresh(store)
    store.load(
        "test",
        "四月电量",
        {"electricity": table("electricity", [{"uscc": firm, "period": f"{YEAR}-04", "kwh": 7}])},
        period=f"{YEAR}-04",
    )
    [done] = refresh(store)
    assert done.months == (3, 4)
    incremental = read_cube(store, YEAR)
    compute_cube(store, YEAR)
    assert_same_cells(incremental, read_cube(store, YEAR))
