"""Each enterprise's electricity day by day, from the grid's daily meter readings.

A meter's readings count for the enterprise the crosswalk (``grid_account``) gives it; an
enterprise's meters are summed. Everything is read through the query boundary, so a
county's staff see their own enterprises' meters only. Amounts are 万千瓦时 as stored.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from jingxin.store import Scope, Store

__all__ = ["daily_use", "enterprise_groups", "month_daily_mean", "readings_span"]


def daily_use(store: Store, scope: Scope, start: date, end: date) -> Any:
    """Ibis table (uscc, day, kwh): each enterprise's use on each day from ``start`` to
    ``end`` (inclusive) on which one of its meters has a reading."""
    m = store.table("meter_daily", scope)
    g = store.table("grid_account", scope)
    m = m.filter((m.day >= start) & (m.day <= end))
    t = m.join(g.select("account", "uscc"), "account")
    return t.group_by(["uscc", "day"]).aggregate(kwh=t.kwh.sum())


def month_daily_mean(store: Store, scope: Scope, first: date, last: date) -> Any:
    """Ibis table (uscc, kwh): each enterprise's use from ``first`` to ``last`` divided by
    the number of days (日均用电量; a day without a reading counts as none used). Summed by
    meter first, so that a month of a province's readings is one pass."""
    m = store.table("meter_daily", scope)
    g = store.table("grid_account", scope)
    m = m.filter((m.day >= first) & (m.day <= last))
    per_meter = m.group_by("account").aggregate(kwh=m.kwh.sum())
    t = per_meter.join(g.select("account", "uscc"), "account")
    days = (last - first).days + 1
    return t.group_by("uscc").aggregate(kwh=t.kwh.sum() / days)


def readings_span(store: Store, scope: Scope) -> tuple[date | None, date | None]:
    """The first and last day with readings in ``scope``."""
    m = store.table("meter_daily", scope)
    got = store.run(m.aggregate(first=m.day.min(), last=m.day.max())).to_pylist()[0]
    return got["first"], got["last"]


def enterprise_groups(store: Store, scope: Scope) -> Any:
    """Ibis table (uscc, name, region_code, division): what rates are grouped by."""
    e = store.table("enterprise", scope)
    return e.select("uscc", "name", "region_code", division=e.industry_code.substr(0, 2))
