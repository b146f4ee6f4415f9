"""The one audit writer and the one id allocator of the store.

Every change made through the platform (a correction, a register update, a superseded
file, a pool confirmation, an evaluation step) is written to ``audit_log`` by
:func:`write_audit`, inside the transaction of the change itself, so the change and its
record are stored together or not at all. Ids of ``source_file``, ``evaluation_run`` and
``evaluation_objection`` come from :func:`next_id`, a counter per table (migration 6).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

import duckdb

__all__ = ["COUNTED_TABLES", "next_id", "now", "record_change", "write_audit", "write_audits"]

COUNTED_TABLES = ("source_file", "evaluation_run", "evaluation_objection", "data_change")


def now() -> datetime:
    """The current time in UTC without a zone, as the store keeps timestamps."""
    return datetime.now(UTC).replace(tzinfo=None)


def _dump(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, default=str)


def write_audit(
    con: duckdb.DuckDBPyConnection,
    actor: str,
    action: str,
    table: str,
    key: Mapping[str, Any],
    before: Any,
    after: Any,
) -> None:
    """Write one ``audit_log`` row: who, what, which row, and its before and after."""
    con.execute(
        "insert into audit_log (logged_at, actor, action, table_name, row_key, before, after) "
        "values (?, ?, ?, ?, ?, ?, ?)",
        [now(), actor, action, table, _dump(dict(key)), _dump(before), _dump(after)],
    )


def write_audits(con: duckdb.DuckDBPyConnection, rows: list[list[Any]]) -> None:
    """Write many ``audit_log`` rows, each ``[actor, action, table, key, before, after]``."""
    at = now()
    con.executemany(
        "insert into audit_log (logged_at, actor, action, table_name, row_key, before, after) "
        "values (?, ?, ?, ?, ?, ?, ?)",
        [[at, a, act, t, _dump(dict(k)), _dump(b), _dump(af)] for a, act, t, k, b, af in rows],
    )


def next_id(con: duckdb.DuckDBPyConnection, table: str) -> int:
    """Allocate the next id of ``table`` (call it inside the transaction that uses it)."""
    if table not in COUNTED_TABLES:
        raise ValueError(f"no id counter for table {table!r}")
    row = con.execute(
        "update id_counter set last = last + 1 where name = ? returning last", [table]
    ).fetchall()
    return int(row[0][0])


def record_change(
    con: duckdb.DuckDBPyConnection,
    action: str,
    tables: Iterable[str],
    *,
    period: str | None = None,
    file_id: int | None = None,
) -> int:
    """Record a change of the ``tables`` (inside its transaction); returns its version."""
    version = next_id(con, "data_change")
    con.execute(
        "insert into data_change values (?, ?, ?, ?, ?, ?)",
        [version, now(), action, sorted(set(tables)), period, file_id],
    )
    return version
