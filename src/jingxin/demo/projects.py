"""The demo city's investment projects: the project ledger, annual plans and monthly progress."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import numpy as np
import pyarrow as pa

from jingxin.demo.tracking_city import (
    WAN,
    City,
    day,
    get,
    month_end,
    split,
)
from jingxin.tracking.catalogue import PROJECT_CATEGORIES, PROJECT_LISTS

__all__ = ["projects"]


def projects(ctx: City) -> dict[str, pa.Table]:
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
        planned_start = start or day(rng, year)
        plan = (
            invested * float(rng.uniform(0.9, 1.25)) if invested else float(rng.uniform(500, 3000))
        )
        p_rows.append(
            {
                "project_id": pid,
                "name": f"示例{seq[0]:04d}号{PROJECT_CATEGORIES[category]}项目",
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
                    if start is not None and start <= month_end(period)
                    else None,
                    "actual_completion": end
                    if end is not None and end <= month_end(period)
                    else None,
                    "note": "按计划推进",
                }
            )

    for key, (_, categories) in PROJECT_LISTS.items():
        node = get(raw, f"projects.{key}")
        if node is None:
            continue
        for cat in categories:
            fig = node.get(cat)
            if fig is None:
                continue
            u = int(fig["under_construction"])
            started = int(fig.get("started", round(0.4 * u)))
            completed = int(fig["completed"])
            money = split(rng, float(fig["invested"]) * WAN, [1.0] * u, False)
            money = sorted(np.maximum(np.array(money) * rng.uniform(0.3, 1.7, u), 1.0).tolist())
            scale = float(fig["invested"]) * WAN / sum(money)
            for i in range(u):
                new = i < started
                start = day(rng, year, 1, 10) if new else day(rng, year - 1 - (i % 2))
                end = (
                    day(rng, year, max(start.month, 3) if start.year == year else 3, 12)
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

    bgh = get(raw, "projects.big_good_high")
    if bgh is not None:
        intro, started = int(bgh["introduced"]), int(bgh["started"])
        started_new, completed = int(bgh["started_of_introduced"]), int(bgh["completed"])
        n_old = started - started_new
        draw = rng.uniform(0.3, 1.7, started)
        bgh_money = draw / draw.sum() * float(bgh["invested"]) * WAN
        for i in range(intro):
            signed = day(rng, year, 1, 9)
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
            signed = day(rng, year - 1)
            s = day(rng, year, 1, 6)
            end = day(rng, year, 7, 12) if j < completed else None
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
                start=day(rng, year - 1),
                end=day(rng, year, 3, 12),
                invested=0.0,
                introduced=day(rng, year - 2),
            )
    zl = get(raw, "projects.zero_land")
    if zl is not None:
        n = int(zl["filings"])
        amounts = split(rng, float(zl["planned_investment"]) * WAN, [1.0] * n, False)
        for a in amounts:
            add(
                "zero_land",
                [],
                start=None,
                end=None,
                invested=0.0,
                introduced=day(rng, year),
                planned_total=a,
                planned=False,
            )
    es = get(raw, "energy.key_energy_saving_projects")
    if es is not None:
        for _ in range(int(es)):
            add(
                "energy_saving",
                [],
                start=None,
                end=None,
                invested=0.0,
                introduced=day(rng, year),
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
