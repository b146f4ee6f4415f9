"""Data versions: which stored inputs changed since a derived table was computed.

Every change of stored inputs — a file loaded or superseded, a register updated, a row
corrected, a held row released, a file restored — is written to ``data_change`` with a new
version, in the transaction of the change itself (:func:`record_change`). A derived table
records, per year, the version its rows were computed from (``derived_state``,
written by ``Store.replace(..., derived=...)``). A derived year is stale when a later change touched one of its
input tables for a period it depends on; :func:`changes_since` lists them and
:func:`latest_file` names the file that "数据截至" refers to.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from jingxin.reference.clock import BEIJING
from jingxin.store.audit import record_change
from jingxin.store.db import Store

__all__ = [
    "Change",
    "as_of_sentence",
    "changes_since",
    "data_version",
    "derived_version",
    "derived_years",
    "latest_file",
    "record_change",
]


@dataclass(frozen=True)
class Change:
    """One change of stored inputs."""

    version: int
    action: str
    tables: tuple[str, ...]
    period: str | None
    file_id: int | None


def data_version(store: Store) -> int:
    """The version of the latest change of stored inputs (0 before any)."""
    row = store.con.execute("select last from id_counter where name = 'data_change'").fetchall()
    return int(row[0][0]) if row else 0


def derived_version(store: Store, name: str, year: int) -> int | None:
    """The data version ``name``'s rows of ``year`` were computed from (None: never)."""
    row = store.con.execute(
        "select data_version from derived_state where name = ? and year = ?", [name, year]
    ).fetchall()
    return int(row[0][0]) if row else None


def derived_years(store: Store, name: str) -> dict[int, int]:
    """Every year of ``name`` that was computed, with its data version."""
    rows = store.con.execute(
        "select year, data_version from derived_state where name = ? order by year", [name]
    ).fetchall()
    return {int(y): int(v) for y, v in rows}


def changes_since(store: Store, version: int) -> list[Change]:
    """The changes after ``version``, oldest first."""
    rows = store.con.execute(
        "select version, action, tables, period, file_id from data_change "
        "where version > ? order by version",
        [version],
    ).fetchall()
    return [Change(int(v), a, tuple(t), p, f) for v, a, t, p, f in rows]


def latest_file(store: Store) -> dict[str, Any] | None:
    """The most recently loaded active source file: what "数据截至" names."""
    rows = store.arrow(
        "select id, kind, name, period, loaded_at, loaded_by from source_file "
        "where status = 'active' order by loaded_at desc, id desc limit 1"
    ).to_pylist()
    return dict(rows[0]) if rows else None


def as_of_sentence(store: Store) -> str:
    """``数据截至 …``: the latest active file, when and what it was, for every output.

    Examples
    --------
    >>> as_of_sentence(Store(":memory:"))
    '数据截至：尚未导入任何数据。'
    """
    f = latest_file(store)
    if f is None:
        return "数据截至：尚未导入任何数据。"
    at: datetime = f["loaded_at"] + BEIJING  # stored in UTC; shown in Beijing time
    period = f"（{f['period']}）" if f["period"] else ""
    return f"数据截至 {at:%Y-%m-%d %H:%M}：最近入库的文件为“{f['name']}”{period}，编号 {f['id']}。"
