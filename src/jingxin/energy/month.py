"""The energy figures of a month, for the bulletin's energy section.

* **Capacity ledger**: eliminated backward capacity and 低小散 cases, year to date (the
  cube's cells, from the counties' case lists).
* **Resumption**: in the weeks after the Spring Festival, 复工率 and 复产率 on the month's
  last day with readings.
* **Restriction**: in the month a restriction window ends, the listed enterprises'
  electricity and output lost; in the month of the make-up survey (five weeks after),
  the candidates found.
* **用能权**: the ledger as it stands (the city's only: its journal names both sides of a
  movement) — rights allocated for the year, trades, the reserve's sales.

Every part is read under the caller's scope and is ``None`` where the month has nothing
to say.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from jingxin.energy.daily import readings_span
from jingxin.energy.restriction import AFTER_DAYS, makeup_candidates, restriction_effect
from jingxin.energy.resumption import month_days, resumption
from jingxin.reference.calendar import SPRING_FESTIVAL
from jingxin.store import Scope, Store
from jingxin.store.ledger import ISSUANCE, RESERVE

__all__ = ["CAPACITY_MEASURES", "EnergyMonth", "energy_month"]

CAPACITY_MEASURES = (
    "backward_capacity_enterprises",
    "backward_capacity_energy",
    "small_scattered_cases",
)
RESTRICTED = "g20_restricted"


@dataclass(frozen=True)
class EnergyMonth:
    """What the bulletin says of energy for ``period``."""

    period: str
    capacity: dict[str, float | None] = field(default_factory=dict)
    resumption: dict[str, Any] | None = None
    restriction: dict[str, Any] | None = None
    makeup: dict[str, Any] | None = None
    rights: dict[str, Any] | None = None


def _capacity(store: Store, scope: Scope, period: str, region: str) -> dict[str, float | None]:
    c = store.table("cube", scope)
    c = c.filter(
        (c.period == period)
        & (c.region_code == region)
        & (c.group_key == "all")
        & c.measure.isin(CAPACITY_MEASURES)
    )
    got = {r["measure"]: r["value"] for r in store.run(c.select("measure", "value")).to_pylist()}
    return {m: got.get(m) for m in CAPACITY_MEASURES}


def _resumption(store: Store, scope: Scope, period: str) -> dict[str, Any] | None:
    first, last = month_days(period)
    festival = SPRING_FESTIVAL.get(first.year)
    if festival is None or not (festival <= last and first <= festival + timedelta(days=45)):
        return None
    span = readings_span(store, scope)
    if span[1] is None or span[0] is None or span[1] < max(first, festival):
        return None
    day = min(last, span[1])
    got = resumption(store, scope, day, day)
    city = got.city()
    if not city:
        return None
    r = city[0]
    return {
        "day": r["day"],
        "days_after": (r["day"] - festival).days,
        "work_pct": r["work_pct"],
        "production_pct": r["production_pct"],
        "enterprises": r["enterprises"],
    }


def _restriction(
    store: Store, scope: Scope, period: str
) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    first, last = month_days(period)
    p = store.table("pool_member", scope)
    ends = store.run(p.filter(p.pool == RESTRICTED).select("exited").distinct())
    windows = [d for d in ends.column("exited").to_pylist() if d is not None]
    effect = makeup = None
    if any(first <= d <= last for d in windows):
        eff = restriction_effect(store, scope, RESTRICTED)
        if eff.rows:
            effect = {
                "enterprises": len(eff.rows),
                "kwh_lost": eff.kwh_lost,
                "output_lost": eff.output_lost,
            }
    survey = [d + timedelta(days=AFTER_DAYS) for d in windows]
    if any(first <= d <= last for d in survey):
        _, have = readings_span(store, scope)
        day = max(d for d in survey if first <= d <= last)
        if have is not None and have >= day:
            got = makeup_candidates(store, scope, RESTRICTED, as_of=day)
            makeup = {
                "as_of": got.as_of,
                "members": len(got.rows),
                "candidates": len(got.candidates),
            }
    return effect, makeup


def _rights(store: Store, scope: Scope, year: int) -> dict[str, Any] | None:
    if not scope.is_city:
        return None
    j = store.table("energy_entry", scope)
    rows = store.run(j.select("kind", "from_account", "to_account", "kgce", "year")).to_pylist()
    if not rows:
        return None
    allocated = [
        r
        for r in rows
        if r["kind"] == "allocate" and r["year"] == year and r["to_account"] != RESERVE
    ]
    trades = [r for r in rows if r["kind"] == "transfer" and ISSUANCE != r["from_account"]]
    return {
        "year": year,
        "allocated": len({r["to_account"] for r in allocated}),
        "allocated_tce": sum(r["kgce"] for r in allocated) / 1000,
        "trades": len(trades),
        "traded_tce": sum(r["kgce"] for r in trades) / 1000,
        "from_reserve": sum(1 for r in trades if r["from_account"] == RESERVE),
    }


def energy_month(store: Store, scope: Scope, period: str, region: str) -> EnergyMonth:
    """The energy section's figures of ``period`` for ``region`` (the city, or a county)."""
    effect, makeup = _restriction(store, scope, period)
    return EnergyMonth(
        period,
        capacity=_capacity(store, scope, period, region),
        resumption=_resumption(store, scope, period),
        restriction=effect,
        makeup=makeup,
        rights=_rights(store, scope, int(period[:4])),
    )
