"""Resumption of work and production after the Spring Festival, read from daily electricity.

The rule (``docs/energy.md``): an enterprise's baseline is its average daily use in the
baseline month (the previous December unless told otherwise): the month's readings of its
meters ÷ the days of the month.
An enterprise with a positive baseline has **resumed work** on a day when its use that day
exceeds ``threshold`` (30 % by default) of its baseline. For a group of enterprises (the
city, a county, an industry division):

* 复工率 (work resumption rate) = enterprises resumed that day ÷ enterprises with a baseline;
* 复产率 (production resumption rate) = their use that day ÷ the sum of their baselines.

An enterprise without a reading on a day has not resumed that day; one without a baseline
(no use in the baseline month) is in neither count.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

import ibis

from jingxin.energy.daily import daily_use, enterprise_groups, month_daily_mean
from jingxin.errors import InputError
from jingxin.reference import industries, region_name
from jingxin.store import Scope, Store

__all__ = ["BY", "By", "Resumption", "month_days", "resumption"]

By = Literal["county", "division", "county_division"]
BY: dict[str, tuple[str, ...]] = {
    "county": ("region_code",),
    "division": ("division",),
    "county_division": ("region_code", "division"),
}


@dataclass(frozen=True)
class Resumption:
    """Rates day by day: one row per day and group, the city's rows first."""

    rows: list[dict[str, Any]]
    baseline_month: str
    threshold: float
    enterprises: int  # with a baseline, in the scope

    def city(self) -> list[dict[str, Any]]:
        """The city's (the scope's) rows, one per day."""
        return [r for r in self.rows if r["level"] == "all"]


def month_days(month: str) -> tuple[date, date]:
    """The first and last day of ``YYYY-MM``.

    >>> month_days("2016-02")
    (datetime.date(2016, 2, 1), datetime.date(2016, 2, 29))
    """
    try:
        y, m = int(month[:4]), int(month[5:7])
        last = calendar.monthrange(y, m)[1]
    except (ValueError, calendar.IllegalMonthError):
        raise InputError(f"月份 {month!r} 无效：应写作 YYYY-MM，如 2015-12。") from None
    return date(y, m, 1), date(y, m, last)


def resumption(
    store: Store,
    scope: Scope,
    start: date,
    end: date,
    *,
    baseline_month: str | None = None,
    threshold: float = 0.3,
    by: By = "county",
) -> Resumption:
    """复工率 and 复产率 for each day from ``start`` to ``end``, for the scope as a whole and
    for each group ``by`` names."""
    if end < start:
        raise InputError(f"结束日期 {end} 早于开始日期 {start}。")
    if not 0 < threshold < 10:
        raise InputError(f"复工判定比例 {threshold} 无效：应为大于 0 的比例，如 0.3。")
    if by not in BY:
        raise InputError(f"分组 {by!r} 无效：应为 {'、'.join(BY)} 之一。")
    baseline_month = baseline_month or f"{start.year - 1}-12"
    b0, b1 = month_days(baseline_month)
    base = month_daily_mean(store, scope, b0, b1)
    base = base.filter(base.kwh > 0).select("uscc", baseline=base.kwh)
    base = store.run(base.join(enterprise_groups(store, scope), "uscc"))  # once, for both
    keys = list(BY[by])
    den = base.group_by(keys).aggregate([("uscc", "count"), ("baseline", "sum")]).to_pylist()
    groups = {tuple(r[c] for c in keys): (r["uscc_count"], r["baseline_sum"]) for r in den}
    b = ibis.memtable(base)
    days = daily_use(store, scope, start, end).join(b, "uscc")
    days = days.mutate(resumed=(days.kwh > days.baseline * threshold).cast("int64"))
    num = store.run(
        days.group_by(["day", *keys]).aggregate(resumed=days.resumed.sum(), kwh=days.kwh.sum())
    ).to_pylist()
    rows: list[dict[str, Any]] = []
    city: dict[date, list[float]] = {}
    n_all, base_all = base.num_rows, sum(g[1] for g in groups.values())
    for r in num:
        n, kwh_base = groups[tuple(r[c] for c in keys)]
        rows.append(_row(r, n, kwh_base, tuple(keys)))
        total = city.setdefault(r["day"], [0, 0.0])
        total[0] += r["resumed"]
        total[1] += r["kwh"]
    for day, (resumed, kwh) in city.items():  # the counts add up over disjoint groups
        rows.append(_row({"day": day, "resumed": resumed, "kwh": kwh}, n_all, base_all, ()))
    rows.sort(
        key=lambda r: (r["day"], r["level"] != "all", r["region_code"] or "", r["division"] or "")
    )
    return Resumption(rows, baseline_month, threshold, n_all)


def _row(r: dict[str, Any], n: int, baseline: float, keys: tuple[str, ...]) -> dict[str, Any]:
    region = r.get("region_code")
    division = r.get("division")
    return {
        "day": r["day"],
        "level": "all" if not keys else "+".join(keys),
        "region_code": region,
        "region_name": region_name(region) if region else "",
        "division": division,
        "division_name": _division_name(division) if division else "",
        "enterprises": int(n),
        "resumed": int(r["resumed"]),
        "work_pct": 100.0 * r["resumed"] / n,
        "kwh": float(r["kwh"]),
        "baseline_kwh": float(baseline),
        "production_pct": 100.0 * r["kwh"] / baseline if baseline else None,
    }


def _division_name(code: str) -> str:
    ind = industries().get(code)
    return ind.name if ind else code
