"""Undo a correction: make a superseded file active again (``jingxin files restore``).

A superseded file's rows were deleted when the correction replaced it, but its raw file
was archived under its hash (``import_file``'s ``archive_dir``). A restore reads that
archived file again through the same path as an import — the kind's parse and build, the
checks against the store (with the file now active set aside, as for a correction) — so the
rows come back exactly as an import of that file would store them today, under the same
rules, with the file's own id as provenance. The archive must hold the very bytes that were
imported (its SHA-256 is checked). The store then swaps the two files in one transaction
(:func:`jingxin.store.files.restore_rows`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from jingxin.errors import DataError, InputError, NotFoundError
from jingxin.ingest.checks import check_against_store
from jingxin.ingest.diff import TableDiff, diff_table
from jingxin.ingest.issues import Issue, Issues
from jingxin.ingest.kinds import get_kind
from jingxin.ingest.pipeline import parse_file
from jingxin.ingest.sources import source_file
from jingxin.store import Store
from jingxin.store.files import restore_rows

__all__ = ["RestoreReport", "restore_file"]


@dataclass
class RestoreReport:
    """What a restore did: the file made active, the file it superseded, and the difference."""

    file_id: int
    name: str
    kind: str
    period: str
    superseded: int | None
    rows: dict[str, int]
    diff: dict[str, TableDiff] = field(default_factory=dict)
    warnings: list[Issue] = field(default_factory=list)

    def summary(self) -> str:
        """One Chinese sentence for the command line."""
        rows = "，".join(f"{t} {n} 行" for t, n in self.rows.items() if t != "unmatched_row")
        by = f"；文件 {self.superseded} 改为已被替换" if self.superseded is not None else ""
        return f"已恢复文件 {self.file_id}（{self.name}，{self.period}）：{rows}{by}。"


def restore_file(
    store: Store, file_id: int, *, archive_dir: Path, actor: str = "system"
) -> RestoreReport:
    """Make superseded file ``file_id`` active again from its archived raw file.

    Raises
    ------
    NotFoundError
        When there is no such file, or its raw file was not archived or is gone.
    InputError
        When the file is active, or no longer passes the checks against the store.
    DataError
        When the archived file is not the one that was imported.
    """
    f = source_file(store, file_id)
    if f is None:
        raise NotFoundError(f"没有编号为 {file_id} 的文件：请用 jingxin files list 查看。")
    if f.status != "superseded" or f.period is None:
        raise InputError(f"文件 {file_id} 现为有效文件，不需要恢复：只有已被替换的文件可以恢复。")
    if not f.archive:
        raise NotFoundError(
            f"文件 {file_id}（{f.name}）导入时没有存档原始文件，无法恢复：可将原件另存后重新导入。"
        )
    path = archive_dir / f.archive
    if not path.is_file():
        raise NotFoundError(f"文件 {file_id}（{f.name}）存档的原始文件 {path} 不存在，无法恢复。")
    if hashlib.sha256(path.read_bytes()).hexdigest() != f.sha256:
        raise DataError(f"存档文件 {path} 与导入时的内容不一致（可能被改动过），无法恢复。")
    kind = get_kind(f.kind)
    issues = Issues(f.name)
    # A restore is a correction by nature: 1-本月 below the month before is a warning.
    built, _, ctx = parse_file(store, kind, path, issues, period=f.period, correction=True)
    if built is not None:
        check_against_store(store, kind, built, ctx, f.period)
    if built is None or issues.has_errors():
        first = next((i.text() for i in issues.items if i.severity == "error"), "")
        raise InputError(
            f"文件 {file_id}（{f.name}）按现有数据重新校验未通过，未恢复：{first}".rstrip("：")
        )
    active = store.active_file(kind.key, f.period)
    before = {t: store.file_rows(t, active) for t in built.tables} if active else {}
    replaced, rows = restore_rows(
        store,
        file_id,
        built.tables,
        upsert=built.upsert,
        changed=kind.tables,
        actor=actor,
    )
    diff = {
        t: diff_table(before[t], built.tables[t], built.keys[t])
        for t in built.tables
        if t in before and built.keys.get(t)
    }
    return RestoreReport(file_id, f.name, kind.key, f.period, replaced, rows, diff, issues.items)
