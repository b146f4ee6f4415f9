"""Completeness and timeliness: for a source and period, who has not reported and how late
the file came.

Expected reporters: above-scale enterprises in operation for the statistics form, every
enterprise with a meter account for the grid, every county for county-reported values.
A file is due on a fixed day of the following month (``DUE_DAY``); lateness is counted from
the file's ``received_at``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from jingxin.reference import region_name
from jingxin.store import Scope, Store

__all__ = ["DUE_DAY", "Completeness", "completeness"]

# Day of the following month a monthly file is due (statistics: 月后16日, after S5 of the
# department-files notes; the others are the bureau's own working rules).
DUE_DAY = {"stats_monthly": 16, "electricity": 8, "tax": 15, "reported_value": 10}

# The sources whose expected reporters are known.
_SOURCES = ("stats_monthly", "electricity")


def _open(store: Store, scope: Scope, month_end: date) -> Any:
    """Enterprises of ``scope`` not closed or deregistered before ``month_end``."""
    ent = store.table("enterprise", scope)
    status = store.table("enterprise_status", scope)
    gone = status.filter(
        status.status.isin(("closed", "deregistered")) & (status.valid_from <= month_end)
    )
    return ent.filter(~ent.uscc.isin(gone.uscc))


def _expected(store: Store, kind: str, year: int, month_end: date, scope: Scope) -> Any:
    """The enterprises expected to report ``kind``: uscc, name, region_code."""
    ent = _open(store, scope, month_end)
    if kind == "stats_monthly":
        scale = store.table("enterprise_scale", scope)
        who = scale.filter((scale.year == year) & (scale.scale == "above")).select("uscc")
    else:
        who = store.table("grid_account", scope).select("uscc").distinct()
    return who.join(ent, "uscc").select("uscc", "name", "region_code")


def _reported(store: Store, kind: str, period: str, scope: Scope) -> Any:
    """The enterprises with a row of ``kind`` for ``period``."""
    t = store.table("monthly_fact" if kind == "stats_monthly" else kind, scope)
    return t.filter(t.period == period).select("uscc").distinct()


def _received(store: Store, kind: str, period: str) -> Any:
    """When the active file of ``kind`` for ``period`` came (ingest is the city's)."""
    f = store.table("source_file", Scope.city())
    active = f.filter((f.kind == kind) & (f.period == period) & (f.status == "active"))
    return active.received_at.max()


@dataclass
class Completeness:
    """Who has not reported for one source and period, and when the file came."""

    kind: str
    period: str
    due: date
    received: date | None
    days_late: int | None  # None when nothing was received
    expected: int
    reported: int
    missing_by_county: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        return 100.0 * self.reported / self.expected if self.expected else 100.0


def _due(period: str, kind: str) -> date:
    y, m = int(period[:4]), int(period[5:7])
    y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return date(y, m, DUE_DAY.get(kind, 15))


def completeness(store: Store, kind: str, period: str, scope: Scope) -> Completeness:
    """Completeness of ``kind`` for the month ``period`` (YYYY-MM), over the enterprises
    ``scope`` may see (the CLI passes ``Scope.city()``)."""
    from jingxin.errors import InputError

    if kind not in _SOURCES:
        raise InputError(f"暂不支持统计 {kind} 的报送完整性：可用 {'、'.join(_SOURCES)}。")
    y, m = int(period[:4]), int(period[5:7])
    month_end = date(y + (m == 12), m % 12 + 1, 1)
    expected = store.run(_expected(store, kind, y, month_end, scope)).to_pylist()
    reported = {r["uscc"] for r in store.run(_reported(store, kind, period, scope)).to_pylist()}
    at = store.scalar(_received(store, kind, period))
    received = at.date() if at else None
    due = _due(period, kind)
    missing: dict[str, list[tuple[str, str]]] = {}
    for e in expected:
        if e["uscc"] not in reported:
            missing.setdefault(region_name(e["region_code"]), []).append((e["uscc"], e["name"]))
    return Completeness(
        kind,
        period,
        due,
        received,
        max(0, (received - due).days) if received else None,
        len(expected),
        sum(1 for e in expected if e["uscc"] in reported),
        missing,
    )
