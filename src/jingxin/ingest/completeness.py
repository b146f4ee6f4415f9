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

from jingxin.reference import region_name
from jingxin.store import Store

__all__ = ["DUE_DAY", "Completeness", "completeness"]

# Day of the following month a monthly file is due (statistics: 月后16日, after S5 of the
# department-files notes; the others are the bureau's own working rules).
DUE_DAY = {"stats_monthly": 16, "electricity": 8, "tax": 15, "reported_value": 10}

_EXPECTED = {
    "stats_monthly": (
        "select s.uscc, e.name, e.region_code from enterprise_scale s "
        "join enterprise e using (uscc) where s.year = ? and s.scale = 'above' "
        "and not exists (select 1 from enterprise_status t where t.uscc = s.uscc "
        "and t.status in ('closed', 'deregistered') and t.valid_from <= ?)",
        "select distinct uscc from monthly_fact where period = ?",
    ),
    "electricity": (
        "select distinct g.uscc, e.name, e.region_code from grid_account g "
        "join enterprise e using (uscc) where not exists (select 1 from "
        "enterprise_status t where t.uscc = g.uscc and t.status in ('closed', 'deregistered') "
        "and t.valid_from <= ?)",
        "select distinct uscc from electricity where period = ?",
    ),
}


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


def completeness(store: Store, kind: str, period: str) -> Completeness:
    """Completeness of ``kind`` for the month ``period`` (YYYY-MM)."""
    from jingxin.errors import InputError

    if kind not in _EXPECTED:
        raise InputError(f"暂不支持统计 {kind} 的报送完整性：可用 {'、'.join(_EXPECTED)}。")
    y, m = int(period[:4]), int(period[5:7])
    month_end = date(y + (m == 12), m % 12 + 1, 1)
    expected_sql, reported_sql = _EXPECTED[kind]
    params: list[object] = [y, month_end] if kind == "stats_monthly" else [month_end]
    expected = store.arrow(expected_sql, params).to_pylist()
    reported = {r["uscc"] for r in store.arrow(reported_sql, [period]).to_pylist()}
    files = store.arrow(
        "select max(received_at) as received from source_file "
        "where kind = ? and period = ? and status = 'active'",
        [kind, period],
    ).to_pylist()
    received = files[0]["received"].date() if files and files[0]["received"] else None
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
