"""The department files the store holds: which are active, which were superseded and by
which file. Read through the boundary (``source_file`` is a city-only table)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from jingxin.store import Scope, Store

__all__ = ["SourceFile", "replaced_by", "source_file", "source_files"]


@dataclass(frozen=True)
class SourceFile:
    """One loaded file: what it is, who loaded it, and whether it is still in force."""

    id: int
    kind: str
    name: str
    period: str | None
    rows: int
    status: str  # active | superseded
    loaded_by: str
    loaded_at: datetime
    superseded_by: int | None
    archive: str | None
    sha256: str

    @classmethod
    def of(cls, row: dict[str, Any]) -> SourceFile:
        """A file from its ``source_file`` row."""
        return cls(**{k: row[k] for k in cls.__dataclass_fields__})


def source_files(
    store: Store, *, kind: str | None = None, period: str | None = None
) -> list[SourceFile]:
    """Every loaded file (of ``kind``, for ``period`` when given), by id."""
    t = store.table("source_file", Scope.city())
    if kind is not None:
        t = t.filter(t.kind == kind)
    if period is not None:
        t = t.filter(t.period == period)
    return [SourceFile.of(r) for r in store.run(t.order_by(t.id)).to_pylist()]


def source_file(store: Store, file_id: int) -> SourceFile | None:
    """The loaded file with id ``file_id``, if there is one."""
    t = store.table("source_file", Scope.city())
    rows = store.run(t.filter(t.id == file_id)).to_pylist()
    return SourceFile.of(rows[0]) if rows else None


def replaced_by(store: Store, file_id: int) -> tuple[int | None, str | None]:
    """Which file superseded ``file_id`` and on what date (``YYYY-MM-DD``), or two ``None``."""
    f = source_file(store, file_id)
    if f is None or f.superseded_by is None:
        return None, None
    later = source_file(store, f.superseded_by)
    return f.superseded_by, later.loaded_at.date().isoformat() if later else None
