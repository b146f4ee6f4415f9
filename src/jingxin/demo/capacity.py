"""The demo's capacity ledger: each county's eliminated backward capacity and "低小散"
workshops as cases, adding up to the figures of its targets file.

The targets file gives the city's totals (133 enterprises and 15.4万 tce freed; 2,618
workshops in 2016), split over the counties as every reported figure is. Backward
capacity is eliminated at registered below-scale enterprises of the county, energy-heavy
trades first, each freeing a share of the county's energy; workshops are unregistered
(no credit code) and free no counted energy. Completion dates run through the year, more
of them in its second half, when the campaigns close their books.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

import numpy as np
import pyarrow as pa

from jingxin.errors import InputError
from jingxin.indicators.cases import CASE_FIGURES
from jingxin.store.catalog import load_schema

__all__ = ["CASE_INDICATORS", "capacity_cases"]

BACKWARD_N, BACKWARD_TCE, WORKSHOPS = (i for i, _, _ in CASE_FIGURES)  # the cube's names
CASE_INDICATORS = frozenset({BACKWARD_N, BACKWARD_TCE, WORKSHOPS})
HEAVY = ("17", "22", "26", "30", "31", "32", "33")  # 纺织 造纸 化工 建材 钢铁 有色 金属制品
SURNAMES = "沈钱吴徐陈张王李周朱金杨姚潘施费邱蔡"
GIVEN = ("建国", "国强", "永明", "海峰", "小红", "伟", "志强", "根林", "金华", "雪芳", "建新")
TRADES = ("童装加工点", "木业加工厂", "砂洗作坊", "铸造作坊", "竹制品加工点", "喷塑作坊")
MEASURES = ("关停取缔", "整治提升", "搬迁入园")


def _days(rng: np.random.Generator, year: int, n: int) -> list[date]:
    start = date(year, 1, 1)
    span = (date(year, 12, 31) - start).days
    return [start + timedelta(days=int(x)) for x in rng.beta(1.6, 1.0, n) * span]


def capacity_cases(
    rng: np.random.Generator,
    year: int,
    totals: Mapping[tuple[str, str], float],
    counties: list[str],
    enterprise: pa.Table,
    below: set[str],
) -> pa.Table:
    """``capacity_case`` rows: per county, the count of cases and the energy in ``totals``
    (indicator, county → value; energy in 万吨标准煤)."""
    n = {c: int(round(totals.get((BACKWARD_N, c), 0))) for c in counties}
    tce = {c: totals.get((BACKWARD_TCE, c), 0.0) * 10_000 for c in counties}
    most = max(counties, key=lambda c: n[c])
    for c in counties:  # energy of a county without a case goes to the one with most cases
        if tce[c] and not n[c]:
            tce[most], tce[c] = tce[most] + tce[c], 0.0
    firms: dict[str, list[tuple[str, str, str]]] = {c: [] for c in counties}
    for u, name, region, industry in zip(
        *(
            enterprise.column(k).to_pylist()
            for k in ("uscc", "name", "region_code", "industry_code")
        ),
        strict=True,
    ):
        if region in firms and u in below:
            firms[region].append((u, name, industry[:2]))
    rows = []
    for c in counties:
        pool = sorted(firms[c], key=lambda f: (f[2] not in HEAVY, f[0]))
        if len(pool) < n[c]:
            raise InputError(f"演示城市 {c} 的规下企业不足 {n[c]} 家，无法生成淘汰落后产能台账。")
        window = min(len(pool), n[c] * 3)  # the energy-heavy trades first
        take = [pool[i] for i in sorted(rng.choice(window, n[c], replace=False))]
        shares = rng.dirichlet(np.full(len(take), 1.2)) if take else np.array([])
        freed = [round(float(x) * tce[c], 1) for x in shares]
        if freed:
            freed[-1] = round(tce[c] - sum(freed[:-1]), 1)
        for i, ((u, name, _), day, e) in enumerate(
            zip(take, _days(rng, year, len(take)), freed, strict=True), start=1
        ):
            rows.append(
                {
                    "case_id": f"{c}-{year}-T{i:04d}",
                    "kind": "backward",
                    "name": name,
                    "uscc": u,
                    "region_code": c,
                    "closed_on": day,
                    "capacity": f"淘汰落后设备 {int(rng.integers(1, 9))} 台（套）",
                    "energy_freed": e,
                    "measure": "关停" if rng.random() < 0.3 else "淘汰落后设备",
                }
            )
        k = int(round(totals.get((WORKSHOPS, c), 0)))
        for i, day in enumerate(_days(rng, year, k), start=1):
            who = SURNAMES[int(rng.integers(len(SURNAMES)))] + GIVEN[int(rng.integers(len(GIVEN)))]
            rows.append(
                {
                    "case_id": f"{c}-{year}-D{i:04d}",
                    "kind": "small_scattered",
                    "name": who + TRADES[int(rng.integers(len(TRADES)))],
                    "uscc": None,
                    "region_code": c,
                    "closed_on": day,
                    "capacity": None,
                    "energy_freed": None,
                    "measure": MEASURES[int(rng.integers(len(MEASURES)))],
                }
            )
    schema = (
        pa.schema([f for f in load_schema("capacity_case") if f.name in rows[0]]) if rows else None
    )
    return pa.Table.from_pylist(rows, schema=schema)
