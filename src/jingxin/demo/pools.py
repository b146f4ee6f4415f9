"""The demo city's enterprise pools: entries and exits that give the published counts."""

from __future__ import annotations

from datetime import date
from typing import Any

import pyarrow as pa

from jingxin.demo.tracking_city import (
    City,
    day,
    get,
    pick,
)

__all__ = ["pools"]


def pools(ctx: City) -> dict[str, pa.Table]:
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
                    "entered": day(rng, when),
                    "level": level,
                    "reason": "认定" if level else "列入",
                    "exited": exited,
                    "exit_reason": why,
                }
            )

    def new(
        pool: str, n: int, *, level: str | None = None, old: int = 0, among: list[str] | None = None
    ) -> None:
        codes = pick(rng, among or everyone, n + old)
        enter(pool, codes[:n], year, level=level)
        enter(pool, codes[n:], year - 1, level=level)

    centres = get(raw, "innovation.enterprise_tech_centres_new")
    if centres is not None:
        for lvl in ("national", "provincial", "municipal"):
            new("tech_centre", int(centres.get(lvl, 0)), level=lvl, old=int(rng.integers(2, 9)))
    v = get(raw, "innovation.provincial_innovation_demonstration_enterprises_new")
    if v is not None:
        new("innovation_demonstration", int(v), old=3)
    inf = get(raw, "informatization")
    if inf is not None and "management_system_pilots_new" in inf:
        n_new = int(inf["management_system_pilots_new"])
        new(
            "integration_management_pilot",
            n_new,
            old=int(inf.get("management_system_pilots_total", n_new)) - n_new,
        )
    pools = get(raw, "pools") or {}
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
            codes = pick(rng, among or everyone, n + 10)
            half = n // 2
            enter(pool, codes[:half], year)
            enter(pool, codes[half:n], year - 1)
            # members who left before the year's end: graduated or dropped
            enter(pool, codes[n:], year - 1, exited=date(year, 6, 30), why="graduated")
    if "zombie_archive" in pools:
        ever = int(pools["zombie_archive"])
        z = pools.get("zombie_disposed", {})
        disposed = int(z.get("value", 0)) if isinstance(z, dict) else int(z)
        codes = pick(rng, everyone, ever)
        for i, c in enumerate(codes):
            out = day(rng, year, 2, 12) if i < disposed else None
            members.append(
                {
                    "pool": "zombie",
                    "uscc": c,
                    "entered": day(rng, year - 1),
                    "level": None,
                    "reason": "连续亏损且用电量接近零",
                    "exited": out,
                    "exit_reason": "disposed" if out else None,
                }
            )
        if isinstance(z, dict) and z.get("target") is not None:
            rows.targets.append(("zombie_disposed", city, year, "value", float(z["target"])))
    sg = get(raw, "stable_growth") or {}
    if "g20_restricted_enterprises" in sg:
        # The list is the generator's (its electricity and output carry the cut); the draw
        # is still made so that every draw after it stays as it was.
        drawn = pick(rng, everyone, int(sg["g20_restricted_enterprises"]))
        for c in ctx.restricted or drawn:
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
        # Drawn for the same reason and not kept: the candidates come from the rule applied
        # to the daily readings (jingxin.demo.energy.designate_makeup), not from a list.
        pick(rng, everyone, int(sg["q4_increase_candidates"]))
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
