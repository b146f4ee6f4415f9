"""The capacity ledger in the cube: eliminated backward capacity and 低小散 cases counted and
summed year to date by county, as if the counties had reported the totals.

A county that sends its list of cases for a year needs no reported total of the same figure:
its reported value (``reported_value``) for that year is not used. Months run from a case's
own to the last month of the year with statistics or electricity, so the cube has no cells
ahead of its data.
"""

from __future__ import annotations

from typing import Any

import ibis
import ibis.expr.types as ir

__all__ = ["CASE_FIGURES", "case_values", "reported_input"]


def _last_month(con: Any, year: int) -> int:
    """The last month of ``year`` with monthly facts or electricity (0: none), read before
    the cube's expression is built (a scalar subquery in it blows up Spark's planner)."""
    last = 0
    for name in ("monthly_fact", "electricity"):
        t = con.table(name)
        p = t.filter(t.period.startswith(f"{year}-")).period.max().to_pyarrow().as_py()
        if p:
            last = max(last, int(p[5:7]))
    return last


# The capacity ledger's cases as year-to-date values: (indicator, case kind, what is added).
CASE_FIGURES = (
    ("backward_capacity_enterprises", "backward", "count"),
    ("backward_capacity_energy", "backward", "energy"),  # 万吨标准煤
    ("small_scattered_cases", "small_scattered", "count"),
)


def case_values(con: Any, year: int) -> ir.Table:
    """(indicator, region_code, period, value) from the capacity ledger: for each month of
    ``year``, the cases completed by its end in each county (energy in 万吨标准煤)."""
    c = con.table("capacity_case")
    c = c.filter(c.closed_on.year() == year)
    j = c.mutate(m=ibis.array(list(range(1, 13))).unnest())  # each case in each month …
    j = j.filter((j.closed_on.month() <= j.m) & (j.m <= _last_month(con, year)))  # … from its
    # own to the last month with statistics or electricity (no cells ahead of the data)
    parts = []
    for indicator, kind, what in CASE_FIGURES:
        k = j.filter(j.kind == kind)
        value = k.count().cast("float64") if what == "count" else k.energy_freed.sum() / 10_000
        g = k.group_by(["region_code", "m"]).aggregate(value=value)
        parts.append(
            g.select(
                indicator=ibis.literal(indicator),
                region_code=g.region_code,
                period=ibis.literal(f"{year}-") + g.m.cast("string").lpad(2, "0"),
                value=g.value.cast("float64"),
            )
        )
    return ibis.union(*parts, distinct=False)


def reported_input(con: Any, year: int) -> ir.Table:
    """``reported_value`` with the capacity ledger's counts of ``year`` and the year before;
    where a county sent its list for a year, its reported total of the same figure for that
    year is not used (the list stands for it)."""
    r = con.table("reported_value").select("indicator", "region_code", "period", "value")
    cases = ibis.union(case_values(con, year - 1), case_values(con, year), distinct=False)
    listed = cases.select("indicator", "region_code", y=cases.period.substr(0, 4)).distinct()
    r = r.mutate(y=r.period.substr(0, 4))
    r = r.anti_join(listed, ["indicator", "region_code", "y"]).drop("y")
    common = {
        "indicator": "string",
        "region_code": "string",
        "period": "string",
        "value": "float64",
    }
    return ibis.union(r.cast(common), cases.cast(common), distinct=False)
