"""The demo's 用能权 year, run through the ledger from the demo's own records.

For the demo year Y: every key energy user of Y−1 (annual energy at or above the key-user
threshold, the pool rule's) is allocated its Y−1 energy less :data:`REDUCTION` (减量管理);
the city's reserve gets :data:`RESERVE_SHARE` of what the enterprises got. Enterprises closed
during Y release what they hold to the reserve (淘汰落后产能). At year end every enterprise
whose Y energy exceeds its holding buys the shortfall: first from enterprises with rights
to spare (their spare shared among the short pro rata to the gaps, the largest surplus
first, at a price drawn from the seed), then from the reserve while the half of it that
is for sale lasts (the other half is kept for new projects). A trade between enterprises
is an application, approved but for the last few, which are left awaiting approval.
What is still short stays short — the compliance gap the bureau follows up. Every
movement is an ordinary ledger movement with its own id.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from jingxin.energy.applications import approve, file_application
from jingxin.energy.ledger import allocate, balances, release, transfer
from jingxin.store import Scope, Store
from jingxin.tracking.pool_rules import KeyEnergyUser
from jingxin.tracking.queries import december_values, rows

__all__ = ["REDUCTION", "RESERVE_SHARE", "DemoLedger", "run_demo_ledger"]

REDUCTION = 0.02  # allocation = last year's energy × (1 − 2 %)
RESERVE_SHARE = 0.03  # the reserve: 3 % of what the enterprises are allocated
RESERVE_PRICE = 400  # 元/tce, the reserve's sale price
RESERVE_FOR_SALE = 0.5  # the reserve sells at most half; the rest is kept for new projects
PRICE_RANGE = (320, 520)  # 元/tce between enterprises
PENDING = 3  # the last year-end applications, left awaiting approval


@dataclass(frozen=True)
class DemoLedger:
    """What the demo's ledger year did (counts and tonnes)."""

    allocated: int
    allocated_tce: float
    released: int
    trades: int  # executed: approved applications and purchases from the reserve
    from_reserve: int
    short: int  # enterprises still short of their use at year end
    pending: int = 0  # applications left awaiting approval


def _tce(x: float) -> str:
    return f"{x:.3f}"


def run_demo_ledger(
    store: Store, year: int, seed: int, *, actor: str, pending: int = PENDING
) -> DemoLedger:
    """Allocate, release and trade the demo year's rights (see the module's docstring);
    the last ``pending`` applications are left awaiting approval."""
    city = Scope.city()
    rule = KeyEnergyUser()
    threshold = rule.threshold(store, year - 1, city)
    before = rows(store, december_values(store, "energy", year - 1, year - 1, city))
    now = {r["uscc"]: r["energy"] or 0.0 for r in rows(store, december_values(store, "energy", year, year, city))}  # fmt: skip
    holders = sorted(
        (r["uscc"], round(r["energy"] * (1 - REDUCTION), 3))
        for r in before
        if r["energy"] is not None and r["energy"] >= threshold
    )
    held: dict[str, float] = {}
    for uscc, tce in holders:
        allocate(store, year=year, to=uscc, tce=_tce(tce), actor=actor, memo="按上年能耗减量确权")
        held[uscc] = tce
    total = round(sum(held.values()), 3)
    reserve = round(total * RESERVE_SHARE, 3)
    allocate(store, year=year, to="reserve", tce=_tce(reserve), actor=actor, memo="政府储备")
    s = store.table("enterprise_status", city)
    closed = {
        r["uscc"]
        for r in rows(store, s.filter((s.status == "closed") & (s.valid_from.year() == year)))
    }
    released = 0
    for uscc in sorted(closed & set(held)):
        freed = held.pop(uscc)
        release(store, id=f"REL-{year}-{uscc}", source=uscc, tce=_tce(freed), actor=actor,
                memo="关停企业用能权收回储备")  # fmt: skip
        released += 1
        reserve = round(reserve + freed, 3)
    for_sale = round(reserve * RESERVE_FOR_SALE, 3)
    gap = {u: round(now.get(u, 0.0) - h, 3) for u, h in held.items()}
    buyers = sorted((u for u, g in gap.items() if g > 0), key=lambda u: (-gap[u], u))
    sellers = sorted((u for u, g in gap.items() if g < 0), key=lambda u: (gap[u], u))
    spare = {u: -gap[u] for u in sellers}
    rng = random.Random(seed)
    n, from_reserve, filed = 0, 0, []
    # The spare rights go round the short enterprises pro rata to their gaps.
    share = min(1.0, sum(spare.values()) / (sum(gap[u] for u in buyers) or 1.0))
    for buyer in buyers:
        need = round(gap[buyer] * share, 3)
        for seller in sellers:
            if need <= 0:
                break
            q = round(min(need, spare[seller]), 3)
            if q <= 0:
                continue
            n += 1
            filed.append(f"A-{year}-{n:04d}")
            file_application(store, city, id=filed[-1], seller=seller, buyer=buyer,
                             tce=_tce(q), price=rng.randint(*PRICE_RANGE), note="年末履约交易",
                             actor=actor)  # fmt: skip
            spare[seller] = round(spare[seller] - q, 3)
            need = round(need - q, 3)
        need = round(gap[buyer] - (gap[buyer] * share - need), 3)  # what is left to buy
        q = round(min(need, for_sale), 3)
        if q > 0:
            n += 1
            from_reserve += 1
            transfer(store, id=f"T-{year}-{n:04d}", source="reserve", to=buyer, tce=_tce(q),
                     price=RESERVE_PRICE, actor=actor, memo="向政府储备购买")  # fmt: skip
            for_sale = round(for_sale - q, 3)
    left = min(pending, len(filed))
    for trade in filed[: len(filed) - left]:  # the last few await approval
        approve(store, id=trade, actor=actor, decision="同意")
    final = {b["account"]: b["tce"] for b in balances(store, city)}
    short = sum(1 for u in gap if now.get(u, 0.0) > final.get(u, 0.0) + 1e-9)
    return DemoLedger(len(holders), total, released, n - left, from_reserve, short, left)
