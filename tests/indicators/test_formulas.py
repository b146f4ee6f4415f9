"""The cube's statistical formulas, pinned with hand-worked numbers.

Each scenario is a handful of enterprises loaded into an in-memory store; the cube is computed
by the real code (``compute_cube``) once per scenario. Every expected figure is worked out in
a comment next to the data. Conventions: the shared domain notes (domain/stats-conventions.md), section A.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NamedTuple

import pyarrow as pa
import pytest

from jingxin.errors import DataError
from jingxin.indicators import compute_cube, read_cube
from jingxin.reference.groups import IndustryGroup
from jingxin.store import Store
from tests.factories import CITY, PROVINCE, Dataset

YEAR = 2016
DEC = "2016-12"
ALL = "all"


def approx(x: float | None) -> Any:
    """Tight comparison for a computed figure; None stays None."""
    return None if x is None else pytest.approx(x, rel=1e-9, abs=1e-12)


class Cube:
    """The cube table returned by ``compute_cube``, with lookup by key."""

    def __init__(self, table: pa.Table) -> None:
        self.table = table
        self.rows = table.to_pylist()
        self._index = {
            (r["period"], r["region_code"], r["group_key"], r["measure"]): r for r in self.rows
        }
        assert len(self._index) == len(self.rows), "cube keys are not unique"

    def find(
        self, measure: str, region: str = CITY, group: str = ALL, period: str = DEC
    ) -> dict[str, Any] | None:
        return self._index.get((period, region, group, measure))

    def get(
        self, measure: str, region: str = CITY, group: str = ALL, period: str = DEC
    ) -> dict[str, Any]:
        row = self.find(measure, region, group, period)
        assert row is not None, f"no cube row for {(period, region, group, measure)}"
        return row


class Computed(NamedTuple):
    store: Store
    cube: Cube


def _compute(d: Dataset, groups: dict[str, IndustryGroup] | None = None, **kw: Any) -> Computed:
    store = d.store(**kw)
    return Computed(store, Cube(compute_cube(store, YEAR, groups)))


# -- 1. same-sample growth: entrants in, exits out ---------------------------------------------


@pytest.fixture(scope="module")
def sample() -> Iterator[Computed]:
    d = Dataset()
    # S stays above scale. Its 2015 record said 96; the 2016 form reports a revised prior of
    # 100, and the same-sample prior is the one on this year's form.
    s = d.firm(1, "330502", "1711", above=(2015, 2016))
    d.fact(s, "2015-12", gross_output=96, gross_output_prior=90)
    d.fact(s, DEC, gross_output=120, gross_output_prior=100)
    # X exits: above scale in 2015 only, and has 2015 facts only.
    x = d.firm(2, "330502", "3011", above=(2015,))
    d.fact(x, "2015-12", gross_output=60, gross_output_prior=55)
    # B shrinks below the threshold in 2016 but its 2016 form is in the facts anyway.
    b = d.firm(3, "330503", "3011", above=(2015,), below=(2016,))
    d.fact(b, "2015-12", gross_output=40, gross_output_prior=45)
    d.fact(b, DEC, gross_output=10, gross_output_prior=40)
    # E enters in 2016 and reports its prior-year value on the 2016 form.
    e = d.firm(4, "330503", "1711", below=(2015,), above=(2016,))
    d.fact(e, DEC, gross_output=30, gross_output_prior=20)
    # PPI only for the division of the 2016 sample (17): division 30 (X, B) has none.
    d.ppi("17", DEC, 100.0)
    computed = _compute(d, fill_ppi=None)
    yield computed
    computed.store.close()


@pytest.mark.parametrize(
    ("region", "group", "value", "prior", "growth", "n"),
    [
        # sample {S, E}: (120 + 30) / (100 + 20) - 1 = 150 / 120 - 1 = 25 %.
        # The ratio of published totals would be 150 / (96 + 60 + 40) - 1 = -23.47 %.
        pytest.param(CITY, ALL, 150.0, 120.0, 25.0, 2, id="city-stayer-and-entrant"),
        # 吴兴: S only (X exited): 120 / 100 - 1 = 20 %.
        pytest.param("330502", ALL, 120.0, 100.0, 20.0, 1, id="county-with-exit"),
        # 南浔: E only (B is below scale in 2016): 30 / 20 - 1 = 50 %.
        pytest.param("330503", ALL, 30.0, 20.0, 50.0, 1, id="county-with-entrant"),
        # 纺织业 = {S, E}, both 17xx: as the city total.
        pytest.param(CITY, "textile", 150.0, 120.0, 25.0, 2, id="city-textile"),
    ],
)
def test_growth_is_over_this_years_sample(
    sample: Computed, region: str, group: str, value: float, prior: float, growth: float, n: int
) -> None:
    row = sample.cube.get("gross_output", region, group)
    assert row["value"] == approx(value)
    assert row["prior"] == approx(prior)
    assert row["growth_pct"] == approx(growth)
    assert row["n_enterprises"] == n


def test_growth_is_not_the_ratio_of_published_totals(sample: Computed) -> None:
    published_2016 = 150.0  # S + E
    published_2015 = 96.0 + 60.0 + 40.0  # S + X + B as published last year
    nominal = (published_2016 / published_2015 - 1) * 100  # -23.47 %
    growth = sample.cube.get("gross_output")["growth_pct"]
    assert growth == approx(25.0)
    assert growth != pytest.approx(nominal, abs=1.0)


def test_exits_leave_no_rows_in_the_year(sample: Computed) -> None:
    # X and B (division 30, 建材) are outside the 2016 sample: no 建材 rows at all.
    assert {r["period"] for r in sample.cube.rows} == {DEC}
    assert sample.cube.find("gross_output", CITY, "building_materials") is None
    assert sample.cube.find("gross_output", "330502", "energy_intensive")["n_enterprises"] == 1


def test_ppi_is_needed_only_for_the_years_sample(sample: Computed) -> None:
    # B (division 30, below scale in 2016) has 2016 facts and no PPI: the cube still computes.
    ppi_30 = sample.store.con.execute(
        "select count(*) from price_index where division = '30'"
    ).fetchall()
    assert ppi_30 == [(0,)]
    assert sample.cube.get("value_added")["n_enterprises"] == 2


def test_stored_cube_is_the_returned_cube(sample: Computed) -> None:
    stored = read_cube(sample.store, YEAR)
    key = ("period", "region_code", "group_key", "measure")

    def ordered(t: pa.Table) -> list[dict[str, Any]]:
        return sorted(t.to_pylist(), key=lambda r: tuple(r[k] for k in key))

    assert stored.num_rows == sample.cube.table.num_rows
    assert ordered(stored.select(sample.cube.table.column_names)) == ordered(sample.cube.table)


# -- 2. comparable prices for value added, nominal for the rest ------------------------------------


@pytest.fixture(scope="module")
def prices() -> Iterator[Computed]:
    d = Dataset()
    a = d.firm(1, "330502", "1711", above=(YEAR,))
    d.fact(a, "2016-11", value_added=88.2, value_added_prior=80)
    d.fact(
        a,
        DEC,
        value_added=98,
        value_added_prior=90,
        profit=55,
        profit_prior=40,
        taxes=5,
        taxes_prior=5,
        export_delivery=10,
        export_delivery_prior=8,
    )
    b = d.firm(2, "330503", "3011", above=(YEAR,))
    d.fact(b, "2016-11", value_added=189, value_added_prior=170)
    d.fact(b, DEC, value_added=210, value_added_prior=160, profit=25, profit_prior=30)
    # Each period has its own year-to-date index.
    d.ppi("17", "2016-11", 90.0)
    d.ppi("17", DEC, 98.0)
    d.ppi("30", "2016-11", 105.0)
    d.ppi("30", DEC, 105.0)
    computed = _compute(d, fill_ppi=None)
    yield computed
    computed.store.close()


@pytest.mark.parametrize(
    ("period", "region", "measure", "value", "const", "prior", "growth"),
    [
        # A: 98 / 0.98 = 100; B: 210 / 1.05 = 200. (100 + 200) / (90 + 160) - 1 = 20 %.
        # (Nominal would be 308 / 250 - 1 = 23.2 %.)
        pytest.param(DEC, CITY, "value_added", 308.0, 300.0, 250.0, 20.0, id="va-city-dec"),
        # A: 88.2 / 0.90 = 98; B: 189 / 1.05 = 180. (98 + 180) / (80 + 170) - 1 = 11.2 %.
        pytest.param("2016-11", CITY, "value_added", 277.2, 278.0, 250.0, 11.2, id="va-city-nov"),
        # A alone, December: 100 / 90 - 1 = 11.11 %.
        pytest.param(DEC, "330502", "value_added", 98.0, 100.0, 90.0, 100 / 9, id="va-county-dec"),
        # A alone, November, PPI 90: 98 / 80 - 1 = 22.5 %.
        pytest.param(
            "2016-11", "330502", "value_added", 88.2, 98.0, 80.0, 22.5, id="va-county-nov"
        ),
        # B alone: 200 / 160 - 1 = 25 %.
        pytest.param(DEC, "330503", "value_added", 210.0, 200.0, 160.0, 25.0, id="va-county-b"),
        # Profit is nominal: (55 + 25) / (40 + 30) - 1 = 14.29 %; not 55/0.98 + 25/1.05.
        pytest.param(DEC, CITY, "profit", 80.0, 80.0, 70.0, 100 / 7, id="profit-nominal"),
        # Export delivery is nominal: 10 / 8 - 1 = 25 %; not 10 / 0.98.
        pytest.param(DEC, CITY, "export_delivery", 10.0, 10.0, 8.0, 25.0, id="export-nominal"),
        # 利税 = profit + taxes: (80 + 5) / (70 + 5) - 1 = 13.33 %.
        pytest.param(DEC, CITY, "profit_and_tax", 85.0, 85.0, 75.0, 40 / 3, id="profit-and-tax"),
        # Gross output is 0 last year: growth is not defined.
        pytest.param(DEC, CITY, "gross_output", 0.0, 0.0, 0.0, None, id="zero-prior"),
    ],
)
def test_value_added_grows_at_comparable_prices(
    prices: Computed,
    period: str,
    region: str,
    measure: str,
    value: float,
    const: float,
    prior: float,
    growth: float | None,
) -> None:
    row = prices.cube.get(measure, region, ALL, period)
    assert row["value"] == approx(value)
    assert row["value_const"] == approx(const)
    assert row["prior"] == approx(prior)
    assert row["growth_pct"] == approx(growth)


# -- 3, 4, 7. contribution, pull, shares and ratios of a partition of groups ------------------------

PARTITION = {
    "textile": IndustryGroup(key="textile", name="纺织业", prefixes=["17"]),
    "other": IndustryGroup(key="other", name="其他行业", prefixes=["30", "38"]),
}


@pytest.fixture(scope="module")
def groups() -> Iterator[Computed]:
    d = Dataset()
    #        firm                                        VA cur/prior  PPI  VA const  gross     new
    t1 = d.firm(1, "330502", "1711", above=(YEAR,))  # 130 / 100    100  130       400/300   200/120
    t2 = d.firm(2, "330503", "1751", above=(YEAR,))  # 20 / 30      100  20        100/100   0/0
    b1 = d.firm(3, "330503", "3011", above=(YEAR,))  # 99 / 100     90   110       200/250   40/50
    m1 = d.firm(4, "330521", "3811", above=(YEAR,))  # 210 / 200    105  200       380/350   100/100
    for code, va, va0, go, go0, new, new0 in (
        (t1, 130, 100, 400, 300, 200, 120),
        (t2, 20, 30, 100, 100, 0, 0),
        (b1, 99, 100, 200, 250, 40, 50),
        (m1, 210, 200, 380, 350, 100, 100),
    ):
        d.fact(
            code,
            DEC,
            value_added=va,
            value_added_prior=va0,
            gross_output=go,
            gross_output_prior=go0,
            new_product_output=new,
            new_product_output_prior=new0,
        )
    d.ppi("17", DEC, 100.0)
    d.ppi("30", DEC, 90.0)
    d.ppi("38", DEC, 105.0)
    computed = _compute(d, PARTITION, fill_ppi=None)
    yield computed
    computed.store.close()


# City value added: current 459, const 460, prior 430, comparable increase 30, growth 6.977 %.
#   textile {T1, T2}: current 150, const 150, prior 130, increase 20.
#   other   {B1, M1}: current 309, const 310, prior 300, increase 10.
# City gross output (nominal): 1080 / 1000, increase 80, growth 8 %.
#   textile: 500 / 400, increase 100;  other: 580 / 600, increase -20.
@pytest.mark.parametrize(
    ("measure", "region", "group", "growth", "contribution", "pull"),
    [
        # 20 / 30 = 66.67 %; pull 20 / 430 = 4.65 pp. Comparable increases: the nominal
        # ones (20 and 9 of 29) would give 68.97 %.
        pytest.param(
            "value_added", CITY, "textile", 20 / 130 * 100, 200 / 3, 2000 / 430, id="va-textile"
        ),
        # 10 / 30 = 33.33 %; pull 10 / 430 = 2.33 pp.
        pytest.param(
            "value_added", CITY, "other", 10 / 300 * 100, 100 / 3, 1000 / 430, id="va-other"
        ),
        # The total: 100 % of itself, pulls its own growth 30 / 430 = 6.98 %.
        pytest.param("value_added", CITY, ALL, 3000 / 430, 100.0, 3000 / 430, id="va-all"),
        # Gross output: 100 / 80 = 125 %, pull 100 / 1000 = 10 pp.
        pytest.param("gross_output", CITY, "textile", 25.0, 125.0, 10.0, id="go-textile"),
        # -20 / 80 = -25 %, pull -20 / 1000 = -2 pp.
        pytest.param("gross_output", CITY, "other", 20 / 6 * -1, -25.0, -2.0, id="go-other"),
        # 南浔 value added: T2 20 / 30, B1 110 / 100: the total does not change (130 / 130),
        # so contributions are not defined; pulls are -10 / 130 and +10 / 130.
        pytest.param(
            "value_added", "330503", "textile", -100 / 3, None, -1000 / 130, id="county-flat-t"
        ),
        pytest.param(
            "value_added", "330503", "other", 10.0, None, 1000 / 130, id="county-flat-other"
        ),
    ],
)
def test_contribution_and_pull(
    groups: Computed,
    measure: str,
    region: str,
    group: str,
    growth: float,
    contribution: float | None,
    pull: float,
) -> None:
    row = groups.cube.get(measure, region, group)
    assert row["growth_pct"] == approx(growth)
    assert row["contribution_pct"] == approx(contribution)
    assert row["pull_pp"] == approx(pull)


@pytest.mark.parametrize(
    "measure",
    [
        pytest.param("value_added", id="value_added-comparable"),
        pytest.param("gross_output", id="gross_output-nominal"),
        pytest.param("new_product_output", id="new_product_output-nominal"),
    ],
)
def test_a_partition_adds_up(groups: Computed, measure: str) -> None:
    total = groups.cube.get(measure)
    parts = [groups.cube.get(measure, CITY, g) for g in PARTITION]
    assert sum(p["contribution_pct"] for p in parts) == approx(100.0)
    assert sum(p["pull_pp"] for p in parts) == approx(total["growth_pct"])
    assert sum(p["share_pct"] for p in parts) == approx(100.0)
    assert sum(p["prior_share_pct"] for p in parts) == approx(100.0)
    assert sum(p["share_change_pp"] for p in parts) == pytest.approx(0.0, abs=1e-9)
    assert sum(p["value"] for p in parts) == approx(total["value"])
    assert sum(p["n_enterprises"] for p in parts) == total["n_enterprises"]


@pytest.mark.parametrize(
    ("measure", "group", "share", "prior_share"),
    [
        # Current prices: 150 / 459 = 32.68 % (at comparable prices it would be 150 / 460);
        # last year 130 / 430 = 30.23 %; change +2.45 pp.
        pytest.param("value_added", "textile", 150 / 459 * 100, 130 / 430 * 100, id="va-textile"),
        pytest.param("value_added", "other", 309 / 459 * 100, 300 / 430 * 100, id="va-other"),
        # 500 / 1080 = 46.30 %, last year 400 / 1000 = 40 %: +6.30 pp.
        pytest.param("gross_output", "textile", 500 / 1080 * 100, 40.0, id="go-textile"),
        pytest.param("gross_output", "other", 580 / 1080 * 100, 60.0, id="go-other"),
        pytest.param("gross_output", ALL, 100.0, 100.0, id="go-all"),
    ],
)
def test_shares_are_at_current_prices(
    groups: Computed, measure: str, group: str, share: float, prior_share: float
) -> None:
    row = groups.cube.get(measure, CITY, group)
    assert row["share_pct"] == approx(share)
    assert row["prior_share_pct"] == approx(prior_share)
    assert row["share_change_pp"] == approx(share - prior_share)


@pytest.mark.parametrize(
    ("region", "group", "rate", "prior_rate", "contribution"),
    [
        # new 340 / 270, gross 1080 / 1000: 31.48 % vs 27 %; contribution 70 / 80 = 87.5 %.
        pytest.param(CITY, ALL, 340 / 1080 * 100, 27.0, 87.5, id="city"),
        # textile: new 200 / 120, gross 500 / 400: 40 % vs 30 %; 80 / 100 = 80 %.
        pytest.param(CITY, "textile", 40.0, 30.0, 80.0, id="city-textile"),
        # 南浔: new 40 / 50, gross 300 / 350: 13.33 % vs 14.29 %; -10 / -50 = 20 %.
        pytest.param("330503", ALL, 40 / 3, 50 / 3.5, 20.0, id="county-both-fell"),
        # 德清: new 100 / 100, gross 380 / 350: 26.32 % vs 28.57 %; 0 / 30 = 0 %.
        pytest.param("330521", ALL, 100 / 3.8, 100 / 3.5, 0.0, id="county-new-flat"),
    ],
)
def test_new_product_rate(
    groups: Computed,
    region: str,
    group: str,
    rate: float,
    prior_rate: float,
    contribution: float,
) -> None:
    row = groups.cube.get("new_product_rate", region, group)
    assert row["value"] == approx(rate)
    assert row["prior"] == approx(prior_rate)
    assert row["change_pp"] == approx(rate - prior_rate)
    assert row["contribution_pct"] == approx(contribution)
    # A ratio has no growth, share, pull or constant-price value.
    for col in ("growth_pct", "share_pct", "pull_pp", "value_const"):
        assert row[col] is None, col


def test_change_pp_is_only_for_ratios(groups: Computed) -> None:
    assert groups.cube.get("new_product_output")["change_pp"] is None
    assert groups.cube.get("sales_rate")["change_pp"] is not None


# -- 5. ranks among counties and among the province's cities ------------------------------------


@pytest.fixture(scope="module")
def ranks() -> Iterator[Computed]:
    d = Dataset()
    # One equipment (38) enterprise per county, gross output this year / last year:
    for n, (county, go, go0) in enumerate(
        [
            ("330502", 110.0, 100.0),  # 10 %
            ("330503", 220.0, 200.0),  # 10 %: ties with 吴兴
            ("330521", 1099.6, 1000.0),  # 9.96 %: 10.0 when rounded, but below the tie
            ("330522", 220.0, 220.0),  # 0 %; value ties with 南浔
            ("330523", 50.0, 0.0),  # growth undefined
        ],
        start=1,
    ):
        code = d.firm(n, county, "3811", above=(YEAR,))
        d.fact(code, DEC, gross_output=go, gross_output_prior=go0)
    # City: 1699.6 / 1520 - 1 = 11.816 %. Other cities as published (value, growth):
    d.peer("gross_output", "330100", DEC, 50000.0, 15.0)
    d.peer("gross_output", "330200", DEC, 1500.0, 15.0)
    d.peer("gross_output", "330300", DEC, 1000.0, 8.0)
    # Huzhou's own published figure is replaced by the computed one.
    d.peer("gross_output", CITY, DEC, 1e6, 99.0)
    # The province is the benchmark, not a competitor.
    d.peer("gross_output", PROVINCE, DEC, 1e7, 9.5)
    computed = _compute(d)
    yield computed
    computed.store.close()


@pytest.mark.parametrize(
    ("region", "growth", "rank_value", "rank_growth"),
    [
        # value: 1099.6, 220 = 220, 110, 50 -> 1, 2, 2, 4, 5
        # growth: 10 = 10, 9.96, 0, none  -> 1, 1, 3, 4, (none)
        pytest.param("330502", 10.0, 4, 1, id="tie-first"),
        pytest.param("330503", 10.0, 2, 1, id="tie-second"),
        pytest.param("330521", 9.96, 1, 3, id="rounds-to-tie-but-ranks-after"),
        pytest.param("330522", 0.0, 2, 4, id="value-tie"),
        pytest.param("330523", None, 5, None, id="no-growth-no-rank"),
    ],
)
@pytest.mark.parametrize("group", [ALL, "equipment"])
def test_county_ranks_share_the_better_rank(
    ranks: Computed,
    region: str,
    growth: float | None,
    rank_value: int,
    rank_growth: int | None,
    group: str,
) -> None:
    row = ranks.cube.get("gross_output", region, group)
    assert row["growth_pct"] == approx(growth)
    assert row["county_rank_value"] == rank_value
    assert row["county_rank_growth"] == rank_growth
    assert row["province_rank_value"] is None
    assert row["province_rank_growth"] is None
    assert row["above_province_pp"] is None


def test_province_ranks_and_gap_to_province(ranks: Computed) -> None:
    row = ranks.cube.get("gross_output")
    growth = (1699.6 - 1520.0) / 1520.0 * 100  # 11.816 %
    assert row["value"] == approx(1699.6)
    assert row["growth_pct"] == approx(growth)
    # value: 50000 (杭州), 1699.6 (湖州), 1500 (宁波), 1000 (温州) -> 2nd.
    assert row["province_rank_value"] == 2
    # growth: 15 = 15 (杭州, 宁波 share 1st), 11.816 (湖州), 8 (温州) -> 3rd.
    assert row["province_rank_growth"] == 3
    assert row["province_growth_pct"] == approx(9.5)
    # 11.816 - 9.5 = 2.316 pp above the province.
    assert row["above_province_pp"] == approx(growth - 9.5)
    assert row["county_rank_value"] is None
    assert row["county_rank_growth"] is None


def test_no_peers_no_province_rank(ranks: Computed) -> None:
    row = ranks.cube.get("value_added")
    for col in (
        "province_rank_value",
        "province_rank_growth",
        "province_growth_pct",
        "above_province_pp",
    ):
        assert row[col] is None, col


# -- 6. electricity: YTD sums of single months, all users ----------------------------------------


def _electricity_data() -> Dataset:
    d = Dataset()
    # Single-month use (万千瓦时):        2014-02  2015-01  2015-02  2015-03  2016-01  2016-02
    e1 = d.firm(1, "330502", "1711", above=(YEAR,))  # 999  10  12  20  11  13
    e2 = d.firm(2, "330502", "3811")  # no scale record:     -   5   6   -   4   9
    e3 = d.firm(3, "330502", "1711")  # closed in 2015:      -   3   3   -   -   -
    e4 = d.firm(4, "330503", "3011")  # new in 2016:         -   -   -   -   1   7
    e5 = d.firm(5, "330503", "3911")  # closed in 2015:      -   2   2   -   -   -
    for code, period, kwh in [
        (e1, "2014-02", 999),
        (e1, "2015-01", 10),
        (e1, "2015-02", 12),
        (e1, "2015-03", 20),
        (e1, "2016-01", 11),
        (e1, "2016-02", 13),
        (e2, "2015-01", 5),
        (e2, "2015-02", 6),
        (e2, "2016-01", 4),
        (e2, "2016-02", 9),
        (e3, "2015-01", 3),
        (e3, "2015-02", 3),
        (e4, "2016-01", 1),
        (e4, "2016-02", 7),
        (e5, "2015-01", 2),
        (e5, "2015-02", 2),
    ]:
        d.kwh(code, period, kwh)
    # The cube needs the year's statistics facts.
    d.fact(e1, "2016-02", gross_output=1, gross_output_prior=1)
    return d


@pytest.fixture(scope="module")
def electricity() -> Iterator[Computed]:
    computed = _compute(_electricity_data())
    yield computed
    computed.store.close()


@pytest.mark.parametrize(
    ("period", "region", "group", "value", "prior"),
    [
        # 吴兴 January: 11 + 4 = 15 against 10 + 5 + 3 = 18 (the closed user counts).
        pytest.param("2016-01", "330502", ALL, 15.0, 18.0, id="county-jan"),
        # 吴兴 Jan-Feb: 15 + 13 + 9 = 37 against 18 + 12 + 6 + 3 = 39.
        pytest.param("2016-02", "330502", ALL, 37.0, 39.0, id="county-ytd"),
        # 南浔: 1 against 2; then 1 + 7 = 8 against 2 + 2 = 4 (the new user counts too).
        pytest.param("2016-01", "330503", ALL, 1.0, 2.0, id="county2-jan"),
        pytest.param("2016-02", "330503", ALL, 8.0, 4.0, id="county2-ytd"),
        # City: 16 / 20 in January; 45 / 43 year to date.
        pytest.param("2016-01", CITY, ALL, 16.0, 20.0, id="city-jan"),
        pytest.param("2016-02", CITY, ALL, 45.0, 43.0, id="city-ytd"),
        # 吴兴 textile {e1, e3}: 11 + 13 = 24 against 10 + 12 + 3 + 3 = 28.
        pytest.param("2016-02", "330502", "textile", 24.0, 28.0, id="county-textile"),
        # equipment (33-40): e2 (3811, 吴兴) 4 + 9 = 13 against 5 + 6 = 11; e5 (3911, 南浔)
        # used 2 + 2 = 4 last year and nothing this year. All users: 13 / 15, -13.33 %.
        pytest.param("2016-02", CITY, "equipment", 13.0, 15.0, id="city-equipment"),
        # 南浔 equipment has no user this year: 0 against 2, then 0 against 4 (-100 %).
        pytest.param("2016-01", "330503", "equipment", 0.0, 2.0, id="county-stopped-jan"),
        pytest.param("2016-02", "330503", "equipment", 0.0, 4.0, id="county-stopped-ytd"),
        # 信息制造业 (39) is e5 alone: the city keeps its prior of 4.
        pytest.param(
            "2016-02", CITY, "information_manufacturing", 0.0, 4.0, id="city-group-stopped"
        ),
    ],
)
def test_electricity_is_ytd_of_single_months_of_all_users(
    electricity: Computed, period: str, region: str, group: str, value: float, prior: float
) -> None:
    row = electricity.cube.get("electricity", region, group, period)
    assert row["value"] == approx(value)
    assert row["prior"] == approx(prior)
    assert row["value_const"] == approx(value)
    assert row["growth_pct"] == approx((value / prior - 1) * 100)


def test_electricity_periods_follow_this_years_months(electricity: Computed) -> None:
    # 2015-03 and 2014-02 exist, but this year has January and February only.
    periods = {r["period"] for r in electricity.cube.rows if r["measure"] == "electricity"}
    assert periods == {"2016-01", "2016-02"}


def test_electricity_contribution_of_a_stopped_group(electricity: Computed) -> None:
    # 南浔 Jan-Feb: total 8 against 4 (+4); equipment 0 against 4 (-4): -4 / 4 = -100 %,
    # pull -4 / 4 = -100 pp. City 信息制造业: -4 of the city's +2 (45 - 43) = -200 %.
    county = electricity.cube.get("electricity", "330503", "equipment", "2016-02")
    assert county["contribution_pct"] == approx(-100.0)
    assert county["pull_pp"] == approx(-100.0)
    city = electricity.cube.get("electricity", CITY, "information_manufacturing", "2016-02")
    assert city["contribution_pct"] == approx(-200.0)
    assert city["pull_pp"] == approx(-4 / 43 * 100)


# -- 8. a missing PPI ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("periods", "ppi", "absent"),
    [
        pytest.param([DEC], [("30", DEC)], "30 大类", id="division-without-ppi"),
        pytest.param(["2016-11", DEC], [("17", "2016-11")], "2016-11", id="period-without-ppi"),
    ],
)
def test_missing_ppi_is_a_data_error(
    periods: list[str], ppi: list[tuple[str, str]], absent: str
) -> None:
    d = Dataset()
    a = d.firm(1, "330522", "1711", above=(YEAR,))
    for period in periods:
        d.fact(a, period, value_added=10, value_added_prior=9)
    for division, period in ppi:
        d.ppi(division, period, 100.0)
    store = d.store(fill_ppi=None)
    try:
        with pytest.raises(DataError, match=r"缺少工业生产者出厂价格指数.*17 大类 2016-12") as err:
            compute_cube(store, YEAR)
        assert absent not in str(err.value)
        assert store.con.execute("select count(*) from cube").fetchall() == [(0,)]
    finally:
        store.close()
