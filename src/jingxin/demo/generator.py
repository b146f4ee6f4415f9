"""Generate a realistic, seeded city from a targets file: records, not totals.

The generator draws enterprises (heavy-tailed sizes, a county × industry mix true to the
city, entrants and exits between the two years), gives them annual values, fits those
values to the published totals with ``calibrate``, and spreads them over months. The
platform's own computation then reproduces the published figures from these records; the
generator never writes a figure anywhere else.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from jingxin.demo.calibrate import Constraint, capped_fit, fit_signed, rake
from jingxin.demo.daily import (
    DailyUse,
    Restriction,
    daily_shapes,
    festival_factors,
    festival_levels,
    restriction_factors,
)
from jingxin.demo.peers import place_around, province_peers, split_total
from jingxin.demo.population import (
    CONTINUING,
    ENTRANT,
    EXIT,
    SMALL,
    Population,
    county_profile,
    draw_population,
)
from jingxin.demo.series import month_base, month_weights, ppi_ytd, ytd_fractions
from jingxin.demo.targets import Targets
from jingxin.demo.tracking import generate_tracking
from jingxin.errors import InputError
from jingxin.reference import IndustryGroup, load_groups, regions
from jingxin.reference.tables import INDUSTRY_EDITION
from jingxin.store import FACT_MEASURES

__all__ = ["REPORTED_NEW_PRODUCT_KEYS", "DemoCity", "generate"]

Floats = npt.NDArray[np.float64]
WAN = 1e4  # 亿 → 万

# Counts in the targets' new_products table that counties report (not computed from facts).
REPORTED_NEW_PRODUCT_KEYS = (
    "provincial_new_product_filings",
    "new_product_appraisals",
    "provincial_excellent_new_products",
    "first_of_kind_equipment",
    "zhejiang_made_premium",
)

_VA_RATE = {
    "30": 0.27,
    "31": 0.16,
    "17": 0.2,
    "27": 0.33,
    "39": 0.21,
    "38": 0.2,
    "21": 0.23,
    "26": 0.19,
    "28": 0.15,
    "22": 0.21,
    "34": 0.24,
    "35": 0.25,
    "36": 0.21,
}
_EXPORT = {
    "17": 0.3,
    "21": 0.55,
    "20": 0.4,
    "34": 0.16,
    "38": 0.14,
    "39": 0.25,
    "27": 0.15,
    "30": 0.01,
    "31": 0.05,
    "29": 0.2,
    "33": 0.12,
}
_KWH_PER_VA = {"30": 1.7, "31": 1.6, "17": 0.95, "28": 1.3, "26": 0.8, "22": 0.9, "29": 0.5}
_FUEL = {"30": 3.0, "31": 1.5, "17": 0.8, "22": 1.2, "28": 0.6, "26": 1.0}


@dataclass
class DemoCity:
    """The generated records, as the store's tables, and the population behind them."""

    tables: dict[str, pa.Table]
    population: Population
    daily: DailyUse | None = None  # the grid's daily readings behind the monthly bills


def _by_div(table: dict[str, float], div: npt.NDArray[np.str_], default: float) -> Floats:
    return np.array([table.get(d, default) for d in div])


def _group_masks(
    pop: Population, groups: dict[str, IndustryGroup]
) -> dict[str, npt.NDArray[np.bool_]]:
    return {
        k: np.array([g.contains(c, set(f)) for c, f in zip(pop.industry, pop.flags, strict=True)])
        for k, g in groups.items()
    }


def generate(targets: Targets, seed: int = 2016) -> DemoCity:
    """Generate the demo city's records for ``targets.meta.year`` and the year before."""
    meta = targets.meta
    year = meta.year
    rng = np.random.default_rng(seed)
    pyrng = random.Random(seed)
    groups = load_groups()
    unknown = [g for g in targets.groups if g not in groups]
    if unknown:
        raise InputError(f"目标文件中的产业分组 {unknown!r} 未在产业分组配置中定义。")
    for c in meta.counties:
        if c not in regions() or regions()[c].parent != meta.city_code:
            raise InputError(
                f"目标文件 meta.counties 中的 {c!r} 不是 {meta.city_code} 的下辖县区。"
            )
    va_total = targets.above_scale.value_added.value * WAN
    tg = {k: g.value_added for k, g in targets.groups.items()}

    def group_value(k: str) -> float | None:
        g = tg.get(k)
        if g is None:
            return None
        if g.value is not None:
            return g.value * WAN
        return g.share_pct / 100 * va_total if g.share_pct is not None else None

    flag_shares: dict[str, float] = {}
    for k, g in groups.items():
        v = group_value(k)
        if g.flags and not g.prefixes and v is not None:
            flag_shares[g.flags[0]] = v / va_total
    eq_v, hee_v = group_value("equipment"), group_value("high_end_equipment")
    if "high_end_equipment" in flag_shares:
        flag_shares["high_end_equipment"] = (hee_v or 0) / eq_v if eq_v else 0.6
    n_above = max(300, round(targets.above_scale.value_added.value / 0.28))
    n_platforms = int(
        targets.raw.get("infrastructure", {}).get(
            "key_industrial_platforms", 2 * len(meta.counties)
        )
    )
    profile = county_profile(meta.city_code, meta.counties)
    pop = draw_population(
        rng,
        pyrng,
        meta.counties,
        profile,
        n_above,
        year,
        flag_shares,
        groups["equipment"].prefixes if "equipment" in groups else [],
        n_platforms,
    )
    div = pop.division()
    masks = _group_masks(pop, groups)
    ppi = {
        y: ppi_ytd(rng, sorted(set(div)), level=float(rng.normal(98.8, 0.6)))
        for y in (year - 1, year)
    }
    ppi_dec = {y: np.array([ppi[y][d][11] for d in div]) / 100 for y in (year - 1, year)}

    # -- value added, this year, over this year's sample --------------------------------------
    s16 = np.isin(pop.role, (CONTINUING, ENTRANT))
    va16 = pop.size * np.array([profile[c][0] for c in pop.county]) * s16
    cons: list[Constraint] = [("规上工业增加值", s16, va_total)]
    for k in tg:
        v = group_value(k)
        if v is not None:
            cons.append((f"{groups[k].name}增加值", s16 & masks[k], v))
    va16 = rake(va16, cons)
    va16_const = va16 / ppi_dec[year]

    # -- value added last year, same sample: growth at comparable prices ----------------------
    g_total = targets.above_scale.value_added.growth_pct / 100
    g_e = np.clip(rng.normal(g_total, 0.07, pop.n) + 0.22 * (pop.role == ENTRANT), -0.4, 1.5)
    prior = va16_const / (1 + g_e)
    prior_total = float(va16_const.sum()) / (1 + g_total)
    cons = [("规上工业增加值增速", s16, prior_total)]
    for key, spec in tg.items():
        m = s16 & masks[key]
        label = groups[key].name
        if spec.growth_pct is not None:
            grown = float(va16_const[m].sum()) / (1 + spec.growth_pct / 100)
            cons.append((f"{label}增速", m, grown))
        if spec.share_change_pp is not None:
            share16 = float(va16[m].sum()) / va_total
            cons.append(
                (f"{label}比重变化", m, (share16 - spec.share_change_pp / 100) * prior_total)
            )
    prior = rake(prior * s16, cons)

    # -- the sample changes: exits make last year's published total -------------------------
    published = targets.above_scale.previous_year_published.value_added * WAN
    cont = pop.role == CONTINUING
    order = np.flatnonzero(cont)[np.argsort(prior[cont])]
    moved = 0
    while published - float(prior[pop.role == CONTINUING].sum()) < 0.02 * published:
        if moved >= len(order) // 2:
            raise InputError("上年公布的规上工业增加值明显低于同口径基数，无法构造合理的退出企业。")
        pop.role[order[moved]] = ENTRANT
        moved += 1
    exits = pop.role == EXIT
    va15 = prior.copy()
    va15[exits] = (
        pop.size[exits]
        / pop.size[exits].sum()
        * (published - float(prior[pop.role == CONTINUING].sum()))
    )
    s15 = np.isin(pop.role, (CONTINUING, EXIT))
    s16 = np.isin(pop.role, (CONTINUING, ENTRANT))
    va14 = va15 / ppi_dec[year - 1] / np.clip(rng.normal(0.07, 0.07, pop.n), -0.3, 0.8).__add__(1)

    # -- gross output and new products --------------------------------------------------------
    np_t = targets.new_products
    new16_t = np_t.output.value * WAN
    new15_t = new16_t / (1 + np_t.output.growth_pct / 100)
    gross16_t = new16_t / (np_t.output_rate_pct / 100)
    gross15_t = gross16_t - (new16_t - new15_t) / (np_t.contribution_pct / 100)
    vr = _by_div(_VA_RATE, div, 0.22) * rng.uniform(0.85, 1.15, pop.n)
    vr15 = vr * rng.uniform(0.95, 1.05, pop.n)
    gross16 = va16 / vr
    gross16 *= gross16_t / gross16.sum()
    gross15 = np.where(s16, va15 / vr15, 0.0)
    gross15 *= gross15_t / gross15.sum()
    gross15[exits] = va15[exits] / vr15[exits]
    gross14 = va14 * ppi_dec[year - 1] / (vr15 * rng.uniform(0.97, 1.03, pop.n))
    if (va16 > gross16 * 0.98).any() or (va15 > gross15 * 0.98).any():
        raise InputError("目标文件的新产品产值率与增加值不相容：部分企业增加值将超过总产值。")
    flags_ht = np.array(["high_tech" in f for f in pop.flags])
    nshare = np.where(flags_ht, 0.55, 0.22) * rng.beta(2, 2, pop.n) * 2 * (rng.random(pop.n) > 0.3)
    new16 = capped_fit(gross16 * s16, nshare, new16_t)
    nshare15 = nshare * rng.uniform(0.85, 1.05, pop.n)
    new15 = capped_fit(gross15 * s16, nshare15, new15_t)
    new15[exits] = gross15[exits] * np.minimum(0.95, nshare15[exits])
    new14 = gross14 * np.minimum(0.95, nshare15 * 0.9)

    # -- sales, export, revenue, profit, taxes -----------------------------------------------
    sales = {
        y: g * rng.uniform(0.95, 0.995, pop.n)
        for y, g in ((year, gross16), (year - 1, gross15), (year - 2, gross14))
    }
    xs = _by_div(_EXPORT, div, 0.1) * rng.lognormal(0, 0.4, pop.n) * (rng.random(pop.n) > 0.35)
    a = targets.above_scale
    exp16 = capped_fit(sales[year] * s16, xs, a.export_delivery.value * WAN, cap=0.9)
    exp15 = capped_fit(
        sales[year - 1] * s16,
        xs,
        a.export_delivery.value * WAN / (1 + a.export_delivery.growth_pct / 100),
        cap=0.9,
    )
    exp15[exits] = sales[year - 1][exits] * np.minimum(0.9, xs[exits])
    exp14 = sales[year - 2] * np.minimum(0.9, xs * 0.95)
    rev = {y: s * rng.uniform(1.0, 1.08, pop.n) for y, s in sales.items()}
    margin = rng.normal(0.065, 0.045, pop.n)
    profit16 = fit_signed(rev[year] * margin * s16, a.profit.value * WAN)
    p15_t = a.profit.value * WAN / (1 + a.profit.growth_pct / 100)
    margin15 = margin + rng.normal(0, 0.02, pop.n)
    profit15 = fit_signed(rev[year - 1] * margin15 * s16, p15_t)
    profit15[exits] = rev[year - 1][exits] * margin15[exits]
    profit14 = rev[year - 2] * (margin15 + rng.normal(0, 0.02, pop.n))
    trate = rng.uniform(0.02, 0.045, pop.n)
    tax16_t = (a.profit_and_tax.value - a.profit.value) * WAN
    tax15_t = a.profit_and_tax.value * WAN / (1 + a.profit_and_tax.growth_pct / 100) - p15_t
    if tax15_t <= 0 or tax16_t <= 0:
        raise InputError("目标文件的利税总额须大于利润总额（税金为正）。")
    tax16 = rev[year] * trate * s16
    tax16 *= tax16_t / tax16.sum()
    tax15 = rev[year - 1] * trate * s16
    tax15 *= tax15_t / tax15.sum()
    tax15[exits] = rev[year - 1][exits] * trate[exits]
    tax14 = rev[year - 2] * trate

    # -- employees, electricity (all users), energy -------------------------------------------
    emp16 = np.maximum(8, np.round(va16 / rng.uniform(14, 30, pop.n)))
    emp15 = np.maximum(8, np.round(np.maximum(va15, va16) / rng.uniform(14, 30, pop.n)))
    emp14 = np.maximum(8, np.round(emp15 * rng.uniform(0.95, 1.05, pop.n)))
    e_t = targets.electricity.industrial_use
    kwh16 = (
        np.where(pop.role == SMALL, pop.size * 120, np.maximum(va16, va15 * 0.7))
        * _by_div(_KWH_PER_VA, div, 0.35)
        * rng.lognormal(0, 0.3, pop.n)
    )
    kwh16 *= e_t.value * WAN / kwh16.sum()
    g_k = np.clip(rng.normal(e_t.growth_pct / 100, 0.08, pop.n), -0.5, 1.0)
    kwh15 = kwh16 / (1 + g_k)
    kwh15 *= e_t.value * WAN / (1 + e_t.growth_pct / 100) / kwh15.sum()
    fuel = _by_div(_FUEL, div, 0.25) * rng.uniform(0.7, 1.3, pop.n)
    energy = {
        y: k * 1.229 * (1 + fuel)
        for y, k in ((year, kwh16), (year - 1, kwh15), (year - 2, kwh15 * 0.95))
    }

    # Annual values per year, in the order of FACT_MEASURES.
    columns = {
        year: (gross16, sales[year], exp16, new16, va16, rev[year], profit16, tax16, emp16),
        year - 1: (
            gross15,
            sales[year - 1],
            exp15,
            new15,
            va15,
            rev[year - 1],
            profit15,
            tax15,
            emp15,
        ),
        year - 2: (
            gross14,
            sales[year - 2],
            exp14,
            new14,
            va14,
            rev[year - 2],
            profit14,
            tax14,
            emp14,
        ),
    }
    annual = {
        y: dict(zip(FACT_MEASURES, (*cols, energy[y]), strict=True)) for y, cols in columns.items()
    }
    weights = {y: month_weights(rng, pop.n, y) for y in (year - 2, year - 1, year)}
    closed = exits & (rng.random(pop.n) < 0.3)
    restriction = _restriction(targets.raw, pop, s16 & ~closed, year, seed)
    day_rng = np.random.default_rng(seed + 17)  # its own stream: the other draws stay
    festival = festival_levels(day_rng, year, div)
    w = weights[year]  # the festival months carry each enterprise's own festival
    early = slice(0, 3)
    w[:, early] *= festival_factors(festival, pop.n)[:, early] / month_base(year)[early]
    w /= w.sum(axis=1, keepdims=True)
    if restriction is not None:  # the cut in monthly electricity and output; the year's
        w = weights[year]  # totals unchanged. Aug–Oct start level, so the cut shows plainly
        w[restriction.restricted, 8] = w[restriction.restricted, 7]
        w[restriction.restricted, 9] = w[restriction.restricted, 7]
        w *= restriction_factors(pop.n, year, restriction)
        w /= w.sum(axis=1, keepdims=True)
    tables = {
        "enterprise": _enterprise_table(pop),
        "enterprise_scale": _scale_table(pop, year, s16, s15),
        "enterprise_status": _status_table(pop, closed, year),
        "monthly_fact": pa.concat_tables(
            [
                _fact_table(
                    pop, year, s16, annual[year], annual[year - 1], weights[year], weights[year - 1]
                ),
                _fact_table(
                    pop,
                    year - 1,
                    s15,
                    annual[year - 1],
                    annual[year - 2],
                    weights[year - 1],
                    weights[year - 2],
                ),
            ]
        ),
        "electricity": _electricity_table(pop, year, kwh16, kwh15, weights, closed),
        "price_index": _ppi_table(ppi),
    }
    peers, reported = _peers_and_reported(rng, targets, profile)
    tracked = generate_tracking(
        targets.raw,
        meta.city_code,
        year,
        list(meta.counties),
        [profile[c][0] for c in meta.counties],
        meta.province_cities,
        tables,
        seed,
        tuple(pop.uscc[i] for i in restriction.restricted) if restriction is not None else (),
    )
    tables["peer_figure"] = pa.concat_tables([peers, tracked.pop("peer_figure").cast(peers.schema)])
    tables["reported_value"] = pa.concat_tables(
        [reported, tracked.pop("reported_value").cast(reported.schema)]
    )
    tables.update(tracked)
    kwh = np.asarray(tables["electricity"].column("kwh").to_numpy()).reshape(2, pop.n, 12)
    monthly = {f"{year - 1}-12": kwh[0][:, 11]}
    monthly.update({f"{year}-{m:02d}": kwh[1][:, m - 1] for m in range(1, 13)})
    daily = daily_shapes(day_rng, year, festival, monthly, restriction)
    return DemoCity(tables, pop, daily)


def _restriction(
    raw: dict[str, object],
    pop: Population,
    eligible: npt.NDArray[np.bool_],
    year: int,
    seed: int,
) -> Restriction | None:
    """The G20 list of the targets file (``stable_growth``): who is restricted and who
    keeps spare capacity, drawn from the year's operating above-scale enterprises."""
    sg = raw.get("stable_growth")
    if not isinstance(sg, dict) or "g20_restricted_enterprises" not in sg:
        return None
    rng = np.random.default_rng(seed + 13)  # its own stream: the other draws stay as they were
    pool = np.flatnonzero(eligible)
    n = min(int(sg["g20_restricted_enterprises"]), len(pool))
    restricted = np.sort(rng.choice(pool, n, replace=False))
    k = min(int(sg.get("q4_increase_candidates", 0)), n)
    spare = np.sort(rng.choice(restricted, k, replace=False))
    return Restriction(
        restricted,
        spare,
        date(year, 8, 24),
        date(year, 9, 6),
        date(year, 10, 10),
        rng.uniform(0.5, 1.0, n),
    )


def _enterprise_table(pop: Population) -> pa.Table:
    return pa.table(
        {
            "uscc": pop.uscc,
            "name": pop.name,
            "region_code": pop.county.tolist(),
            "platform": pop.platform,
            "industry_code": pop.industry.tolist(),
            "industry_edition": [INDUSTRY_EDITION] * pop.n,
            "founded": [
                date(int(y), 1 + (i % 12), 1 + (i % 28)) for i, y in enumerate(pop.founded_year)
            ],
            "land_mu": pop.land_mu,
            "flags": pa.array(pop.flags, pa.list_(pa.string())),
        }
    )


def _scale_table(
    pop: Population, year: int, s16: npt.NDArray[np.bool_], s15: npt.NDArray[np.bool_]
) -> pa.Table:
    scale = [np.where(s, "above", "below") for s in (s15, s16)]
    return pa.table(
        {
            "uscc": pop.uscc * 2,
            "year": [year - 1] * pop.n + [year] * pop.n,
            "scale": np.concatenate(scale).tolist(),
        }
    )


def _status_table(pop: Population, closed: npt.NDArray[np.bool_], year: int) -> pa.Table:
    idx = np.flatnonzero(closed)
    return pa.table(
        {
            "uscc": pop.uscc + [pop.uscc[i] for i in idx],
            "valid_from": [date(int(y), 1, 1) for y in pop.founded_year]
            + [date(year, 6, 30)] * len(idx),
            "status": ["operating"] * pop.n + ["closed"] * len(idx),
            "reason": [None] * pop.n + ["经营困难，停产关闭"] * len(idx),
        }
    )


def _fact_table(
    pop: Population,
    year: int,
    sample: npt.NDArray[np.bool_],
    cur: dict[str, Floats],
    prev: dict[str, Floats],
    w_cur: Floats,
    w_prev: Floats,
) -> pa.Table:
    idx = np.flatnonzero(sample)
    f_cur, f_prev = ytd_fractions(w_cur[idx]), ytd_fractions(w_prev[idx])
    n = len(idx)
    cols: dict[str, object] = {
        "uscc": np.repeat(np.array(pop.uscc)[idx], 12).tolist(),
        "period": [f"{year}-{m:02d}" for m in range(1, 13)] * n,
    }
    ramp = 1 + 0.02 * (np.arange(1, 13) - 12) / 12  # average headcount drifts up in the year
    for m in FACT_MEASURES:
        if m == "employees":
            c = np.round(cur[m][idx][:, None] * ramp[None, :])
            p = np.round(prev[m][idx][:, None] * ramp[None, :])
        else:
            c = np.round(cur[m][idx][:, None] * f_cur, 1)
            p = np.round(prev[m][idx][:, None] * f_prev, 1)
        cols[m] = c.ravel()
        cols[f"{m}_prior"] = p.ravel()
    return pa.table(cols)


def _electricity_table(
    pop: Population,
    year: int,
    kwh16: Floats,
    kwh15: Floats,
    weights: dict[int, Floats],
    closed: npt.NDArray[np.bool_],
) -> pa.Table:
    w16 = weights[year].copy()
    w16[closed, 6:] = 0.0
    w16 /= w16.sum(axis=1, keepdims=True)
    parts = []
    for y, total, w in ((year - 1, kwh15, weights[year - 1]), (year, kwh16, w16)):
        parts.append(
            pa.table(
                {
                    "uscc": np.repeat(np.array(pop.uscc), 12).tolist(),
                    "period": [f"{y}-{m:02d}" for m in range(1, 13)] * pop.n,
                    "kwh": np.round(total[:, None] * w, 4).ravel(),  # 万千瓦时 to the kWh
                }
            )
        )
    return pa.concat_tables(parts)


def _ppi_table(ppi: dict[int, dict[str, list[float]]]) -> pa.Table:
    rows = [
        (d, f"{y}-{m + 1:02d}", v[m])
        for y, byd in ppi.items()
        for d, v in byd.items()
        for m in range(12)
    ]
    return pa.table(
        {
            "division": [r[0] for r in rows],
            "period": [r[1] for r in rows],
            "ppi": [r[2] for r in rows],
        }
    )


def _peers_and_reported(
    rng: np.random.Generator, targets: Targets, profile: dict[str, tuple[float, dict[str, float]]]
) -> tuple[pa.Table, pa.Table]:
    meta = targets.meta
    period = f"{meta.year}-12"
    province, others = province_peers(meta.city_code, meta.province_cities)
    n = meta.province_cities
    rows: list[tuple[str, str, str, float | None, float | None]] = []
    e = targets.electricity.industrial_use
    growths = place_around(rng, e.growth_pct, e.province_rank_growth, n, 0.3, 2.0)
    for c, g in zip(others, growths, strict=True):
        rows.append(("electricity", c, period, e.value * WAN * float(rng.uniform(0.5, 2.5)), g))
    rows.append(("electricity", province, period, None, e.growth_pct - e.above_province_avg_pp))
    np_t = targets.new_products
    values = place_around(
        rng,
        np_t.output.value * WAN,
        np_t.province_rank_value,
        n,
        0.05 * np_t.output.value * WAN,
        0.3 * np_t.output.value * WAN,
        floor=0.1 * np_t.output.value * WAN,
    )
    growths = place_around(rng, np_t.output.growth_pct, np_t.province_rank_growth, n, 0.3, 3.0)
    for c, v, g in zip(others, values, growths, strict=True):
        rows.append(("new_product_output", c, period, v, g))
    filings = np_t.provincial_new_product_filings
    fvals = place_around(
        rng, filings, np_t.provincial_new_product_filings_rank, n, 5, 0.25 * filings, floor=10
    )
    for c, v in zip(others, fvals, strict=True):
        rows.append(("provincial_new_product_filings", c, period, float(round(v)), None))
    peers = pa.table(
        {
            "indicator": [r[0] for r in rows],
            "region_code": [r[1] for r in rows],
            "period": [r[2] for r in rows],
            "value": [r[3] for r in rows],
            "growth_pct": [r[4] for r in rows],
        }
    )
    counties = meta.counties
    shares = [profile[c][0] for c in counties]
    rep: list[tuple[str, str, str, float]] = []
    for key in REPORTED_NEW_PRODUCT_KEYS:
        for c, v in zip(counties, split_total(rng, int(getattr(np_t, key)), shares), strict=True):
            rep.append((key, c, period, float(v)))
    reported = pa.table(
        {
            "indicator": [r[0] for r in rep],
            "region_code": [r[1] for r in rep],
            "period": [r[2] for r in rep],
            "value": [r[3] for r in rep],
        }
    )
    return peers, reported
