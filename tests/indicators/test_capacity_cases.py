"""The capacity ledger in the cube: cases counted and summed year to date by county, the
city the sum of its counties, and a county's list standing for its reported total."""

from __future__ import annotations

from datetime import date

import pyarrow as pa

from jingxin.indicators import compute_cube, refresh, stale_years
from jingxin.store import Store
from tests.factories import COUNTIES, Dataset

A, B, C = COUNTIES[0], COUNTIES[1], COUNTIES[2]
CITY = "330500"


def _store() -> Store:
    d = Dataset()
    code = d.firm(1, A, "1711", above=[2015, 2016])
    for y in (2015, 2016):
        d.fact(code, f"{y}-12", gross_output=100.0, value_added=30.0)
    d.reported("backward_capacity_enterprises", A, "2016-12", 99.0)  # A's list stands for it
    d.reported("backward_capacity_enterprises", C, "2016-12", 4.0)  # C sent no list
    store = d.store()
    cases = [
        ("A1", "backward", A, date(2016, 3, 10), 1200.0),
        ("A2", "backward", A, date(2016, 8, 1), 800.0),
        ("A3", "small_scattered", A, date(2016, 8, 2), None),
        ("B1", "backward", B, date(2016, 11, 30), 500.0),
        ("B0", "backward", B, date(2015, 6, 1), 300.0),  # last year's: the prior, not this year
    ]
    store.load(
        "test",
        "cases",
        {
            "capacity_case": pa.table(
                {
                    "case_id": [c[0] for c in cases],
                    "kind": [c[1] for c in cases],
                    "name": [f"作坊{c[0]}" for c in cases],
                    "region_code": [c[2] for c in cases],
                    "closed_on": pa.array([c[3] for c in cases], pa.date32()),
                    "energy_freed": pa.array([c[4] for c in cases], pa.float64()),
                    "source_row": list(range(2, len(cases) + 2)),
                }
            )
        },
        period="2016",
    )
    return store


def _cells(store: Store, measure: str) -> dict[tuple[str, str], float]:
    rows = store.arrow(
        "select period, region_code, value from cube where measure = ? and group_key = 'all'",
        [measure],
    ).to_pylist()
    return {(r["period"], r["region_code"]): r["value"] for r in rows}


def test_cases_are_counted_year_to_date() -> None:
    store = _store()
    compute_cube(store, 2016)
    n = _cells(store, "backward_capacity_enterprises")
    assert ("2016-02", A) not in n  # nothing completed yet
    assert n[("2016-03", A)] == 1 and n[("2016-07", A)] == 1 and n[("2016-08", A)] == 2
    assert n[("2016-12", A)] == 2  # the list, not the reported 99
    assert n[("2016-12", B)] == 1 and ("2016-10", B) not in n
    assert n[("2016-12", C)] == 4  # no list: the reported total
    assert n[("2016-12", CITY)] == 2 + 1 + 4
    tce = _cells(store, "backward_capacity_energy")  # 万吨标准煤
    assert tce[("2016-12", A)] == 0.2 and tce[("2016-12", CITY)] == 0.25
    ss = _cells(store, "small_scattered_cases")
    assert ss[("2016-08", A)] == 1 and ss[("2016-12", CITY)] == 1


def test_a_new_ledger_makes_the_year_stale() -> None:
    store = _store()
    compute_cube(store, 2016)
    assert not [s for s in stale_years(store) if s.year == 2016]
    store.load(
        "test",
        "more",
        {
            "capacity_case": pa.table(
                {
                    "case_id": ["B2"],
                    "kind": ["small_scattered"],
                    "name": ["作坊B2"],
                    "region_code": [B],
                    "closed_on": pa.array([date(2016, 5, 5)], pa.date32()),
                    "source_row": [2],
                }
            )
        },
        period="2016-05",
    )
    assert [s.year for s in stale_years(store) if s.year == 2016] == [2016]
    refresh(store)
    assert _cells(store, "small_scattered_cases")[("2016-12", CITY)] == 2
