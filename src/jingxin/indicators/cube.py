"""The indicator cube: region × industry group × period × measure, computed with Ibis.

The statistics bureau's conventions (see docs/architecture.md):

* growth of 规上 measures is over the **same enterprise sample**: this year's sample's
  values against the same enterprises' values for the same period last year;
* value added grows at **comparable prices**: each enterprise's current value is deflated
  by its division's PPI (same period last year = 100) before summing;
* shares are at current prices; 贡献率 = part's increase ÷ total's increase; 拉动 = part's
  increase ÷ total's prior value (percentage points);
* ranks are computed before rounding, and ties share the better rank.

Everything here builds Ibis expressions; only ``jingxin.store`` runs them against DuckDB.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import ibis
import ibis.expr.types as ir

from jingxin.errors import DataError
from jingxin.indicators.cases import reported_input
from jingxin.indicators.catalogue import MEASURES, RATIOS
from jingxin.reference.groups import IndustryGroup, load_groups
from jingxin.store.engines import materialize

__all__ = ["CUBE_COLUMNS", "CUBE_INPUTS", "build_cube", "membership", "periods_of"]

ALL = "all"

CUBE_COLUMNS = (
    "period",
    "region_code",
    "region_level",
    "group_key",
    "measure",
    "n_enterprises",
    "value",
    "prior",
    "value_const",
    "growth_pct",
    "share_pct",
    "prior_share_pct",
    "share_change_pp",
    "change_pp",
    "contribution_pct",
    "pull_pp",
    "county_rank_value",
    "county_rank_growth",
    "province_rank_value",
    "province_rank_growth",
    "province_growth_pct",
    "above_province_pp",
    "share_of_city_pct",
)

_KEYS = ["period", "region_code", "group_key", "measure"]

CUBE_INPUTS = (
    "region",
    "enterprise",
    "enterprise_scale",
    "monthly_fact",
    "electricity",
    "price_index",
    "peer_figure",
    "reported_value",
    "capacity_case",
)
"""The store tables ``build_cube`` reads (what another engine needs to hold)."""


def periods_of(year: int) -> list[str]:
    """The twelve YYYY-MM periods of a year.

    Examples
    --------
    >>> periods_of(2016)[:2]
    ['2016-01', '2016-02']
    """
    return [f"{year}-{m:02d}" for m in range(1, 13)]


def _in_months(period: Any, year: int, months: Sequence[int] | None) -> Any:
    """Periods of ``year`` (every month, or only ``months``)."""
    if months is None:
        return period.startswith(f"{year}-")
    return period.isin([f"{year}-{m:02d}" for m in months])


def membership(enterprise: ir.Table, groups: Iterable[IndustryGroup]) -> ir.Table:
    """(uscc, group_key) for every enterprise and every group it belongs to, plus 'all'."""
    parts = [enterprise.select("uscc", group_key=ibis.literal(ALL))]
    for g in groups:
        conds: list[Any] = [enterprise.industry_code.startswith(p) for p in g.prefixes]
        conds += [enterprise.flags.contains(f) for f in g.flags]
        pred = conds[0]
        for c in conds[1:]:
            pred = pred | c
        parts.append(enterprise.filter(pred).select("uscc", group_key=ibis.literal(g.key)))
    return ibis.union(*parts, distinct=False)


def _sum_cols(t: ir.Table, cols: Sequence[str], suffix: str = "") -> Any:
    expr = t[cols[0] + suffix].fill_null(0)
    for c in cols[1:]:
        expr = expr + t[c + suffix].fill_null(0)
    return expr


def _stats_rows(
    con: Any, year: int, members: ir.Table, enterprise: ir.Table, months: Sequence[int] | None
) -> ir.Table:
    """County-level sums of the statistics measures over the year's above-scale sample."""
    measures = [m for m in MEASURES if m.source == "stats"]
    facts = con.table("monthly_fact")
    facts = facts.filter(_in_months(facts.period, year, months))
    scale = con.table("enterprise_scale")
    sample = scale.filter((scale.year == year) & (scale.scale == "above")).select("uscc")
    ppi = con.table("price_index")
    base = (
        facts.join(sample, "uscc")
        .join(enterprise.select("uscc", "region_code", "industry_code"), "uscc")
        .mutate(division=ibis._.industry_code.substr(0, 2))
    )
    base = base.left_join(ppi.select("division", "period", "ppi"), ["division", "period"]).drop(
        "division_right", "period_right"
    )
    missing = base.filter(base.ppi.isnull()).select("division", "period").distinct().limit(10)
    missing_rows = missing.to_pyarrow().to_pylist()
    if missing_rows:
        listed = "、".join(f"{r['division']} 大类 {r['period']}" for r in missing_rows)
        raise DataError(
            f"缺少工业生产者出厂价格指数（PPI）：{listed}。请先导入价格指数再计算可比价增速。"
        )
    # (uscc, period) is the key of monthly_fact and membership has one row per (uscc, group),
    # so a group's rows are distinct enterprises: count(*) equals count(distinct uscc), and is
    # cheaper (issue #6).
    j = base.join(members, "uscc")
    aggs: dict[str, Any] = {"n_enterprises": j.count()}
    for m in measures:
        cur = _sum_cols(j, m.columns)
        aggs[f"{m.key}__value"] = cur.sum()
        aggs[f"{m.key}__prior"] = _sum_cols(j, m.columns, "_prior").sum()
        const = cur / (j.ppi / 100.0) if m.comparable else cur
        aggs[f"{m.key}__const"] = const.sum()
    wide = j.group_by(["group_key", "region_code", "period"]).aggregate(**aggs)
    return _unpivot(
        wide,
        "measure",
        [m.key for m in measures],
        {
            "value": lambda k: wide[f"{k}__value"],
            "prior": lambda k: wide[f"{k}__prior"],
            "value_const": lambda k: wide[f"{k}__const"],
        },
        keep=["group_key", "region_code", "period", "n_enterprises"],
    ).select(
        "group_key",
        "region_code",
        "period",
        "n_enterprises",
        "measure",
        "value",
        "prior",
        "value_const",
    )


def _unpivot(
    wide: ir.Table,
    label: str,
    labels: Sequence[str],
    columns: dict[str, Any],
    keep: Sequence[str],
) -> ir.Table:
    """Each row of ``wide`` once per label: ``keep``, ``label`` and each of ``columns``.

    ``columns`` maps an output column to a function of the label giving the wide column.
    Unnesting the labels reads ``wide`` once; a union of one select per label would
    let an engine compute ``wide`` (an aggregate) once per branch, as DuckDB does (issue #6).
    """
    # An array of the labels, unnested: one row per label, on every engine, no temp table.
    j = wide.mutate(**{label: ibis.array([ibis.literal(lab) for lab in labels]).unnest()})
    picked = {
        out: ibis.cases(*[(j[label] == lab, j[pick(lab).get_name()]) for lab in labels])
        for out, pick in columns.items()
    }
    return j.select(*keep, label, **picked)


def _ytd_rows(
    monthly: ir.Table,
    year: int,
    key: str,
    members: ir.Table | None,
    enterprise: ir.Table,
    months: Sequence[int] | None = None,
) -> ir.Table:
    """Year-to-date sums of single-month values, with the same months of last year as prior.

    Used for the grid's electricity records: all industrial users, not a sample. The prior
    of month M sums every user's months 1..M of last year, including users that have no
    record this year (closed or moved away), so a county or group keeps its prior even when
    all of its users stopped. Months after the latest month with records are not emitted.
    With ``months``, only those months are (each still sums every month from January).
    """
    if months is None:
        m = monthly.filter(
            monthly.period.startswith(f"{year}-") | monthly.period.startswith(f"{year - 1}-")
        )
    else:
        upto = [f"{y}-{mo:02d}" for y in (year, year - 1) for mo in range(1, max(months) + 1)]
        m = monthly.filter(monthly.period.isin(upto))
    m = m.join(enterprise.select("uscc", "region_code"), "uscc")
    if members is not None:
        m = m.join(members, "uscc")
    m = m.mutate(y=m.period.substr(0, 4).cast("int32"), mo=m.period.substr(5, 2).cast("int32"))
    last = m.filter(m.y == year).mo.max().to_pyarrow().as_py() or 0
    emitted = [mo for mo in range(1, last + 1) if months is None or mo in months]
    if not emitted:
        return _empty_rows(monthly)
    keys = ["group_key", "region_code"]
    # Aggregate the records once to (county, group, month) sums and to each user's first
    # month of the year; the twelve year-to-date columns are then sums over those small
    # tables, not twelve passes of conditional sums and distinct counts over every record.
    by_month = m.group_by([*keys, "y", "mo"]).aggregate(kwh=m.kwh.sum())
    aggs: dict[str, Any] = {}
    for mo in emitted:
        this = (by_month.y == year) & (by_month.mo <= mo)
        prev = (by_month.y == year - 1) & (by_month.mo <= mo)
        aggs[f"v{mo}"] = ibis.ifelse(this, by_month.kwh, 0.0).sum()
        aggs[f"p{mo}"] = ibis.ifelse(prev, by_month.kwh, 0.0).sum()
    sums = by_month.group_by(keys).aggregate(**aggs)
    this_year = m.filter(m.y == year)
    first = this_year.group_by([*keys, "uscc"]).aggregate(first=this_year.mo.min())
    starts = first.group_by([*keys, "first"]).aggregate(users=first.count())
    users = starts.group_by(keys).aggregate(
        **{f"n{mo}": ibis.ifelse(starts.first <= mo, starts.users, 0).sum() for mo in emitted}
    )
    wide = sums.left_join(users, keys).drop("group_key_right", "region_code_right")
    wide = wide.mutate(**{f"n{mo}": wide[f"n{mo}"].fill_null(0).cast("int64") for mo in emitted})
    periods = {f"{year}-{mo:02d}": mo for mo in emitted}
    return _unpivot(
        wide,
        "period",
        list(periods),
        {
            "n_enterprises": lambda p: wide[f"n{periods[p]}"],
            "value": lambda p: wide[f"v{periods[p]}"],
            "prior": lambda p: wide[f"p{periods[p]}"],
            "value_const": lambda p: wide[f"v{periods[p]}"],
        },
        keep=["group_key", "region_code"],
    ).select(
        "group_key",
        "region_code",
        "period",
        "n_enterprises",
        measure=ibis.literal(key),
        value=ibis._.value,
        prior=ibis._.prior,
        value_const=ibis._.value_const,
    )


def _empty_rows(monthly: ir.Table) -> ir.Table:
    """No rows, with the columns of the other row sources (no in-memory table: every engine
    can run it, also inside a materialised query)."""
    none = monthly.filter(ibis.literal(False))
    text = ibis.literal("", "string")
    zero = ibis.literal(0.0, "float64")
    return none.select(
        group_key=text,
        region_code=text,
        period=text,
        n_enterprises=ibis.literal(0, "int64"),
        measure=text,
        value=zero,
        prior=zero,
        value_const=zero,
    )


def _reported_rows(con: Any, year: int, months: Sequence[int] | None) -> ir.Table:
    """Counties' reported YTD values, with last year's same period as prior."""
    r = reported_input(con, year)
    cur = r.filter(_in_months(r.period, year, months))
    prev = r.filter(r.period.startswith(f"{year - 1}-")).select(
        "indicator", "region_code", mo=r.period.substr(5, 2), prior=r.value
    )
    cur = cur.mutate(mo=cur.period.substr(5, 2))
    j = cur.left_join(prev, ["indicator", "region_code", "mo"])
    return j.select(
        group_key=ibis.literal(ALL),
        region_code=j.region_code,
        period=j.period,
        n_enterprises=ibis.null("int64"),
        measure=j.indicator,
        value=j.value,
        prior=j.prior,
        value_const=j.value,
    )


def _to_city(county_rows: ir.Table, region: ir.Table) -> ir.Table:
    """Add city rows: sums of their counties (all measures here are additive)."""
    parents = region.select(region_code=region.code, city=region.parent)
    j = county_rows.join(parents, "region_code")
    city = j.group_by(["group_key", "city", "period", "measure"]).aggregate(
        n_enterprises=j.n_enterprises.sum(),
        value=j.value.sum(),
        prior=j.prior.sum(),
        value_const=j.value_const.sum(),
    )
    city = city.select(
        "group_key",
        "period",
        "measure",
        "n_enterprises",
        "value",
        "prior",
        "value_const",
        region_code=city.city,
        region_level=ibis.literal("city"),
    )
    county = county_rows.mutate(region_level=ibis.literal("county"))
    return ibis.union(county.select(*city.columns), city, distinct=False)


def _ratios(rows: ir.Table) -> ir.Table:
    """Ratio measures (percent) from pairs of measure rows."""
    parts = []
    keys = ["period", "region_code", "region_level", "group_key"]
    for r in RATIOS:
        num = rows.filter(rows.measure == r.numerator)
        den = rows.filter(rows.measure == r.denominator).select(
            *keys, d_value=rows.value, d_prior=rows.prior
        )
        j = num.join(den, keys)
        d_inc = j.d_value - j.d_prior
        parts.append(
            j.select(
                *keys,
                n_enterprises=j.n_enterprises,
                measure=ibis.literal(r.key),
                value=_pct(j.value, j.d_value),
                prior=_pct(j.prior, j.d_prior),
                value_const=ibis.null("float64"),
                contribution_pct=_pct(j.value - j.prior, d_inc),
            )
        )
    return ibis.union(*parts, distinct=False)


def _pct(num: Any, den: Any) -> Any:
    return ibis.ifelse(den == 0, ibis.null("float64"), num * 100.0 / den)


def _rank_desc(col: Any, partition: list[str]) -> Any:
    """1-based rank, highest first; ties share the better rank; nulls are not ranked."""
    w = ibis.window(group_by=partition, order_by=ibis.desc(col))
    return ibis.ifelse(col.isnull(), ibis.null("int64"), ibis.rank().over(w) + 1)


def _derive(rows: ir.Table, con: Any, peers: ir.Table) -> ir.Table:
    """Growth, shares (of the group total, of the city), contribution, pull and ranks."""
    keys = ["period", "region_code", "measure"]
    t = rows.mutate(growth_pct=_pct(rows.value_const - rows.prior, rows.prior))
    total = t.filter(t.group_key == ALL).select(
        *keys, t_value=t.value, t_prior=t.prior, t_const=t.value_const
    )
    t = t.left_join(total, keys).drop("period_right", "region_code_right", "measure_right")
    inc = t.value_const - t.prior
    t = t.mutate(
        share_pct=_pct(t.value, t.t_value),
        prior_share_pct=_pct(t.prior, t.t_prior),
        contribution_pct=_pct(inc, t.t_const - t.t_prior),
        pull_pp=_pct(inc, t.t_prior),
    ).mutate(share_change_pp=ibis._.share_pct - ibis._.prior_share_pct)
    part = ["period", "group_key", "measure", "region_level", "city_code"]
    region = con.table("region")
    t = t.left_join(
        region.select(region_code=region.code, city_code=region.parent), "region_code"
    ).drop("region_code_right")
    # A county's share of its city: same period, group and measure; none for the city rows.
    city = rows.filter(rows.region_level == "city").select(
        c_period=rows.period,
        c_group=rows.group_key,
        c_measure=rows.measure,
        c_code=rows.region_code,
        c_value=rows.value,
    )
    t = t.left_join(
        city,
        [
            t.period == city.c_period,
            t.group_key == city.c_group,
            t.measure == city.c_measure,
            t.city_code == city.c_code,
            t.region_level == "county",
        ],
    ).drop("c_period", "c_group", "c_measure", "c_code")
    t = t.mutate(share_of_city_pct=_pct(t.value, t.c_value)).drop("c_value")
    t = t.mutate(
        county_rank_value=ibis.ifelse(
            t.region_level == "county", _rank_desc(t.value, part), ibis.null("int64")
        ),
        county_rank_growth=ibis.ifelse(
            t.region_level == "county", _rank_desc(t.growth_pct, part), ibis.null("int64")
        ),
    )
    return _province(t, con, peers)


def _province(t: ir.Table, con: Any, peers: ir.Table) -> ir.Table:
    """Ranks among the province's cities and the gap to the province's published growth."""
    region = con.table("region")
    city_rows = t.filter(t.region_level == "city")
    # Cities: the computed ones, plus other cities of the same province as published.
    computed = city_rows.select(
        "period",
        "group_key",
        "measure",
        "region_code",
        province=city_rows.city_code,
        value=city_rows.value,
        growth_pct=city_rows.growth_pct,
    )
    peer = peers.join(
        region.select(region_code=region.code, province=region.parent, level=region.level),
        "region_code",
    )
    peer = peer.filter(peer.level != "省")
    peer = peer.mutate(
        group_key=ibis.ifelse(
            peer.indicator.contains(":"), peer.indicator.split(":")[0], ibis.literal(ALL)
        ),
        measure=ibis.ifelse(
            peer.indicator.contains(":"), peer.indicator.split(":")[1], peer.indicator
        ),
    )
    peer_rows = peer.select(
        "period", "group_key", "measure", "region_code", "province", "value", "growth_pct"
    )
    peer_rows = peer_rows.anti_join(computed, ["period", "group_key", "measure", "region_code"])
    field = ibis.union(computed, peer_rows, distinct=False)
    part = ["period", "group_key", "measure", "province"]
    ranked = field.mutate(
        province_rank_value=_rank_desc(field.value, part),
        province_rank_growth=_rank_desc(field.growth_pct, part),
        n_peers=field.count().over(ibis.window(group_by=part)),
    )
    ranked = ranked.filter(ranked.n_peers > 1).select(
        "period",
        "group_key",
        "measure",
        "region_code",
        "province_rank_value",
        "province_rank_growth",
    )
    prov = peers.join(
        region.filter(region.level == "省").select(region_code=region.code), "region_code"
    )
    prov = prov.select(
        p_period=prov.period,
        p_code=prov.region_code,
        p_group=ibis.ifelse(
            prov.indicator.contains(":"), prov.indicator.split(":")[0], ibis.literal(ALL)
        ),
        p_measure=ibis.ifelse(
            prov.indicator.contains(":"), prov.indicator.split(":")[1], prov.indicator
        ),
        province_growth_pct=prov.growth_pct,
    )
    out = t.left_join(ranked, ["period", "group_key", "measure", "region_code"])
    out = out.drop(*[c for c in out.columns if c.endswith("_right")])
    out = out.left_join(
        prov,
        [
            out.period == prov.p_period,
            out.group_key == prov.p_group,
            out.measure == prov.p_measure,
            out.city_code == prov.p_code,
            out.region_level == "city",
        ],
    ).drop("p_period", "p_code", "p_group", "p_measure")
    out = out.mutate(above_province_pp=out.growth_pct - out.province_growth_pct)
    return out.select(*[c for c in CUBE_COLUMNS if c != "change_pp"])


def build_cube(
    con: Any,
    year: int,
    groups: dict[str, IndustryGroup] | None = None,
    months: Sequence[int] | None = None,
) -> ir.Table:
    """The cube expression for every month of ``year`` (year to date), or only ``months``.

    Every cell of the cube belongs to one period and depends only on records of that period
    (year-to-date facts, PPI, peers) and, for electricity, on the single months up to it; so
    the cube of some months is exactly those months' rows of the whole year's cube. That is
    what makes an incremental refresh possible (``compute_cube(..., months=...)``).

    Parameters
    ----------
    con
        An Ibis backend holding the store's tables (DuckDB by default, any Ibis engine).
    year
        The reporting year; last year's records supply the prior values where needed.
    groups
        Industry groups (default: the shipped configuration).
    months
        Only these months (1–12) of ``year``; default every month.

    The summed rows are computed eagerly into temporary tables of the backend
    (``jingxin.store.engines.materialize``); the returned expression derives the indicators
    from them, and stays valid until the next ``build_cube`` on the same backend.
    """
    groups = load_groups() if groups is None else groups
    enterprise = con.table("enterprise")
    members = membership(enterprise, groups.values())
    region = con.table("region")
    electricity = [m for m in MEASURES if m.source == "grid"]
    parts = [_stats_rows(con, year, members, enterprise, months)]
    parts += [
        _ytd_rows(con.table("electricity"), year, m.key, members, enterprise, months)
        for m in electricity
    ]
    # Computed once into a temporary table: what follows reads these rows several times, and
    # an engine may recompute them per reference (Spark would also plan one huge tree).
    county = materialize(con, ibis.union(*parts, distinct=False), "_jingxin_cube_county")
    rows = _to_city(county, region)
    reported = _reported_rows(con, year, months)
    levels = region.select(region_code=region.code, level=region.level)
    reported = reported.join(levels, "region_code")
    by_city = reported.filter(reported.level == "地级市").drop("level")
    summed = _to_city(reported.filter(reported.level != "地级市").drop("level"), region)
    # A value the city reports itself stands where its counties reported nothing.
    by_city = by_city.anti_join(
        summed.filter(summed.region_level == "city"), ["region_code", "period", "measure"]
    ).mutate(region_level=ibis.literal("city"))
    reported = ibis.union(summed, by_city.select(*summed.columns), distinct=False)
    rows = ibis.union(rows, reported.select(*rows.columns), distinct=False)
    rows = materialize(con, rows, "_jingxin_cube_rows")
    peers = con.table("peer_figure")
    peers = peers.filter(_in_months(peers.period, year, months))
    derived = _derive(rows, con, peers)
    ratios = _ratios(rows)
    ratio_rows = ratios.mutate(
        change_pp=ratios.value - ratios.prior,
        **{
            c: ibis.null(derived[c].type())
            for c in CUBE_COLUMNS
            if c not in ratios.columns and c != "change_pp"
        },
    ).select(*CUBE_COLUMNS)
    derived = derived.mutate(change_pp=ibis.null("float64")).select(*CUBE_COLUMNS)
    return ibis.union(derived, ratio_rows, distinct=False)
