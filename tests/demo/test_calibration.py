"""The demo's records, through the platform's computation, reproduce every published figure."""

from __future__ import annotations

from pathlib import Path

import pytest

from jingxin.demo.targets import load_targets
from jingxin.reports import SPINE_TABLES, annual_figures, compare
from jingxin.store import Scope, Store
from tests.conftest import TARGETS_DIR, build_demo_store


def test_huzhou_2016_every_figure_reproduced(demo_store: Store, huzhou_targets) -> None:
    """All tables of the seed targets file: the spine's 45 figures and the tracked ones."""
    checks = compare(huzhou_targets.raw, annual_figures(demo_store, 2016, Scope.city()))
    assert len(checks) == 167
    assert len([c for c in checks if c.path.split(".")[0] in SPINE_TABLES]) == 45
    failed = [c for c in checks if not c.ok]
    assert failed == []


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "n_figures"),
    [
        pytest.param("huzhou-2017-constructed.toml", 167, id="huzhou-2017-other-numbers"),
        pytest.param("jiaxing-2018-constructed.toml", 172, id="jiaxing-2018-other-city"),
    ],
)
def test_other_targets_files_reproduced(tmp_path: Path, name: str, n_figures: int) -> None:
    """Every table, the tracked ones included (jiaxing has 7 counties' strength ranks)."""
    targets = load_targets(TARGETS_DIR / name)
    store = build_demo_store(tmp_path / "t.duckdb", targets, seed=7)
    try:
        checks = compare(targets.raw, annual_figures(store, targets.meta.year, Scope.city()))
    finally:
        store.close()
    assert [c for c in checks if not c.ok] == []
    assert len(checks) == n_figures


def test_generator_is_deterministic(huzhou_targets) -> None:
    from jingxin.demo.generator import generate

    a = generate(huzhou_targets, seed=11).tables
    b = generate(huzhou_targets, seed=11).tables
    c = generate(huzhou_targets, seed=12).tables
    assert all(a[k].equals(b[k]) for k in a)
    assert not a["monthly_fact"].equals(c["monthly_fact"])


def test_demo_records_are_realistic(demo_store: Store) -> None:
    con = demo_store.con
    # Entrants and exits: the two years' samples differ.
    n15, n16, both = con.execute(
        """select count(*) filter (where y15), count(*) filter (where y16),
                  count(*) filter (where y15 and y16)
           from (select uscc, bool_or(year = 2015 and scale = 'above') y15,
                        bool_or(year = 2016 and scale = 'above') y16
                 from enterprise_scale group by uscc)"""
    ).fetchall()[0]
    assert both < n15 and both < n16
    assert n16 > 2000
    # Small enterprises outnumber the above-scale ones.
    small = con.execute(
        "select count(*) from enterprise_scale where year = 2016 and scale = 'below'"
    ).fetchall()[0][0]
    assert small > n16
    # Heavy tail: the largest 10% of firms make more than 40% of value added.
    top = con.execute(
        """select sum(v) filter (where r <= n / 10) / sum(v) from (
             select value_added v, row_number() over (order by value_added desc) r,
                    count(*) over () n
             from monthly_fact where period = '2016-12')"""
    ).fetchall()[0][0]
    assert top > 0.4
    # Spring Festival (8 Feb 2016): February's single-month value added is the year's lowest.
    months = con.execute(
        """select period, sum(value_added) from monthly_fact where period like '2016-%'
           group by period order by period"""
    ).fetchall()
    single = [months[0][1]] + [months[i][1] - months[i - 1][1] for i in range(1, 12)]
    assert single.index(min(single)) == 1
    # Every register code is a valid USCC.
    from jingxin.uscc import is_valid

    codes = [r[0] for r in con.execute("select uscc from enterprise limit 500").fetchall()]
    assert all(is_valid(c) for c in codes)
