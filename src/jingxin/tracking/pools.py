"""Enterprise pools: who entered and left in a year, and who is in at its end."""

from __future__ import annotations

from datetime import date
from typing import Any

from jingxin.store import Scope, Store
from jingxin.tracking.catalogue import POOLS
from jingxin.tracking.queries import pool_members, rows

__all__ = ["pool_counts"]


def pool_counts(store: Store, year: int, scope: Scope) -> dict[str, dict[str, Any]]:
    """Per pool: ``entered`` (in the year), ``entered_by_level``, ``exited_by_reason`` (in the
    year), ``active`` (members at the year's end) and ``ever`` (entered by the year's end)."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    out: dict[str, dict[str, Any]] = {
        p.key: {
            "entered": 0,
            "entered_by_level": {},
            "exited_by_reason": {},
            "active": 0,
            "ever": 0,
        }
        for p in POOLS
    }
    for r in rows(store, pool_members(store, scope)):
        c = out.setdefault(
            r["pool"],
            {"entered": 0, "entered_by_level": {}, "exited_by_reason": {}, "active": 0, "ever": 0},
        )
        entered, exited = r["entered"], r["exited"]
        if entered <= last:
            c["ever"] += 1
            if exited is None or exited > last:
                c["active"] += 1
        if first <= entered <= last:
            c["entered"] += 1
            lvl = r["level"] or ""
            c["entered_by_level"][lvl] = c["entered_by_level"].get(lvl, 0) + 1
        if exited is not None and first <= exited <= last:
            why = r["exit_reason"] or ""
            c["exited_by_reason"][why] = c["exited_by_reason"].get(why, 0) + 1
    return out
