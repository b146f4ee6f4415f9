"""The annual summary's figures on investment, projects, targets, pools and reported
indicators, computed from records (the cube for reported and investment values; the
project ledger, the pools and the targets table for the rest), keyed like the targets file.
"""

from __future__ import annotations

from typing import Any

from jingxin.store import Scope, Store
from jingxin.tracking.catalogue import INVESTMENT, PROJECT_LISTS, REPORTED, YI
from jingxin.tracking.pools import pool_counts
from jingxin.tracking.projects import project_stats
from jingxin.tracking.queries import (
    cube_cells,
    decomposed_indicators,
    n_platforms,
    peer_values,
    rows,
)
from jingxin.tracking.targets import YearTargets, completion_pct, targets

__all__ = ["tracking_figures"]


def _set(out: dict[str, Any], path: str, value: Any) -> None:
    *heads, last = path.split(".")
    node = out
    for h in heads:
        node = node.setdefault(h, {})
    node[last] = value


def _round(x: float | None, decimals: int | None) -> Any:
    if x is None:
        return None
    return int(round(x)) if decimals is None else round(x, decimals) + 0.0


def _rate(a: float | None, b: float | None) -> float | None:
    return None if a is None or not b else a / b * 100


def tracking_figures(store: Store, city: str, year: int, scope: Scope) -> dict[str, Any]:
    """Every tracked figure for ``year`` as a nested dict (same keys as the targets file)."""
    out: dict[str, Any] = {}
    cells = rows(store, cube_cells(store, scope, december=True, region=city))
    cube = {(c["period"][:4], c["measure"]): c for c in cells}
    by_year: dict[int, YearTargets] = {}

    def target_value(
        indicator: str, y: int, basis: str = "value", suffix: str | None = None
    ) -> float | None:
        if y not in by_year:
            by_year[y] = targets(store, y, scope)
        return by_year[y].get(indicator, city, basis, suffix)

    for r in REPORTED:
        y = year - r.years_back
        cell = cube.get((str(y), r.indicator))
        value = cell["value"] * r.scale if cell and cell["value"] is not None else None
        if r.bare:
            _set(out, r.path, _round(value, r.decimals))
            continue
        target = target_value(r.indicator, y)
        target_pub = target * r.scale if target is not None else None
        parts = {
            "value": _round(value, r.decimals),
            "growth_pct": cell["growth_pct"] if cell else None,
            "target": _round(target_pub, r.decimals),
            "completion_pct": completion_pct(value, target_pub),
            "province_rank": cell["province_rank_value"] if cell else None,
            "unit": r.unit,
            "year": y,
        }
        for f in r.fields:
            _set(out, f"{r.path}.{f}", parts[f])

    for inv in INVESTMENT:
        cell = cube.get((str(year), inv.indicator))
        before = cube.get((str(year - 1), inv.indicator))
        value = cell["value"] if cell else None
        target = target_value(inv.indicator, year)
        growth_target = target_value(inv.indicator, year, "growth_pct")
        rank_now = cell["province_rank_growth"] if cell else None
        rank_then = before["province_rank_growth"] if before else None
        parts = {
            "value": _round(value * YI, 2) if value is not None else None,
            "growth_pct": cell["growth_pct"] if cell else None,
            "target_completion_pct": completion_pct(value, target),
            "province_target_growth_pct": growth_target,
            "province_rank_value": cell["province_rank_value"] if cell else None,
            "province_rank_growth": rank_now,
            "province_rank_growth_change": (
                rank_then - rank_now if rank_now is not None and rank_then is not None else None
            ),
            "above_province_avg_pp": cell["above_province_pp"] if cell else None,
        }
        for f in inv.fields:
            _set(out, f"{inv.path}.{f}", parts[f])

    # 三百计划: three lists of a hundred projects against one annual target.
    for key, (_, categories) in PROJECT_LISTS.items():
        total = project_stats(store, year, scope, list_key=key)
        target = target_value(f"projects:{key}", year)
        invested = total["invested"]
        node = f"projects.{key}"
        _set(out, f"{node}.annual_investment_target", _round((target or 0) * YI, 1))
        _set(out, f"{node}.invested", _round(invested * YI, 1))
        _set(out, f"{node}.completion_pct", completion_pct(invested, target))
        for rate in ("start_rate", "completion_rate"):
            _set(
                out,
                f"{node}.{rate}_target_pct",
                target_value(f"projects:{key}", year, "rate_pct", rate),
            )
        for cat in categories:
            s = project_stats(store, year, scope, list_key=key, category=cat)
            _set(out, f"{node}.{cat}.under_construction", s["under_construction"])
            _set(out, f"{node}.{cat}.invested", _round(s["invested"] * YI, 1))
            _set(out, f"{node}.{cat}.started", s["started"])
            _set(out, f"{node}.{cat}.completed", s["completed"])
    bgh = project_stats(store, year, scope, category="big_good_high")
    _set(
        out,
        "projects.big_good_high",
        {
            "introduced": bgh["introduced"],
            "invested": _round(bgh["invested"] * YI, 2),
            "started": bgh["started"],
            "started_of_introduced": bgh["started_of_introduced"],
            "completed": bgh["completed"],
        },
    )
    zl = project_stats(store, year, scope, category="zero_land")
    _set(
        out,
        "projects.zero_land",
        {
            "filings": zl["introduced"],
            "planned_investment": _round(zl["planned_total_introduced"] * YI, 1),
        },
    )
    _set(
        out,
        "energy.key_energy_saving_projects",
        project_stats(store, year, scope, category="energy_saving")["introduced"],
    )
    _set(
        out,
        "energy.key_energy_user_threshold_tce",
        _round(target_value("key_energy_user_threshold_tce", year), None),
    )

    p = pool_counts(store, year, scope)
    centres = p["tech_centre"]["entered_by_level"]
    _set(
        out,
        "innovation.enterprise_tech_centres_new",
        {lvl: centres.get(lvl, 0) for lvl in ("national", "provincial", "municipal")},
    )
    _set(
        out,
        "innovation.provincial_innovation_demonstration_enterprises_new",
        p["innovation_demonstration"]["entered"],
    )
    _set(
        out,
        "informatization.management_system_pilots_new",
        p["integration_management_pilot"]["entered"],
    )
    _set(
        out,
        "informatization.management_system_pilots_total",
        p["integration_management_pilot"]["active"],
    )
    _set(out, "pools.three_famous_pilots_new", p["three_famous"]["entered"])
    _set(out, "pools.small_to_above_scale_candidates", p["small_to_above"]["active"])
    _set(out, "pools.hidden_champion_candidates", p["hidden_champion"]["active"])
    _set(out, "pools.golden_elephant_new", p["golden_elephant"]["entered"])
    _set(out, "pools.golden_bull_new", p["golden_bull"]["entered"])
    _set(out, "pools.golden_cultivation", p["golden_cultivation"]["active"])
    _set(out, "pools.zombie_archive", p["zombie"]["ever"])
    disposed = p["zombie"]["exited_by_reason"].get("disposed", 0)
    z_target = target_value("zombie_disposed", year)
    _set(
        out,
        "pools.zombie_disposed",
        {
            "value": disposed,
            "target": _round(z_target, None),
            "completion_pct": completion_pct(disposed, z_target),
        },
    )
    _set(out, "stable_growth.g20_restricted_enterprises", p["g20_restricted"]["entered"])
    _set(out, "stable_growth.q4_increase_candidates", p["q4_increase"]["entered"])

    # Indicators decomposed to the counties this year (工业转型升级主要指标).
    decomposed = store.scalar(decomposed_indicators(store, city, year, scope).count())
    _set(out, "stable_growth.transformation_indicators", int(decomposed))
    platforms = store.scalar(n_platforms(store, scope))
    _set(out, "infrastructure.key_industrial_platforms", int(platforms))

    # The province's 工业强县 evaluation: each county's place and the places it gained.
    ranks = rows(store, peer_values(store, "county_strength", scope))
    by = {(r["region_code"], r["period"][:4]): r["value"] for r in ranks}
    published = max((int(r["period"][:4]) for r in ranks), default=None)
    for (county, y), rank in sorted(by.items()):
        if published is None or int(y) != published:
            continue
        entry: dict[str, Any] = {"rank": int(rank)}
        prev = by.get((county, str(published - 1)))
        if prev is not None and prev != rank:
            entry["gained"] = int(prev - rank)
        _set(out, f"county_strength_rank.{county}", entry)

    bulk = cube.get((str(year), "bulk_cement"))
    cement = cube.get((str(year), "cement_output"))
    if bulk and cement:
        _set(out, "building_materials.bulk_cement.rate_pct", _rate(bulk["value"], cement["value"]))
    return out
