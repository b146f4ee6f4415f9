"""Incremental refresh (issue #6): one more month recomputes only its cells, with the same
result as a full rebuild."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from jingxin.errors import InputError
from jingxin.indicators import compute_cube, read_cube, refresh_month
from jingxin.store import Store
from tests.indicators.cells import assert_same_cells, tiny_tables

YEAR = 2016
MONTHLY = ("monthly_fact", "electricity", "price_index", "peer_figure", "reported_value")


def _split(period: str) -> tuple[dict[str, pa.Table], dict[str, pa.Table]]:
    """The tiny data set without ``period``'s monthly rows, and those rows."""
    tables = {k: v for k, v in tiny_tables().items() if k != "region"}
    before, month = dict(tables), {}
    for name in MONTHLY:
        t = tables[name]
        this = pc.equal(t["period"], period)
        before[name] = t.filter(pc.invert(this))
        month[name] = t.filter(this)
    return before, month


def _full(tmp_path_name: str) -> pa.Table:
    store = Store(tmp_path_name)
    store.load("test", "all", {k: v for k, v in tiny_tables().items() if k != "region"})
    compute_cube(store, YEAR)
    cube = read_cube(store, YEAR)
    store.close()
    return cube


@pytest.fixture(scope="module")
def full(tmp_path_factory: pytest.TempPathFactory) -> pa.Table:
    """The cube of a store loaded with every month at once."""
    return _full(str(tmp_path_factory.mktemp("full") / "full.duckdb"))


@pytest.mark.slow
def test_new_month_refresh_equals_full_rebuild(tmp_path, full) -> None:
    before, december = _split(f"{YEAR}-12")
    store = Store(tmp_path / "inc.duckdb")
    store.load("test", "to November", before)
    compute_cube(store, YEAR)
    november = read_cube(store, YEAR)
    assert f"{YEAR}-12" not in set(november["period"].to_pylist())

    store.load("test", "December", december, period=f"{YEAR}-12")
    changed = refresh_month(store, f"{YEAR}-12")

    assert set(changed["period"].to_pylist()) == {f"{YEAR}-12"}
    cube = read_cube(store, YEAR)
    # Earlier months' rows are the ones stored before, untouched.
    earlier = cube.filter(pc.not_equal(cube["period"], f"{YEAR}-12"))
    assert earlier.equals(november)
    assert assert_same_cells(cube, full) == full.num_rows


@pytest.mark.slow
def test_corrected_month_refreshes_later_months_of_electricity(tmp_path, full) -> None:
    store = Store(tmp_path / "fix.duckdb")
    store.load("test", "all", {k: v for k, v in tiny_tables().items() if k != "region"})
    compute_cube(store, YEAR)
    user, kwh = store.con.execute(
        "select uscc, kwh from electricity where period = ? order by kwh desc limit 1",
        [f"{YEAR}-06"],
    ).fetchall()[0]
    store.correct(
        "electricity",
        {"uscc": user, "period": f"{YEAR}-06"},
        {"kwh": kwh + 1000.0},
        actor="test",
        reason="grid correction",
    )

    changed = refresh_month(store, f"{YEAR}-06")

    assert sorted(set(changed["period"].to_pylist())) == [f"{YEAR}-{m:02d}" for m in range(6, 13)]
    refreshed = read_cube(store, YEAR)
    compute_cube(store, YEAR)
    assert_same_cells(refreshed, read_cube(store, YEAR))
    # The correction reached December's year-to-date electricity.
    dec = {
        (r["region_code"], r["group_key"]): r["value"]
        for r in refreshed.to_pylist()
        if r["period"] == f"{YEAR}-12" and r["measure"] == "electricity"
    }
    before = {
        (r["region_code"], r["group_key"]): r["value"]
        for r in full.to_pylist()
        if r["period"] == f"{YEAR}-12" and r["measure"] == "electricity"
    }
    assert dec[("330500", "all")] == pytest.approx(before[("330500", "all")] + 1000.0, rel=1e-12)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        pytest.param(lambda s: compute_cube(s, YEAR, months=[13]), "月份", id="month-13"),
        pytest.param(lambda s: compute_cube(s, YEAR, months=[]), "月份", id="no-month"),
        pytest.param(lambda s: refresh_month(s, "2016-13"), "期别", id="period-13"),
        pytest.param(lambda s: refresh_month(s, "201612"), "期别", id="period-format"),
    ],
)
def test_bad_months_are_refused(call, match) -> None:
    with pytest.raises(InputError, match=match):
        call(Store())


@pytest.mark.slow
def test_cli_compute_month_refreshes_that_month(tmp_path) -> None:
    from typer.testing import CliRunner

    from jingxin.cli import app

    path = tmp_path / "cli.duckdb"
    before, december = _split(f"{YEAR}-12")
    store = Store(path)
    store.load("test", "to November", before)
    compute_cube(store, YEAR)
    store.load("test", "December", december, period=f"{YEAR}-12")
    store.close()

    ok = CliRunner().invoke(
        app, ["compute", "--year", str(YEAR), "--month", "12", "--db", str(path)]
    )
    bad = CliRunner().invoke(
        app, ["compute", "--year", str(YEAR), "--month", "13", "--db", str(path)]
    )

    assert ok.exit_code == 0, ok.output
    assert f"已重算 {YEAR}-12 指标" in ok.output
    assert bad.exit_code == 1 and "期别 '2016-13' 无效" in bad.output
    store = Store(path, read_only=True)
    periods = store.con.execute("select count(distinct period) from cube").fetchall()[0][0]
    store.close()
    assert periods == 12
