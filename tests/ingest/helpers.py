"""Helpers for ingest tests: a store with a register, and ways to tell a store unchanged."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from jingxin.ingest import ImportReport, import_file
from jingxin.store import Store
from tests.ingest.make_corpus import ENTERPRISES, Enterprise, write_register

__all__ = ["dump", "errors", "file_sha256", "has_chinese", "registered_store", "stored_output"]


def registered_store(path: Path, enterprises: Sequence[Enterprise] = ENTERPRISES) -> Store:
    """A new file store at ``path`` with ``enterprises`` loaded through ``import_file``."""
    csv = path.with_name(path.stem + "-register.csv")
    write_register(csv, enterprises)
    store = Store(path)
    report = import_file(store, "register", csv)
    assert report.status == "loaded", errors(report)
    assert report.rows == {"enterprise": len(enterprises)}
    return store


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def dump(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, sorted: what a store holds, independent of its bytes."""
    names = [
        r[0]
        for r in store.con.execute(
            "select table_name from information_schema.tables "
            "where table_schema = 'main' and table_type = 'BASE TABLE' order by 1"
        ).fetchall()
    ]
    return {
        n: sorted(store.con.execute(f'select * from "{n}"').fetchall(), key=repr) for n in names
    }


def stored_output(store: Store, period: str) -> dict[str, float | None]:
    rows = store.con.execute(
        "select uscc, gross_output from monthly_fact where period = ?", [period]
    ).fetchall()
    return {r[0]: r[1] for r in rows}


def has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def errors(report: ImportReport) -> list[str]:
    """The report's problems as text, for assertion messages."""
    return [i.text() for i in report.issues]
