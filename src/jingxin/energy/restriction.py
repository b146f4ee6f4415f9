"""A production-restriction list read through electricity: the output it cost, and who can
make it up.

The list is an enterprise pool whose members carry the window of the measure (entered →
exited; the G20 summit's ``g20_restricted`` in the demo). The rules (``docs/energy.md``):

* **Baseline**: the enterprise's average daily use over the ``baseline_days`` (30) days
  before its window, over the days with readings.
* **Electricity lost**: over the window's days with readings, the sum of the baseline
  minus the day's use, where positive.
* **Output lost**: electricity lost × the enterprise's output per electricity before the
  window (工业总产值 1-本月 of the month before the window ÷ its electricity over the
  same months; none when either is missing).
* **Make-up candidates**, on a day ``as_of`` after the window (by default five weeks
  after it ends, or the last day with readings if earlier): the recent peak is the
  highest 7-day average daily use in the ``peak_days`` (90) days before the window (full
  weeks only); current use is the average over the ``recent_days`` (14) days to ``as_of``.
  Spare capacity = peak − current; an enterprise whose spare capacity is at least
  ``min_spare_pct`` (20 %) of its peak is a candidate. Candidates are ranked by the output
  a day of spare capacity would give (spare × output per electricity), then by spare.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import ibis

from jingxin.energy.daily import daily_use, enterprise_groups, readings_span
from jingxin.errors import InputError, NotFoundError
from jingxin.reference import region_name
from jingxin.reference.vocabulary import POOLS
from jingxin.store import Scope, Store

__all__ = ["AFTER_DAYS", "Candidates", "Effect", "makeup_candidates", "restriction_effect"]

AFTER_DAYS = 35  # the make-up survey's default day: five weeks after the window ends


@dataclass(frozen=True)
class Effect:
    """Each restricted enterprise's loss, largest output lost first, and the totals."""

    pool: str
    rows: list[dict[str, Any]]
    kwh_lost: float  # 万千瓦时
    output_lost: float  # 万元, of the enterprises whose output per electricity is known


@dataclass(frozen=True)
class Candidates:
    """Every restricted enterprise's spare capacity on ``as_of``; the candidates ranked."""

    pool: str
    as_of: date
    rows: list[dict[str, Any]]  # all members with a peak, candidates first (by rank)

    @property
    def candidates(self) -> list[dict[str, Any]]:
        return [r for r in self.rows if r["candidate"]]


def _members(store: Store, scope: Scope, pool: str) -> Any:
    p = store.table("pool_member", scope)
    p = p.filter(p.pool == pool)
    last = readings_span(store, scope)[1]
    end = p.exited if last is None else p.exited.fill_null(ibis.literal(last))
    return p.select("uscc", start=p.entered, end=end).filter(lambda t: t.end.notnull())


def _output_per_kwh(store: Store, scope: Scope, starts: dict[str, date]) -> dict[str, float]:
    """万元 of gross output per 万千瓦时 before each enterprise's window."""
    out: dict[str, float] = {}
    f = store.table("monthly_fact", scope)
    e = store.table("electricity", scope)
    for month in sorted({_month_before(d) for d in starts.values()}):
        who = [u for u, d in starts.items() if _month_before(d) == month]
        go = store.run(
            f.filter((f.period == month) & f.uscc.isin(who)).select("uscc", "gross_output")
        )
        kwh = store.run(
            e.filter((e.period >= f"{month[:4]}-01") & (e.period <= month) & e.uscc.isin(who))
            .group_by("uscc")
            .aggregate(kwh=e.kwh.sum())
        )
        used = dict(zip(kwh["uscc"].to_pylist(), kwh["kwh"].to_pylist(), strict=True))
        for u, g in zip(go["uscc"].to_pylist(), go["gross_output"].to_pylist(), strict=True):
            if g is not None and used.get(u):
                out[u] = g / used[u]
    return out


def _firm(r: dict[str, Any]) -> dict[str, Any]:
    """Who a row is about, as every answer names an enterprise."""
    return {
        "uscc": r["uscc"],
        "name": r["name"],
        "region_code": r["region_code"],
        "region_name": region_name(r["region_code"]),
    }


def _month_before(d: date) -> str:
    first = d.replace(day=1) - timedelta(days=1)
    return f"{first.year:04d}-{first.month:02d}"


def _check(pool: str) -> None:
    if pool not in {p.key for p in POOLS}:
        known = "、".join(f"{p.key}（{p.label}）" for p in POOLS)
        raise InputError(f"没有名单 {pool!r}：可选 {known}。")


def restriction_effect(
    store: Store, scope: Scope, pool: str = "g20_restricted", *, baseline_days: int = 30
) -> Effect:
    """The electricity and output the restriction cost each member of ``pool``."""
    if baseline_days < 1:
        raise InputError("基期天数应为正整数。")
    _check(pool)
    m = _members(store, scope, pool)
    members = store.run(m).to_pylist()
    if not members:  # none of the list in the scope (a county's own, or an empty list)
        return Effect(pool, [], 0.0, 0.0)
    first = min(r["start"] for r in members) - timedelta(days=baseline_days)
    last = max(r["end"] for r in members)
    d = daily_use(store, scope, first, last).join(m, "uscc")
    before = d.filter((d.day < d.start) & (d.day >= d.start - ibis.interval(days=baseline_days)))
    base = before.group_by("uscc").aggregate(baseline=before.kwh.mean())
    inside = d.filter((d.day >= d.start) & (d.day <= d.end)).join(base, "uscc")
    short = (inside.baseline - inside.kwh).clip(lower=0)
    lost = inside.group_by("uscc").aggregate(
        days=inside.day.nunique(),
        kwh=inside.kwh.sum(),
        baseline=inside.baseline.max(),
        kwh_lost=short.sum(),
    )
    got = store.run(lost.join(enterprise_groups(store, scope), "uscc")).to_pylist()
    span = {r["uscc"]: (r["start"], r["end"]) for r in members}
    ratio = _output_per_kwh(store, scope, {u: s for u, (s, _) in span.items()})
    rows = []
    for r in got:
        k = ratio.get(r["uscc"])
        rows.append(
            {
                **_firm(r),
                "start": span[r["uscc"]][0],
                "end": span[r["uscc"]][1],
                "days": int(r["days"]),
                "baseline_kwh": float(r["baseline"]),
                "kwh": float(r["kwh"]),
                "kwh_lost": float(r["kwh_lost"]),
                "cut_pct": 100.0 * r["kwh_lost"] / (r["baseline"] * r["days"])
                if r["baseline"]
                else None,
                "output_per_kwh": k,
                "output_lost": None if k is None else float(r["kwh_lost"]) * k,
            }
        )
    rows.sort(key=lambda r: (-(r["output_lost"] or 0.0), -r["kwh_lost"], r["uscc"]))
    return Effect(
        pool,
        rows,
        sum(r["kwh_lost"] for r in rows),
        sum(r["output_lost"] or 0.0 for r in rows),
    )


def makeup_candidates(
    store: Store,
    scope: Scope,
    pool: str = "g20_restricted",
    *,
    as_of: date | None = None,
    peak_days: int = 90,
    recent_days: int = 14,
    min_spare_pct: float = 20.0,
) -> Candidates:
    """Members of ``pool`` whose use on ``as_of`` leaves room below their recent peak,
    ranked by the output that room would give. ``as_of`` defaults to five weeks
    (:data:`AFTER_DAYS`) after the latest window's end, or the last day with readings if
    that is earlier."""
    _check(pool)
    if peak_days < 7 or recent_days < 1:
        raise InputError("峰值期应不少于 7 天，近期天数应为正整数。")
    last = readings_span(store, scope)[1]
    if last is None:
        raise NotFoundError("还没有日用电量数据：请先导入供电公司的日用电量文件。")
    m = _members(store, scope, pool)
    listed = store.run(m).to_pylist()
    if as_of is None:  # five weeks after the latest window, when the bureau surveys
        ends = [r["end"] for r in listed if r["end"] < last]
        as_of = min(last, max(ends) + timedelta(days=AFTER_DAYS)) if ends else last
    members = [r for r in listed if r["end"] < as_of]
    if not members:
        return Candidates(pool, as_of, [])
    first = min(r["start"] for r in members) - timedelta(days=peak_days + 6)
    d = daily_use(store, scope, first, as_of).join(m, "uscc")
    week = ibis.window(group_by="uscc", order_by="day", preceding=6, following=0)
    pre = d.filter((d.day < d.start) & (d.day >= d.start - ibis.interval(days=peak_days + 6)))
    pre = pre.mutate(mean7=pre.kwh.mean().over(week), n7=pre.kwh.count().over(week))
    pre = pre.filter((pre.n7 == 7) & (pre.day >= pre.start - ibis.interval(days=peak_days)))
    peak = pre.group_by("uscc").aggregate(peak=pre.mean7.max())
    recent_from = as_of - timedelta(days=recent_days - 1)
    now = d.filter((d.day >= recent_from) & (d.day <= as_of))
    current = now.group_by("uscc").aggregate(current=now.kwh.mean(), days=now.day.nunique())
    t = peak.left_join(current, "uscc").join(enterprise_groups(store, scope), "uscc")
    got = store.run(t.select("uscc", "peak", "current", "name", "region_code")).to_pylist()
    ratio = _output_per_kwh(store, scope, {r["uscc"]: r["start"] for r in members})
    rows = []
    for r in got:
        current_kwh = float(r["current"] or 0.0)
        spare = max(float(r["peak"]) - current_kwh, 0.0)
        pct = 100.0 * spare / r["peak"] if r["peak"] else 0.0
        k = ratio.get(r["uscc"])
        rows.append(
            {
                **_firm(r),
                "peak_kwh": float(r["peak"]),
                "current_kwh": current_kwh,
                "spare_kwh": spare,
                "spare_pct": pct,
                "output_per_day": None if k is None else spare * k,
                "candidate": pct >= min_spare_pct and spare > 0,
                "rank": None,
            }
        )
    rows.sort(
        key=lambda r: (
            not r["candidate"],
            -(r["output_per_day"] or 0.0),
            -r["spare_kwh"],
            r["uscc"],
        )
    )
    for i, r in enumerate(x for x in rows if x["candidate"]):
        r["rank"] = i + 1
    return Candidates(pool, as_of, rows)
