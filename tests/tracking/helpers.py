"""Helpers for tracking tests: small file stores, CSVs written as senders would, and
hand-made tables loaded as one source."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa

from jingxin.ingest import ImportReport, import_file
from jingxin.store import Store
from tests.ingest.helpers import errors, registered_store
from tests.ingest.make_corpus import CODES

__all__ = ["CODES", "errors", "load", "registered", "run_import", "write_csv"]


def registered(tmp_path: Path) -> Store:
    """A file store holding the corpus register: five enterprises, in 吴兴区 (two),
    南浔区, 德清县 and 长兴县."""
    return registered_store(tmp_path / "t.duckdb")


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Path:
    with path.open("w", newline="", encoding="utf-8-sig") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(["" if v is None else v for v in r] for r in rows)
    return path


def run_import(
    store: Store, kind: str, path: Path, *, period: str | None = None, correction: bool = False
) -> ImportReport:
    return import_file(store, kind, path, period=period, correction=correction)


def load(store: Store, name: str, tables: dict[str, list[dict[str, Any]]]) -> None:
    """Load hand-made rows (column types taken from the store's table) as one source."""
    arrow = {}
    for tname, rows in tables.items():
        cols = [
            r[0]
            for r in store.con.execute(f"describe {tname}").fetchall()
            if r[0] not in ("source_file_id", "source_row", "source_sheet")
        ]
        schema = store.arrow(f"select {', '.join(cols)} from {tname} limit 0").schema  # noqa: S608
        arrow[tname] = pa.Table.from_pylist(
            [{c: r.get(c) for c in cols} for r in rows], schema=schema
        )
    store.load("test", name, arrow)
