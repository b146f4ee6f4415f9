"""The demo city's electricity day by day: the grid's daily readings behind its monthly bills.

For the months the bureau reads the economy from the grid — the December before the
Spring Festival (the baseline), January to March, August to December — each enterprise's
month of use is spread over its days by a shape:

* a working week (Sundays lighter) with day-to-day noise;
* the Spring Festival: use tapers in the fortnight before it, falls to a trough (process
  industries keep running at three quarters) and comes back enterprise by enterprise, each
  on its own day, over a few days;
* a production restriction (the G20 summit's, 24 August – 6 September in the demo): the
  listed enterprises cut their use by half or more, or stop; most come back to their
  level at once, but those the bureau will find able to make up output run at about 70 %
  of it until the list of candidates is drawn (10 October) and then above it to the year's
  end.

The restriction is in the monthly weights too (so in monthly electricity and output, the
year's totals unchanged): :func:`restriction_factors` gives each month's mean factor. The
candidates are not a list the demo keeps: they are found by the rule
(:func:`jingxin.energy.restriction.makeup_candidates`) on the readings.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from jingxin.reference.calendar import SPRING_FESTIVAL

__all__ = [
    "DailyUse",
    "Restriction",
    "daily_months",
    "daily_shapes",
    "festival_factors",
    "festival_levels",
    "restriction_factors",
]

Floats = npt.NDArray[np.float64]
PROCESS = frozenset({"22", "25", "26", "28", "30", "31", "32", "44"})  # run through holidays


@dataclass(frozen=True)
class Restriction:
    """Who is restricted, when, and who keeps spare capacity afterwards (indices)."""

    restricted: npt.NDArray[np.int64]
    spare: npt.NDArray[np.int64]  # a subset of ``restricted``
    start: date
    end: date
    designated: date  # the day the bureau draws its list of candidates
    cut: Floats  # per restricted enterprise: the share of use cut in the window


@dataclass(frozen=True)
class DailyUse:
    """Each enterprise's daily use (万千瓦时) by month: ``days[m]`` and ``kwh[m]`` (n × days)."""

    days: dict[str, list[date]]
    kwh: dict[str, Floats]

    def tables(self, enterprise: pa.Table) -> dict[str, pa.Table]:
        """``grid_account`` and ``meter_daily`` with one meter an enterprise (``enterprise``
        in the generator's order): the readings loaded without files."""
        codes = enterprise.column("uscc").to_pylist()
        meters = [f"D{i:010d}" for i in range(len(codes))]
        cols: dict[str, list[pa.Array]] = {"account": [], "day": [], "kwh": []}
        for month, days in self.days.items():
            n = len(days)
            cols["account"].append(pa.array(np.repeat(meters, n)))
            cols["day"].append(pa.array(np.tile(np.array(days, "datetime64[D]"), len(codes))))
            cols["kwh"].append(pa.array(self.kwh[month].ravel()))
        readings = pa.table({k: pa.chunked_array(v) for k, v in cols.items()})
        crosswalk = pa.table(
            {"account": meters, "account_name": enterprise.column("name"), "uscc": codes}
        )
        return {"grid_account": crosswalk, "meter_daily": readings}


def daily_months(year: int) -> list[str]:
    """The months with daily readings: the baseline December, Jan–Mar, Aug–Dec."""
    return [f"{year - 1}-12"] + [f"{year}-{m:02d}" for m in (1, 2, 3, 8, 9, 10, 11, 12)]


def _days(month: str) -> list[date]:
    y, m = int(month[:4]), int(month[5:])
    first = date(y, m, 1)
    nxt = date(y + (m == 12), m % 12 + 1, 1)
    return [first + timedelta(days=i) for i in range((nxt - first).days)]


def _event(days: list[date], n: int, r: Restriction | None) -> Floats:
    """The restriction's factor on each day (n × days), 1 where it does not reach."""
    f = np.ones((n, len(days)))
    if r is None or not len(r.restricted):
        return f
    since = np.array([(x - r.start).days for x in days])
    after = np.array([(x - r.end).days for x in days])
    window = (since >= 0) & (after <= 0)
    f[np.ix_(r.restricted, np.flatnonzero(window))] = (1 - r.cut)[:, None]
    to_list = np.array([(x - r.designated).days for x in days])
    slack = (after > 0) & (to_list < 0)
    f[np.ix_(r.spare, np.flatnonzero(slack))] = 0.7
    ramp = np.clip(to_list / 20, 0, 1)
    making_up = to_list >= 0
    f[np.ix_(r.spare, np.flatnonzero(making_up))] = (0.7 + 0.42 * ramp[making_up])[None, :]
    return f


def restriction_factors(n: int, year: int, r: Restriction | None) -> Floats:
    """Each month's mean restriction factor (n × 12): what the monthly weights carry."""
    out = np.ones((n, 12))
    for m in range(12):
        out[:, m] = _event(_days(f"{year}-{m + 1:02d}"), n, r).mean(axis=1)
    return out


def festival_levels(
    rng: np.random.Generator, year: int, division: npt.NDArray[np.str_]
) -> dict[str, Floats]:
    """Each enterprise's level on each day of January–March (n × days; 1 = a normal day):
    the taper before the Spring Festival, the trough, and its own day of return."""
    n = len(division)
    festival = SPRING_FESTIVAL[year]
    process = np.isin(division, list(PROCESS))
    back = festival + timedelta(days=6)
    resume = np.where(process, 0, np.minimum(np.round(rng.gamma(1.6, 2.5, n)), 30))
    ramp_days = rng.integers(3, 8, n)
    trough = np.where(process, 0.75, 0.1)[:, None]
    out = {}
    for m in (1, 2, 3):
        days = _days(f"{year}-{m:02d}")
        k = np.array([(x - festival).days for x in days])
        level = np.ones((n, len(days)))
        before = (k >= -14) & (k < -4)
        level[:, before] = 1 - (1 - 0.55) * (k[before] + 14) / 10
        level[:, (k >= -4) & (k <= 5)] = np.broadcast_to(trough, (n, 1))
        since = np.array([(x - back).days for x in days])[None, :] - resume[:, None]
        coming = np.clip(since / ramp_days[:, None], 0, 1)
        level = np.where(k[None, :] > 5, trough + (1 - trough) * coming, level)
        out[f"{year}-{m:02d}"] = level
    return out


def festival_factors(levels: dict[str, Floats], n: int) -> Floats:
    """Each month's mean festival level (n × 12; 1 outside January–March): what the
    monthly weights carry, so that a normal day after the festival is a normal day."""
    out = np.ones((n, 12))
    for month, level in levels.items():
        out[:, int(month[5:]) - 1] = level.mean(axis=1)
    return out


def daily_shapes(
    rng: np.random.Generator,
    year: int,
    levels: dict[str, Floats],
    monthly: dict[str, Floats],
    r: Restriction | None,
) -> DailyUse:
    """Daily use for :func:`daily_months`, each month summing to ``monthly[month]``; the
    festival's ``levels`` (:func:`festival_levels`) and the restriction shape the days."""
    n = len(next(iter(monthly.values())))
    out_days, out_kwh = {}, {}
    for month in daily_months(year):
        days = _days(month)
        shape = rng.lognormal(0.0, 0.05, (n, len(days)))
        shape *= np.array([0.88 if x.weekday() == 6 else 1.0 for x in days])[None, :]
        if month in levels:
            shape *= levels[month]
        if month.startswith(str(year)):
            shape *= _event(days, n, r)
        total = shape.sum(axis=1, keepdims=True)
        out_days[month] = days
        out_kwh[month] = np.where(total > 0, monthly[month][:, None] * shape / total, 0.0)
    return DailyUse(out_days, out_kwh)
