"""The demo city's investment, projects, targets, pools and reported indicators, generated as
records so that the platform's own computation (``jingxin.tracking``) gives back the
targets file's figures.

Every figure is written as the records that produce it: counties' reported values (split so
that they add up), the province's other cities placed so that ranks hold, targets chosen as
round numbers that give the published completion rates, projects with start and completion
dates and monthly cumulative investment, pool entries and exits.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa

from jingxin.demo.capacity import CASE_INDICATORS, capacity_cases
from jingxin.demo.peers import place_around, province_peers
from jingxin.demo.pools import pools
from jingxin.demo.projects import projects
from jingxin.demo.tracking_city import (
    WAN,
    City,
    Rows,
    decimals,
    get,
    nice_target,
    split,
)
from jingxin.errors import InputError
from jingxin.tracking.catalogue import INVESTMENT, REPORTED

__all__ = ["generate_tracking"]


def generate_tracking(
    raw: dict[str, Any],
    city: str,
    year: int,
    counties: list[str],
    shares: list[float],
    n_cities: int,
    tables: dict[str, pa.Table],
    seed: int,
    restricted: tuple[str, ...] = (),
) -> dict[str, pa.Table]:
    """Records for every tracked figure present in ``raw`` (a targets file's tables)."""
    province, others = province_peers(city, n_cities)
    rows = Rows()
    ctx = City(
        raw,
        rows,
        np.random.default_rng(seed + 5),
        city,
        year,
        counties,
        shares,
        others,
        province,
        tables,
        restricted,
    )
    _reported(ctx)
    _investment(ctx)
    project_tables = projects(ctx)
    pool_tables = pools(ctx)
    _county_strength(raw, rows, year)
    _transformation(ctx)
    energy = get(raw, "energy.key_energy_user_threshold_tce")
    if energy is not None:
        rows.targets.append(("key_energy_user_threshold_tce", city, year, "value", float(energy)))
    out: dict[str, pa.Table] = {}
    if rows.cases:
        scale = tables["enterprise_scale"]
        below = {
            u
            for u, y, s in zip(
                *(scale.column(k).to_pylist() for k in ("uscc", "year", "scale")), strict=True
            )
            if y == year and s == "below"
        }
        out["capacity_case"] = capacity_cases(
            np.random.default_rng(seed + 23),
            year,
            rows.cases,
            counties,
            tables["enterprise"],
            below,
        )
    out |= {
        "reported_value": pa.table(
            {
                "indicator": [r[0] for r in rows.reported],
                "region_code": [r[1] for r in rows.reported],
                "period": [r[2] for r in rows.reported],
                "value": pa.array([r[3] for r in rows.reported], pa.float64()),
            }
        ),
        "peer_figure": pa.table(
            {
                "indicator": [r[0] for r in rows.peers],
                "region_code": [r[1] for r in rows.peers],
                "period": [r[2] for r in rows.peers],
                "value": pa.array([r[3] for r in rows.peers], pa.float64()),
                "growth_pct": pa.array([r[4] for r in rows.peers], pa.float64()),
            }
        ),
        "target": pa.table(
            {
                "indicator": [r[0] for r in rows.targets],
                "region_code": [r[1] for r in rows.targets],
                "year": pa.array([r[2] for r in rows.targets], pa.int32()),
                "basis": [r[3] for r in rows.targets],
                "value": pa.array([r[4] for r in rows.targets], pa.float64()),
            }
        ),
        **project_tables,
        **pool_tables,
    }
    return out


def _reported(ctx: City) -> None:
    raw, rows, rng, city, year = ctx.raw, ctx.rows, ctx.rng, ctx.city, ctx.year
    counties, shares, others = ctx.counties, ctx.shares, ctx.others
    for r in REPORTED:
        node = get(raw, r.path)
        if node is None:
            continue
        y = year - r.years_back
        fig = {"value": node} if r.bare or not isinstance(node, dict) else node
        if "value" not in fig:
            continue
        published = float(fig["value"])
        value = published / r.scale
        if r.path == "building_materials.bulk_cement":
            cement = get(raw, "building_materials.cement_output.value")
            rate = fig.get("rate_pct")
            if cement is not None and rate is not None:
                value = float(cement) * float(rate) / 100
                if round(value, r.decimals or 0) != round(published, r.decimals or 0):
                    raise InputError(f"{r.path}：散装率与产量不相容。")
        count = r.decimals is None and r.scale == 1.0
        parts = split(rng, value, shares, count) if r.additive else [value]
        where = counties if r.additive else [city]
        for c, v in zip(where, parts, strict=True):
            if r.indicator in CASE_INDICATORS and y == year:
                rows.cases[(r.indicator, c)] = v  # a list of cases, not a reported total
            else:
                rows.reported.append((r.indicator, c, f"{y}-12", v))
        growth = fig.get("growth_pct")
        if growth is not None:
            prior = value / (1 + float(growth) / 100)
            pparts = split(rng, prior, shares, False) if r.additive else [prior]
            for c, v in zip(where, pparts, strict=True):
                rows.reported.append((r.indicator, c, f"{y - 1}-12", v))
        if "province_rank" in fig:
            vals = place_around(
                rng,
                value,
                int(fig["province_rank"]),
                len(others) + 1,
                0.01 * abs(value) + 1e-3,
                0.05 * abs(value),
                floor=0.0,
            )
            for c, v in zip(others, vals, strict=True):
                rows.peers.append((r.indicator, c, f"{y}-12", v, None))
        target = fig.get("target")
        if target is None and "completion_pct" in fig:
            target = nice_target(
                published, float(fig["completion_pct"]), decimals(fig["completion_pct"])
            )
        if target is not None:
            rows.targets.append((r.indicator, city, y, "value", float(target) / r.scale))
            if r.additive:
                whole = count and float(target).is_integer()  # else split as an amount
                for c, v in zip(
                    counties, split(rng, float(target) / r.scale, shares, whole), strict=True
                ):
                    rows.targets.append((r.indicator, c, y, "value", v))


def _investment(ctx: City) -> None:
    raw, rows, rng, city, year = ctx.raw, ctx.rows, ctx.rng, ctx.city, ctx.year
    counties, shares, others, province = ctx.counties, ctx.shares, ctx.others, ctx.province
    n = len(others) + 1
    months = np.cumsum(np.linspace(0.6, 1.4, 12))
    frac = months / months[-1]
    for inv in INVESTMENT:
        fig = get(raw, inv.path)
        if fig is None:
            continue
        value = float(fig["value"]) * WAN
        growth = float(fig.get("growth_pct", 10.0))
        prior = value / (1 + growth / 100)
        prev_growth = float(rng.uniform(4, 14))
        before = prior / (1 + prev_growth / 100)
        for y, total in ((year, value), (year - 1, prior), (year - 2, before)):
            parts = split(rng, total, shares, False)
            for c, v in zip(counties, parts, strict=True):
                for m in range(12):
                    rows.reported.append((inv.indicator, c, f"{y}-{m + 1:02d}", v * frac[m]))
        # The province's other cities: value and growth ranks this year, growth rank last year.
        rank_v = int(fig.get("province_rank_value", rng.integers(1, n + 1)))
        rank_g = int(fig.get("province_rank_growth", rng.integers(1, n + 1)))
        vals = place_around(rng, value, rank_v, n, 0.01 * value, 0.3 * value, floor=0.1 * value)
        grs = place_around(rng, growth, rank_g, n, 0.3, 4.0)
        for c, v, g in zip(others, vals, grs, strict=True):
            rows.peers.append((inv.indicator, c, f"{year}-12", v, g))
        above = fig.get("above_province_avg_pp")
        if above is not None:
            rows.peers.append((inv.indicator, province, f"{year}-12", None, growth - float(above)))
        change = fig.get("province_rank_growth_change")
        if change is not None:
            then = rank_g + int(change)
            if not 1 <= then <= n:
                raise InputError(f"{inv.path}：排位变化 {change} 超出 1-{n} 名。")
            grs_then = place_around(rng, prev_growth, then, n, 0.3, 4.0)
            for c, g in zip(others, grs_then, strict=True):
                rows.peers.append((inv.indicator, c, f"{year - 1}-12", prior * 0.9, g))
        pct = fig.get("target_completion_pct")
        if pct is not None:
            t = nice_target(float(fig["value"]), float(pct), decimals(pct)) * WAN
            rows.targets.append((inv.indicator, city, year, "value", t))
            for c, v in zip(counties, split(rng, t, shares, False), strict=True):
                rows.targets.append((inv.indicator, c, year, "value", v))
        if fig.get("province_target_growth_pct") is not None:
            rows.targets.append(
                (inv.indicator, city, year, "growth_pct", float(fig["province_target_growth_pct"]))
            )


def _county_strength(raw: dict[str, Any], rows: Rows, year: int) -> None:
    ranks = get(raw, "county_strength_rank")
    if not ranks:
        return
    for county, fig in ranks.items():
        rows.peers.append(("county_strength", county, f"{year - 1}-12", float(fig["rank"]), None))
        if "gained" in fig:
            rows.peers.append(
                (
                    "county_strength",
                    county,
                    f"{year - 2}-12",
                    float(fig["rank"] + fig["gained"]),
                    None,
                )
            )


def _baseline(tables: dict[str, pa.Table], year: int) -> dict[str, dict[str, float]]:
    """Last year's annual totals by county of the statistics measures and electricity."""
    import pyarrow.compute as pc

    county = dict(
        zip(
            tables["enterprise"].column("uscc").to_pylist(),
            tables["enterprise"].column("region_code").to_pylist(),
            strict=True,
        )
    )
    out: dict[str, dict[str, float]] = {}
    facts = tables["monthly_fact"]
    dec = facts.filter(pc.equal(facts.column("period"), f"{year}-12")).to_pylist()
    for r in dec:
        c = county[r["uscc"]]
        for m in (
            "value_added",
            "gross_output",
            "sales_output",
            "export_delivery",
            "new_product_output",
            "revenue",
            "profit",
            "taxes",
            "energy",
        ):
            out.setdefault(m, {}).setdefault(c, 0.0)
            out[m][c] += r[m] or 0.0
        out.setdefault("profit_and_tax", {}).setdefault(c, 0.0)
        out["profit_and_tax"][c] += (r["profit"] or 0.0) + (r["taxes"] or 0.0)
    power = tables["electricity"]
    for r in power.filter(pc.starts_with(power.column("period"), f"{year}-")).to_pylist():
        c = county[r["uscc"]]
        out.setdefault("electricity", {}).setdefault(c, 0.0)
        out["electricity"][c] += r["kwh"]
    return out


def _transformation(ctx: City) -> None:
    """Decompose indicators to the counties until as many are decomposed as published.

    Each county's target is last year's value raised by 4-10 % (the reported indicators:
    this year's reported value give or take 10 %); the city's is the counties' sum.
    """
    raw, rows, rng, city, year = ctx.raw, ctx.rows, ctx.rng, ctx.city, ctx.year
    counties, baseline = ctx.counties, _baseline(ctx.tables, year - 1)
    n = get(raw, "stable_growth.transformation_indicators")
    if n is None:
        return
    decomposed = {t[0] for t in rows.targets if t[1] in counties}
    reported: dict[str, dict[str, float]] = {}
    for ind, region, period, value in rows.reported:
        if period == f"{year}-12" and region in counties:
            reported.setdefault(ind, {})[region] = value
    for (ind, region), value in rows.cases.items():  # the year's counts of the case lists
        if region in counties:
            reported.setdefault(ind, {})[region] = value
    candidates = [*baseline, *[r.indicator for r in REPORTED if r.additive]]
    for ind in candidates:
        if len(decomposed) >= int(n):
            break
        if ind in decomposed or any(t[0] == ind for t in rows.targets):
            continue
        base = baseline.get(ind) or reported.get(ind)
        if not base:
            continue
        lift = (1.04, 1.10) if ind in baseline else (0.9, 1.1)
        parts = {c: round(base.get(c, 0.0) * float(rng.uniform(*lift)), 1) for c in counties}
        rows.targets.append((ind, city, year, "value", sum(parts.values())))
        for c in counties:
            rows.targets.append((ind, c, year, "value", parts[c]))
        decomposed.add(ind)
    if len(decomposed) != int(n):
        raise InputError(f"可分解到县区的指标只有 {len(decomposed)} 个，少于 {n} 个。")
