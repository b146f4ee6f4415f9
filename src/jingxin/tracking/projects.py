"""The project ledger computed: in construction, started, completed, invested, against plan
and against time.

A project is *in construction* in a year when it started on or before the year's end and was
not completed before the year began; *started* and *completed* count dates in the year. The
amount invested in a year is the last reported 1–N月 figure of the year (a late report is
taken as it stands; a corrected report replaces the earlier one through ingest).
"""

from __future__ import annotations

import calendar
from datetime import date
from typing import Any

from jingxin.store import Scope, Store
from jingxin.tracking.queries import first_dates, introduced_dates, latest_progress, rows
from jingxin.tracking.targets import completion_pct

__all__ = ["elapsed_pct", "progress_by_project", "project_stats", "schedule_gap_pp"]


def elapsed_pct(period: str, *, by_days: bool = False) -> float:
    """Share of the year elapsed at the end of ``period`` (时间进度), in percent.

    By month (the bulletins' convention: June = 50%), or by days (leap years count 366).
    A day (``YYYY-MM-DD``) counts a partial month: by month, the month's share of its days
    elapsed; by days, the days to and including it.

    >>> elapsed_pct("2016-06"), round(elapsed_pct("2016-02", by_days=True), 2)
    (50.0, 16.39)
    >>> round(elapsed_pct("2015-02", by_days=True), 2)
    16.16
    >>> round(elapsed_pct("2016-02-15"), 2), round(elapsed_pct("2016-02-15", by_days=True), 2)
    (12.64, 12.57)
    """
    y, m = int(period[:4]), int(period[5:7])
    month_days = calendar.monthrange(y, m)[1]
    d = int(period[8:10]) if len(period) >= 10 else month_days
    if not 1 <= d <= month_days:
        from jingxin.errors import InputError

        raise InputError(f"日期 {period!r} 无效：{y} 年 {m} 月只有 {month_days} 天。")
    if not by_days:
        return (m - 1 + d / month_days) / 12 * 100
    days = 366 if calendar.isleap(y) else 365
    return ((date(y, m, d) - date(y, 1, 1)).days + 1) / days * 100


def schedule_gap_pp(done_pct: float, period: str, *, by_days: bool = False) -> float:
    """Percentage points ahead (+) or behind (−) the elapsed share of the year (超/慢序时进度).

    >>> round(schedule_gap_pp(74.0, "2016-08"), 2)
    7.33
    """
    return done_pct - elapsed_pct(period, by_days=by_days)


def progress_by_project(store: Store, period: str, scope: Scope) -> list[dict[str, Any]]:
    """Each project's latest report up to ``period`` in that year, with its annual plan."""
    return rows(store, latest_progress(store, period, scope))


def project_stats(
    store: Store,
    year: int,
    scope: Scope,
    *,
    list_key: str | None = None,
    category: str | None = None,
    period: str | None = None,
    region: str | None = None,
    planned_only: bool = False,
) -> dict[str, Any]:
    """Counts and amounts of the projects of a list, category and/or county for ``year`` (to
    ``period``, default December)."""
    period = period or f"{year}-12"
    first, last = date(year, 1, 1), date(year, 12, 31)
    projects = progress_by_project(store, period, scope)
    starts = _dates(store, "actual_start", period, scope)
    ends = _dates(store, "actual_completion", period, scope)
    out: dict[str, Any] = dict.fromkeys(
        (
            "n",
            "under_construction",
            "started",
            "completed",
            "introduced",
            "started_of_introduced",
            "planned_start",
            "planned_completion",
        ),
        0,
    )
    out["invested"] = 0.0
    out["annual_plan"] = 0.0
    out["planned_total_introduced"] = 0.0
    intro = {r["project_id"]: r["introduced"] for r in rows(store, introduced_dates(store, scope))}
    for r in projects:
        if list_key is not None and list_key not in (r["lists"] or []):
            continue
        if category is not None and r["category"] != category:
            continue
        if region is not None and r["region_code"] != region:
            continue
        if planned_only and r["annual_plan"] is None:
            continue
        pid = r["project_id"]
        s, e, i = starts.get(pid), ends.get(pid), intro.get(pid)
        out["n"] += 1
        out["invested"] += r["ytd_invested"] or 0.0
        out["annual_plan"] += r["annual_plan"] or 0.0
        if s is not None and s <= last and (e is None or e >= first):
            out["under_construction"] += 1
        if s is not None and first <= s <= last:
            out["started"] += 1
            if i is not None and i.year == year:
                out["started_of_introduced"] += 1
        if e is not None and first <= e <= last:
            out["completed"] += 1
        if i is not None and i.year == year:
            out["introduced"] += 1
            out["planned_total_introduced"] += r["planned_total"] or 0.0
        if r["planned_start"] is not None and r["planned_start"].year == year:
            out["planned_start"] += 1
        if r["planned_completion"] is not None and r["planned_completion"].year == year:
            out["planned_completion"] += 1
    out["completion_pct"] = completion_pct(out["invested"], out["annual_plan"])
    out["start_rate_pct"] = completion_pct(out["started"], out["planned_start"])
    out["completion_rate_pct"] = completion_pct(out["completed"], out["planned_completion"])
    return out


def _dates(store: Store, column: str, period: str, scope: Scope) -> dict[str, date]:
    """The first date reported for each project in any report up to ``period``."""
    return {r["project_id"]: r["d"] for r in rows(store, first_dates(store, column, period, scope))}
