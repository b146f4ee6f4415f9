"""The tracking stage's reads: Ibis expressions on :meth:`jingxin.store.Store.table`.

Each function returns an (unexecuted) Ibis expression built on ``store.table(name, scope)``,
so the county filter of :mod:`jingxin.store.scope` applies to every read; the stage's
modules run them with :func:`rows` (or ``store.run``) and do the arithmetic in Python.
Every function takes the ``scope`` to read under, with no default: the CLI, the demo and
the reports pass ``Scope.city()``; the web platform will pass a county's.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import ibis
import ibis.expr.types as ir

from jingxin.errors import DataError
from jingxin.store import Scope, Store

__all__ = [
    "city_of",
    "closed_status",
    "cube_cells",
    "december_values",
    "decomposed_indicators",
    "enterprise_names",
    "enterprise_parents",
    "enterprise_regions",
    "first_dates",
    "introduced_dates",
    "latest_progress",
    "n_platforms",
    "peer_values",
    "pool_changes",
    "pool_members",
    "revenue_pairs",
    "rows",
    "targets_of",
    "threshold_targets",
    "yearly_electricity",
]

ALL = "all"


def rows(store: Store, expr: ir.Table) -> list[dict[str, Any]]:
    """Run ``expr`` and return its rows as dicts."""
    out: list[dict[str, Any]] = store.run(expr).to_pylist()
    return out


# -- the cube and the targets (open aggregate tables) -----------------------------------------
def cube_cells(
    store: Store,
    scope: Scope,
    *,
    periods: Sequence[str] | None = None,
    december: bool = False,
    region: str | None = None,
    group: str | None = ALL,
) -> ir.Table:
    """Cube cells of some periods (or every December), a region and a group (default 'all')."""
    c = store.table("cube", scope)
    if periods is not None:
        c = c.filter(c.period.isin(list(periods)))
    if december:
        c = c.filter(c.period.endswith("-12"))
    if region is not None:
        c = c.filter(c.region_code == region)
    if group is not None:
        c = c.filter(c.group_key == group)
    return c


def targets_of(store: Store, year: int, scope: Scope) -> ir.Table:
    """Every target of ``year``: indicator, region, basis, value."""
    t = store.table("target", scope)
    return t.filter(t.year == year).select("indicator", "region_code", "basis", "value")


def decomposed_indicators(
    store: Store, city: str, year: int, scope: Scope, *, basis: str | None = None
) -> ir.Table:
    """The indicators (one row each, sorted) with a ``year`` target for a county of ``city``."""
    t = store.table("target", scope)
    r = store.table("region", scope)
    t = t.filter(t.year == year)
    if basis is not None:
        t = t.filter(t.basis == basis)
    counties = r.filter(r.parent == city).select(region_code=r.code)
    return t.join(counties, "region_code").select("indicator").distinct().order_by("indicator")


def threshold_targets(store: Store, indicator: str, year: int, scope: Scope) -> ir.Table:
    """The ``value`` targets of ``indicator`` in ``year``, a city's first, then by region code."""
    t = store.table("target", scope)
    r = store.table("region", scope)
    t = t.filter((t.indicator == indicator) & (t.year == year) & (t.basis == "value"))
    j = t.join(r.select(region_code=r.code, level=r.level), "region_code")
    return j.order_by(ibis.desc(j.level == "地级市"), j.region_code).select("value").limit(1)


def peer_values(store: Store, indicator: str, scope: Scope) -> ir.Table:
    """Published figures of ``indicator`` for other regions: region, period, value."""
    p = store.table("peer_figure", scope)
    return p.filter(p.indicator == indicator).select("region_code", "period", "value")


# -- the register --------------------------------------------------------------------------
def enterprise_names(store: Store, scope: Scope) -> ir.Table:
    """Credit code and name of every enterprise in scope."""
    return store.table("enterprise", scope).select("uscc", "name")


def enterprise_regions(store: Store, scope: Scope) -> ir.Table:
    """The counties that have enterprises in scope, in code order."""
    e = store.table("enterprise", scope)
    return e.select("region_code").distinct().order_by("region_code")


def enterprise_parents(store: Store, scope: Scope) -> ir.Table:
    """The cities (parents of the counties) of the enterprises in scope."""
    e = store.table("enterprise", scope)
    r = store.table("region", scope)
    j = e.join(r.select(region_code=r.code, parent=r.parent), "region_code")
    return j.select("parent").distinct()


def city_of(store: Store, scope: Scope) -> str:
    """The city whose enterprises the store holds (one city per store).

    Raises
    ------
    DataError
        When the enterprises in ``scope`` belong to no city or to several.
    """
    found = rows(store, enterprise_parents(store, scope))
    if len(found) != 1:
        raise DataError(f"库中应恰好有一个城市的企业，实际为 {len(found)} 个。")
    return str(found[0]["parent"])


def n_platforms(store: Store, scope: Scope) -> ir.Scalar:
    """How many key industrial platforms the enterprises in scope belong to."""
    e = store.table("enterprise", scope)
    return e.filter(e.platform.notnull()).platform.nunique()


def closed_status(store: Store, when: date, scope: Scope) -> ir.Table:
    """Enterprises whose latest status on or before ``when`` is closed or deregistered."""
    s = store.table("enterprise_status", scope)
    s = s.filter(s.valid_from <= when)
    latest = s.mutate(_n=ibis.row_number().over(group_by=s.uscc, order_by=ibis.desc(s.valid_from)))
    latest = latest.filter(latest._n == 0)
    return latest.filter(latest.status.isin(["closed", "deregistered"])).select("uscc")


# -- projects ---------------------------------------------------------------------------------
def latest_progress(store: Store, period: str, scope: Scope) -> ir.Table:
    """Each project with its annual plan of ``period``'s year and its latest report of that
    year up to ``period`` (``reported_period``, ``ytd_invested``, actual dates), by code."""
    year = int(period[:4])
    p = store.table("project", scope)
    plan = store.table("project_plan", scope)
    plan = plan.filter(plan.year == year).select(
        plan_id=plan.project_id, annual_plan=plan.annual_plan
    )
    g = store.table("project_progress", scope)
    g = g.filter((g.period <= period) & (g.period >= f"{year}-01"))
    g = g.mutate(_n=ibis.row_number().over(group_by=g.project_id, order_by=ibis.desc(g.period)))
    g = g.filter(g._n == 0).select(
        g_id=g.project_id,
        reported_period=g.period,
        ytd_invested=g.ytd_invested,
        actual_start=g.actual_start,
        actual_completion=g.actual_completion,
    )
    j = p.left_join(plan, p.project_id == plan.plan_id).left_join(g, p.project_id == g.g_id)
    return j.select(
        "project_id",
        "name",
        "category",
        "region_code",
        "lists",
        "planned_total",
        "annual_plan",
        "reported_period",
        "ytd_invested",
        "planned_start",
        "planned_completion",
        "actual_start",
        "actual_completion",
    ).order_by("project_id")


def first_dates(store: Store, column: str, period: str, scope: Scope) -> ir.Table:
    """The first ``column`` date (``actual_start`` or ``actual_completion``) of each project
    in any report up to ``period``: ``project_id``, ``d``."""
    g = store.table("project_progress", scope)
    g = g.filter((g.period <= period) & g[column].notnull())
    return g.group_by("project_id").aggregate(d=g[column].min())


def introduced_dates(store: Store, scope: Scope) -> ir.Table:
    """Projects with the date they were introduced (signed or filed)."""
    p = store.table("project", scope)
    return p.filter(p.introduced.notnull()).select("project_id", "introduced")


# -- pools ------------------------------------------------------------------------------------
def pool_members(store: Store, scope: Scope, pool: str | None = None) -> ir.Table:
    """Pool memberships (of one pool when given), by credit code and entry date."""
    m = store.table("pool_member", scope)
    if pool is not None:
        m = m.filter(m.pool == pool)
    return m.select("pool", "uscc", "entered", "level", "reason", "exited", "exit_reason").order_by(
        "pool", "uscc", "entered"
    )


def pool_changes(store: Store, first: date, last: date, scope: Scope) -> ir.Table:
    """Per pool: members ``entered`` and ``exited`` between ``first`` and ``last``
    (inclusive), for pools with any change, by pool key."""
    m = store.table("pool_member", scope)
    c = m.group_by("pool").aggregate(
        entered=m.count(where=m.entered.between(first, last)),
        exited=m.count(where=m.exited.between(first, last)),
    )
    return c.filter((c.entered > 0) | (c.exited > 0)).order_by("pool")


# -- what pool rules read ---------------------------------------------------------------------
def revenue_pairs(store: Store, year: int, scope: Scope) -> ir.Table:
    """Each enterprise of ``year``'s register: scale, and revenue of the year and the year
    before (``enterprise_annual``; null when not given)."""
    s = store.table("enterprise_scale", scope)
    a = store.table("enterprise_annual", scope)
    s = s.filter(s.year == year).select("uscc", "scale")
    now = a.filter(a.year == year).select(a_uscc=a.uscc, revenue=a.revenue)
    before = a.filter(a.year == year - 1).select(b_uscc=a.uscc, revenue_prior=a.revenue)
    j = s.left_join(now, s.uscc == now.a_uscc).left_join(before, s.uscc == before.b_uscc)
    return j.select("uscc", "scale", "revenue", "revenue_prior")


def december_values(store: Store, column: str, first: int, last: int, scope: Scope) -> ir.Table:
    """``column`` of the December statistics report of each year ``first``..``last``:
    ``uscc``, ``y`` (the year), the value under its own name."""
    f = store.table("monthly_fact", scope)
    f = f.filter(
        (f.period >= f"{first}-12") & (f.period <= f"{last}-12") & f.period.endswith("-12")
    )
    return f.select("uscc", y=f.period.substr(0, 4).cast("int32"), **{column: f[column]})


def yearly_electricity(store: Store, first: int, last: int, scope: Scope) -> ir.Table:
    """Each enterprise's electricity (万千瓦时) summed per year, ``first``..``last``."""
    e = store.table("electricity", scope)
    e = e.filter((e.period >= f"{first}-01") & (e.period <= f"{last}-12"))
    e = e.mutate(y=e.period.substr(0, 4).cast("int32"))
    return e.group_by(["uscc", "y"]).aggregate(kwh=e.kwh.sum())
