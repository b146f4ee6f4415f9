"""Figures come from records: change one enterprise, and the figures move by exactly that."""

from __future__ import annotations

from pathlib import Path

import pytest

from jingxin.indicators import compute_cube
from jingxin.reports import annual_figures
from jingxin.store import Scope, Store
from tests.conftest import build_demo_store


@pytest.fixture
def own_store(tmp_path: Path, huzhou_targets) -> Store:
    store = build_demo_store(tmp_path / "own.duckdb", huzhou_targets)
    yield store
    store.close()


def _cell(store: Store, measure: str, group: str = "all") -> dict:
    return store.arrow(
        "select * from cube where period = '2016-12' and region_code = '330500' "
        "and group_key = ? and measure = ?",
        [group, measure],
    ).to_pylist()[0]


def test_one_enterprise_change_moves_figures_exactly(own_store: Store) -> None:
    # A textile enterprise (division 17) of the 2016 sample, and its PPI for December.
    uscc, county, va, division = own_store.con.execute(
        """select f.uscc, e.region_code, f.value_added, substr(e.industry_code, 1, 2)
           from monthly_fact f join enterprise e using (uscc)
           where f.period = '2016-12' and e.industry_code like '17%'
           order by f.value_added desc limit 1"""
    ).fetchall()[0]
    ppi = own_store.con.execute(
        "select ppi from price_index where division = ? and period = '2016-12'", [division]
    ).fetchall()[0][0]
    before = {m: _cell(own_store, "value_added", m) for m in ("all", "textile")}
    delta = 12_345.6  # 万元
    own_store.correct(
        "monthly_fact",
        {"uscc": uscc, "period": "2016-12"},
        {"value_added": va + delta},
        actor="analyst",
        reason="test",
    )
    compute_cube(own_store, 2016)
    for group, b in before.items():
        a = _cell(own_store, "value_added", group)
        assert a["value"] - b["value"] == pytest.approx(delta, abs=1e-6)
        assert a["value_const"] - b["value_const"] == pytest.approx(delta / (ppi / 100), abs=1e-6)
        assert a["prior"] == pytest.approx(b["prior"], rel=1e-12)  # summation order may vary
        expected_growth = ((b["value_const"] + delta / (ppi / 100)) / b["prior"] - 1) * 100
        assert a["growth_pct"] == pytest.approx(expected_growth, rel=1e-12)
    # Groups the enterprise is not in do not move.
    eq = _cell(own_store, "value_added", "equipment")
    assert eq["value"] == pytest.approx(
        own_store.con.execute(
            """select sum(f.value_added) from monthly_fact f join enterprise e using (uscc)
               join enterprise_scale s on s.uscc = f.uscc and s.year = 2016 and s.scale = 'above'
               where f.period = '2016-12' and substr(e.industry_code, 1, 2) between '33' and '40'"""
        ).fetchall()[0][0]
    )
    # The county's figure moved too, and the annual summary states the new city total.
    county_va = own_store.con.execute(
        "select value from cube where period = '2016-12' and region_code = ? "
        "and group_key = 'all' and measure = 'value_added'",
        [county],
    ).fetchall()[0][0]
    assert county_va > 0
    figures = annual_figures(own_store, 2016, Scope.city())
    assert figures["above_scale"]["value_added"]["value"] == round(
        (before["all"]["value"] + delta) / 1e4, 1
    )
    # The change is audited with before and after.
    log = own_store.con.execute("select actor, table_name, before, after from audit_log").fetchall()
    assert len(log) == 1 and log[0][0] == "analyst" and log[0][1] == "monthly_fact"
    assert str(round(va, 1)) in log[0][2] and str(round(va + delta, 1)) in log[0][3]
