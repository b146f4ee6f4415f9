"""The demo city's investment, projects, targets, pools and reported indicators, generated as
records so that the platform's own computation (``jingxin.tracking``) gives back the
targets file's figures.

Every figure is written as the records that produce it: counties' reported values (split so
that they add up), the province's other cities placed so that ranks hold, targets chosen as
round numbers that give the published completion rates, projects with start and completion
dates and monthly cumulative investment, pool entries and exits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np
import pyarrow as pa

from jingxin.demo.peers import place_around, province_peers, split_total
from jingxin.errors import InputError
from jingxin.tracking.catalogue import INVESTMENT, PROJECT_LISTS, REPORTED, YI

__all__ = ["generate_tracking"]

WAN = 1 / YI  # 亿 → 万


def _get(raw: dict[str, Any], path: str) -> Any:
    node: Any = raw
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def nice_target(value: float, pct: float, decimals: int) -> float:
    """The roundest target that gives ``value / target`` = ``pct`` % at ``decimals``.

    >>> nice_target(1372, 120.99, 2)
    1134.0
    >>> nice_target(678.03, 103.4, 1)
    656.0
    """
    exact = value / pct * 100
    for step in (1000, 500, 100, 50, 10, 5, 1, 0.5, 0.1, 0.01, 0.001):
        t = round(exact / step) * step
        if t > 0 and round(value / t * 100, decimals) == round(pct, decimals):
            return float(t)
    return exact


def _decimals(x: float) -> int:
    s = repr(float(x))
    return len(s.split(".")[1].rstrip("0")) if "." in s else 0


class _Rows:
    def __init__(self) -> None:
        self.reported: list[tuple[str, str, str, float]] = []
        self.peers: list[tuple[str, str, str, float | None, float | None]] = []
        self.targets: list[tuple[str, str, int, str, float]] = []


@dataclass(frozen=True)
class _City:
    """What every part of the generator reads: the targets, where rows go, the random
    stream, and the city with its counties and the province's other cities."""

    raw: dict[str, Any]
    rows: _Rows
    rng: np.random.Generator
    city: str
    year: int
    counties: list[str]
    shares: list[float]
    others: list[str]
    province: str
    tables: dict[str, pa.Table]


def generate_tracking(
    raw: dict[str, Any],
    city: str,
    year: int,
    counties: list[str],
    shares: list[float],
    n_cities: int,
    tables: dict[str, pa.Table],
    seed: int,
) -> dict[str, pa.Table]:
    """Records for every tracked figure present in ``raw`` (a targets file's tables)."""
    province, others = province_peers(city, n_cities)
    rows = _Rows()
    ctx = _City(
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
    )
    _reported(ctx)
    _investment(ctx)
    projects = _projects(ctx)
    pools = _pools(ctx)
    _county_strength(raw, rows, year)
    _transformation(ctx)
    energy = _get(raw, "energy.key_energy_user_threshold_tce")
    if energy is not None:
        rows.targets.append(("key_energy_user_threshold_tce", city, year, "value", float(energy)))
    out: dict[str, pa.Table] = {
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
        **projects,
        **pools,
    }
    return out


def _split(rng: np.random.Generator, total: float, shares: list[float], count: bool) -> list[float]:
    if count:
        return [float(v) for v in split_total(rng, int(round(total)), shares)]
    w = np.array(shares) * rng.uniform(0.7, 1.3, len(shares))
    parts = (w / w.sum() * total).tolist()
    parts[-1] = total - sum(parts[:-1])
    return [float(p) for p in parts]


def _reported(ctx: _City) -> None:
    raw, rows, rng, city, year = ctx.raw, ctx.rows, ctx.rng, ctx.city, ctx.year
    counties, shares, others = ctx.counties, ctx.shares, ctx.others
    for r in REPORTED:
        node = _get(raw, r.path)
        if node is None:
            continue
        y = year - r.years_back
        fig = {"value": node} if r.bare or not isinstance(node, dict) else node
        if "value" not in fig:
            continue
        published = float(fig["value"])
        value = published / r.scale
        if r.path == "building_materials.bulk_cement":
            cement = _get(raw, "building_materials.cement_output.value")
            rate = fig.get("rate_pct")
            if cement is not None and rate is not None:
                value = float(cement) * float(rate) / 100
                if round(value, r.decimals or 0) != round(published, r.decimals or 0):
                    raise InputError(f"{r.path}：散装率与产量不相容。")
        count = r.decimals is None and r.scale == 1.0
        parts = _split(rng, value, shares, count) if r.additive else [value]
        where = counties if r.additive else [city]
        for c, v in zip(where, parts, strict=True):
            rows.reported.append((r.indicator, c, f"{y}-12", v))
        growth = fig.get("growth_pct")
        if growth is not None:
            prior = value / (1 + float(growth) / 100)
            pparts = _split(rng, prior, shares, False) if r.additive else [prior]
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
                published, float(fig["completion_pct"]), _decimals(fig["completion_pct"])
            )
        if target is not None:
            rows.targets.append((r.indicator, city, y, "value", float(target) / r.scale))
            if r.additive:
                whole = count and float(target).is_integer()  # else split as an amount
                for c, v in zip(
                    counties, _split(rng, float(target) / r.scale, shares, whole), strict=True
                ):
                    rows.targets.append((r.indicator, c, y, "value", v))


def _investment(ctx: _City) -> None:
    raw, rows, rng, city, year = ctx.raw, ctx.rows, ctx.rng, ctx.city, ctx.year
    counties, shares, others, province = ctx.counties, ctx.shares, ctx.others, ctx.province
    n = len(others) + 1
    months = np.cumsum(np.linspace(0.6, 1.4, 12))
    frac = months / months[-1]
    for inv in INVESTMENT:
        fig = _get(raw, inv.path)
        if fig is None:
            continue
        value = float(fig["value"]) * WAN
        growth = float(fig.get("growth_pct", 10.0))
        prior = value / (1 + growth / 100)
        prev_growth = float(rng.uniform(4, 14))
        before = prior / (1 + prev_growth / 100)
        for y, total in ((year, value), (year - 1, prior), (year - 2, before)):
            parts = _split(rng, total, shares, False)
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
            t = nice_target(float(fig["value"]), float(pct), _decimals(pct)) * WAN
            rows.targets.append((inv.indicator, city, year, "value", t))
            for c, v in zip(counties, _split(rng, t, shares, False), strict=True):
                rows.targets.append((inv.indicator, c, year, "value", v))
        if fig.get("province_target_growth_pct") is not None:
            rows.targets.append(
                (inv.indicator, city, year, "growth_pct", float(fig["province_target_growth_pct"]))
            )


def _pick(rng: np.random.Generator, pool: list[str], k: int) -> list[str]:
    if k > len(pool):
        raise InputError(f"演示城市的企业不足 {k} 家，无法生成。")
    return [pool[i] for i in rng.choice(len(pool), size=k, replace=False)]


def _day(rng: np.random.Generator, year: int, lo: int = 1, hi: int = 12) -> date:
    start = date(year, lo, 1)
    end = date(year, hi, 28)
    return start + timedelta(days=int(rng.integers(0, (end - start).days + 1)))


def _projects(ctx: _City) -> dict[str, pa.Table]:
    raw, rows, rng, city, year = ctx.raw, ctx.rows, ctx.rng, ctx.city, ctx.year
    counties, shares, enterprises = ctx.counties, ctx.shares, ctx.tables["enterprise"]
    ent = enterprises.select(["uscc", "region_code"]).to_pylist()
    by_county: dict[str, list[str]] = {}
    for e in ent:
        by_county.setdefault(e["region_code"], []).append(e["uscc"])
    p_rows: list[dict[str, Any]] = []
    plans: list[dict[str, Any]] = []
    progress: list[dict[str, Any]] = []
    seq = [0]
    weights = np.array(shares) / sum(shares)

    def add(
        category: str,
        lists: list[str],
        *,
        start: date | None,
        end: date | None,
        invested: float,
        introduced: date | None = None,
        planned_total: float | None = None,
        planned: bool = True,
    ) -> None:
        seq[0] += 1
        county = counties[int(rng.choice(len(counties), p=weights))]
        pid = f"{city}-{year}-{seq[0]:04d}"
        planned_start = start or _day(rng, year)
        plan = (
            invested * float(rng.uniform(0.9, 1.25)) if invested else float(rng.uniform(500, 3000))
        )
        p_rows.append(
            {
                "project_id": pid,
                "name": f"示例{seq[0]:04d}号{category}项目",
                "category": category,
                "lists": lists,
                "region_code": county,
                "uscc": str(rng.choice(by_county.get(county) or [e["uscc"] for e in ent])),
                "planned_total": planned_total
                if planned_total is not None
                else plan * float(rng.uniform(1.5, 4)),
                "introduced": introduced,
                "planned_start": planned_start,
                "planned_completion": end or date(year + 1, 6, 30),
            }
        )
        if planned:  # filings (零土地, 节能) carry no annual investment plan
            plans.append({"project_id": pid, "year": year, "annual_plan": plan})
        if start is None and not invested:
            return
        # Monthly 1-N月 reports from the month of the start (or January for older projects).
        first = 1 if start is None or start.year < year else start.month
        w = rng.uniform(0.5, 1.5, 13 - first)
        cum = np.cumsum(w) / w.sum() * invested
        for i, m in enumerate(range(first, 13)):
            period = f"{year}-{m:02d}"
            progress.append(
                {
                    "project_id": pid,
                    "period": period,
                    "ytd_invested": float(cum[i]),
                    "actual_start": start
                    if start is not None and start <= _month_end(period)
                    else None,
                    "actual_completion": end
                    if end is not None and end <= _month_end(period)
                    else None,
                    "note": "按计划推进",
                }
            )

    for key, (_, categories) in PROJECT_LISTS.items():
        node = _get(raw, f"projects.{key}")
        if node is None:
            continue
        for cat in categories:
            fig = node.get(cat)
            if fig is None:
                continue
            u = int(fig["under_construction"])
            started = int(fig.get("started", round(0.4 * u)))
            completed = int(fig["completed"])
            money = _split(rng, float(fig["invested"]) * WAN, [1.0] * u, False)
            money = sorted(np.maximum(np.array(money) * rng.uniform(0.3, 1.7, u), 1.0).tolist())
            scale = float(fig["invested"]) * WAN / sum(money)
            for i in range(u):
                new = i < started
                start = _day(rng, year, 1, 10) if new else _day(rng, year - 1 - (i % 2))
                end = (
                    _day(rng, year, max(start.month, 3) if start.year == year else 3, 12)
                    if i >= u - completed
                    else None
                )
                if end is not None and end < start:
                    end = start + timedelta(days=30)
                add(cat, [key], start=start, end=end, invested=money[i] * scale)
            for _ in range(max(0, 100 - u)):  # listed, planned, not started this year
                add(cat, [key], start=None, end=None, invested=0.0)
        total = node.get("annual_investment_target")
        if total is not None:
            rows.targets.append((f"projects:{key}", city, year, "value", float(total) * WAN))
        for rate in ("start_rate", "completion_rate"):
            v = node.get(f"{rate}_target_pct")
            if v is not None:
                rows.targets.append((f"projects:{key}:{rate}", city, year, "rate_pct", float(v)))

    bgh = _get(raw, "projects.big_good_high")
    if bgh is not None:
        intro, started = int(bgh["introduced"]), int(bgh["started"])
        started_new, completed = int(bgh["started_of_introduced"]), int(bgh["completed"])
        n_old = started - started_new
        draw = rng.uniform(0.3, 1.7, started)
        bgh_money = draw / draw.sum() * float(bgh["invested"]) * WAN
        for i in range(intro):
            signed = _day(rng, year, 1, 9)
            if i < started_new:
                s = signed + timedelta(days=int(rng.integers(10, 80)))
                add(
                    "big_good_high",
                    [],
                    start=s,
                    end=None,
                    invested=float(bgh_money[i]),
                    introduced=signed,
                )
            else:
                add("big_good_high", [], start=None, end=None, invested=0.0, introduced=signed)
        for j in range(n_old):
            signed = _day(rng, year - 1)
            s = _day(rng, year, 1, 6)
            end = _day(rng, year, 7, 12) if j < completed else None
            add(
                "big_good_high",
                [],
                start=s,
                end=end,
                invested=float(bgh_money[started_new + j]),
                introduced=signed,
            )
        for _ in range(max(0, completed - n_old)):  # started before the year, done in it
            add(
                "big_good_high",
                [],
                start=_day(rng, year - 1),
                end=_day(rng, year, 3, 12),
                invested=0.0,
                introduced=_day(rng, year - 2),
            )
    zl = _get(raw, "projects.zero_land")
    if zl is not None:
        n = int(zl["filings"])
        amounts = _split(rng, float(zl["planned_investment"]) * WAN, [1.0] * n, False)
        for a in amounts:
            add(
                "zero_land",
                [],
                start=None,
                end=None,
                invested=0.0,
                introduced=_day(rng, year),
                planned_total=a,
                planned=False,
            )
    es = _get(raw, "energy.key_energy_saving_projects")
    if es is not None:
        for _ in range(int(es)):
            add(
                "energy_saving",
                [],
                start=None,
                end=None,
                invested=0.0,
                introduced=_day(rng, year),
                planned=False,
            )
    if not p_rows:
        return {}
    return {
        "project": pa.Table.from_pylist(
            p_rows,
            schema=pa.schema(
                {
                    "project_id": pa.string(),
                    "name": pa.string(),
                    "category": pa.string(),
                    "lists": pa.list_(pa.string()),
                    "region_code": pa.string(),
                    "uscc": pa.string(),
                    "planned_total": pa.float64(),
                    "introduced": pa.date32(),
                    "planned_start": pa.date32(),
                    "planned_completion": pa.date32(),
                }
            ),
        ),
        "project_plan": pa.Table.from_pylist(
            plans,
            schema=pa.schema(
                {"project_id": pa.string(), "year": pa.int32(), "annual_plan": pa.float64()}
            ),
        ),
        "project_progress": pa.Table.from_pylist(
            progress,
            schema=pa.schema(
                {
                    "project_id": pa.string(),
                    "period": pa.string(),
                    "ytd_invested": pa.float64(),
                    "actual_start": pa.date32(),
                    "actual_completion": pa.date32(),
                    "note": pa.string(),
                }
            ),
        ),
    }


def _month_end(period: str) -> date:
    y, m = int(period[:4]), int(period[5:7])
    return date(y + (m == 12), m % 12 + 1, 1) - timedelta(days=1)


def _pools(ctx: _City) -> dict[str, pa.Table]:
    raw, rows, rng, city, year = ctx.raw, ctx.rows, ctx.rng, ctx.city, ctx.year
    enterprises, scales = ctx.tables["enterprise"], ctx.tables["enterprise_scale"]
    everyone = sorted(enterprises.column("uscc").to_pylist())
    small = sorted(
        r["uscc"] for r in scales.to_pylist() if r["year"] == year and r["scale"] == "below"
    )
    members: list[dict[str, Any]] = []

    def enter(
        pool: str,
        codes: list[str],
        when: int,
        *,
        level: str | None = None,
        exited: date | None = None,
        why: str | None = None,
    ) -> None:
        for c in codes:
            members.append(
                {
                    "pool": pool,
                    "uscc": c,
                    "entered": _day(rng, when),
                    "level": level,
                    "reason": "认定" if level else "列入",
                    "exited": exited,
                    "exit_reason": why,
                }
            )

    def new(
        pool: str, n: int, *, level: str | None = None, old: int = 0, among: list[str] | None = None
    ) -> None:
        codes = _pick(rng, among or everyone, n + old)
        enter(pool, codes[:n], year, level=level)
        enter(pool, codes[n:], year - 1, level=level)

    centres = _get(raw, "innovation.enterprise_tech_centres_new")
    if centres is not None:
        for lvl in ("national", "provincial", "municipal"):
            new("tech_centre", int(centres.get(lvl, 0)), level=lvl, old=int(rng.integers(2, 9)))
    v = _get(raw, "innovation.provincial_innovation_demonstration_enterprises_new")
    if v is not None:
        new("innovation_demonstration", int(v), old=3)
    inf = _get(raw, "informatization")
    if inf is not None and "management_system_pilots_new" in inf:
        n_new = int(inf["management_system_pilots_new"])
        new(
            "integration_management_pilot",
            n_new,
            old=int(inf.get("management_system_pilots_total", n_new)) - n_new,
        )
    pools = _get(raw, "pools") or {}
    simple_new = {
        "three_famous_pilots_new": "three_famous",
        "golden_elephant_new": "golden_elephant",
        "golden_bull_new": "golden_bull",
    }
    for k, pool in simple_new.items():
        if k in pools:
            new(pool, int(pools[k]), old=int(rng.integers(1, 6)))
    active = {
        "small_to_above_scale_candidates": "small_to_above",
        "hidden_champion_candidates": "hidden_champion",
        "golden_cultivation": "golden_cultivation",
    }
    for k, pool in active.items():
        if k in pools:
            n = int(pools[k])
            among = small if pool == "small_to_above" else None
            codes = _pick(rng, among or everyone, n + 10)
            half = n // 2
            enter(pool, codes[:half], year)
            enter(pool, codes[half:n], year - 1)
            # members who left before the year's end: graduated or dropped
            enter(pool, codes[n:], year - 1, exited=date(year, 6, 30), why="graduated")
    if "zombie_archive" in pools:
        ever = int(pools["zombie_archive"])
        z = pools.get("zombie_disposed", {})
        disposed = int(z.get("value", 0)) if isinstance(z, dict) else int(z)
        codes = _pick(rng, everyone, ever)
        for i, c in enumerate(codes):
            out = _day(rng, year, 2, 12) if i < disposed else None
            members.append(
                {
                    "pool": "zombie",
                    "uscc": c,
                    "entered": _day(rng, year - 1),
                    "level": None,
                    "reason": "连续亏损且用电量接近零",
                    "exited": out,
                    "exit_reason": "disposed" if out else None,
                }
            )
        if isinstance(z, dict) and z.get("target") is not None:
            rows.targets.append(("zombie_disposed", city, year, "value", float(z["target"])))
    sg = _get(raw, "stable_growth") or {}
    if "g20_restricted_enterprises" in sg:
        for c in _pick(rng, everyone, int(sg["g20_restricted_enterprises"])):
            members.append(
                {
                    "pool": "g20_restricted",
                    "uscc": c,
                    "entered": date(year, 8, 24),
                    "level": None,
                    "reason": "G20 峰会环境保障",
                    "exited": date(year, 9, 6),
                    "exit_reason": "restriction_lifted",
                }
            )
    if "q4_increase_candidates" in sg:
        for c in _pick(rng, everyone, int(sg["q4_increase_candidates"])):
            members.append(
                {
                    "pool": "q4_increase",
                    "uscc": c,
                    "entered": date(year, 10, 10),
                    "level": None,
                    "reason": "具备增产条件",
                    "exited": None,
                    "exit_reason": None,
                }
            )
    if not members:
        return {}
    # One entry per (pool, enterprise, date).
    seen: set[tuple[str, str, date]] = set()
    unique = []
    for m in members:
        key = (str(m["pool"]), str(m["uscc"]), m["entered"])
        if key not in seen:
            seen.add(key)
            unique.append(m)
    return {
        "pool_member": pa.Table.from_pylist(
            unique,
            schema=pa.schema(
                {
                    "pool": pa.string(),
                    "uscc": pa.string(),
                    "entered": pa.date32(),
                    "level": pa.string(),
                    "reason": pa.string(),
                    "exited": pa.date32(),
                    "exit_reason": pa.string(),
                }
            ),
        )
    }


def _county_strength(raw: dict[str, Any], rows: _Rows, year: int) -> None:
    ranks = _get(raw, "county_strength_rank")
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


def _transformation(ctx: _City) -> None:
    """Decompose indicators to the counties until as many are decomposed as published.

    Each county's target is last year's value raised by 4-10 % (the reported indicators:
    this year's reported value give or take 10 %); the city's is the counties' sum.
    """
    raw, rows, rng, city, year = ctx.raw, ctx.rows, ctx.rng, ctx.city, ctx.year
    counties, baseline = ctx.counties, _baseline(ctx.tables, year - 1)
    n = _get(raw, "stable_growth.transformation_indicators")
    if n is None:
        return
    decomposed = {t[0] for t in rows.targets if t[1] in counties}
    reported: dict[str, dict[str, float]] = {}
    for ind, region, period, value in rows.reported:
        if period == f"{year}-12" and region in counties:
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
