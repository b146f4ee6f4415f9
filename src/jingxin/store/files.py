"""Source files made active again: the write behind ``jingxin files restore``.

A corrected file supersedes the active file of its kind and period (``Store.load``); a
restore undoes that. In one transaction the file now active for the kind and period loses
its rows and becomes ``superseded`` (by the restored file), the restored file becomes
``active`` again and its rows (re-parsed from its archived raw file by the caller) are stored
with its own id as provenance; the audit row holds both files' status before and after,
and a data version (``restore``) is recorded.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pyarrow as pa

from jingxin.errors import InputError, NotFoundError
from jingxin.store.audit import record_change, write_audit
from jingxin.store.db import FILE_TABLES, Store
from jingxin.store.lookups import LOADABLE_TABLES

__all__ = ["restore_rows"]


def restore_rows(
    store: Store,
    file_id: int,
    tables: Mapping[str, pa.Table],
    *,
    upsert: Mapping[str, Sequence[str]] | None = None,
    changed: Iterable[str] = (),
    actor: str,
) -> tuple[int | None, dict[str, int]]:
    """Make superseded file ``file_id`` active again with ``tables`` as its rows.

    ``upsert`` names register tables whose stored rows of the same key are replaced (as a
    load does); ``changed`` adds tables the replaced file filled to the data version.
    Returns the id of the file it superseded (``None`` when none was active) and the rows
    written per table.

    Raises
    ------
    NotFoundError
        When no file has id ``file_id``.
    InputError
        When the file is not superseded, or has no period.
    """
    for tname in tables:
        if tname not in LOADABLE_TABLES:
            raise InputError(f"不能导入到表 {tname!r}。")
    with store.transaction() as con:
        found = con.execute(
            "select kind, period, status, superseded_by from source_file where id = ?", [file_id]
        ).fetchall()
        if not found:
            raise NotFoundError(f"没有编号为 {file_id} 的文件：请用 jingxin files list 查看。")
        kind, period, status, by = found[0]
        if status != "superseded" or period is None:
            raise InputError(
                f"文件 {file_id} 现为有效文件，不需要恢复：只有已被替换的文件可以恢复。"
            )
        active = con.execute(
            "select id from source_file where kind = ? and period = ? and status = 'active'",
            [kind, period],
        ).fetchall()
        replaced = int(active[0][0]) if active else None
        before: list[dict[str, Any]] = [
            {"id": file_id, "status": status, "superseded_by": by},
        ]
        after: list[dict[str, Any]] = [{"id": file_id, "status": "active", "superseded_by": None}]
        if replaced is not None:
            for tname in FILE_TABLES:
                con.execute(f"delete from {tname} where source_file_id = ?", [replaced])  # noqa: S608
            con.execute(
                "update source_file set status = 'superseded', superseded_by = ? where id = ?",
                [file_id, replaced],
            )
            before.append({"id": replaced, "status": "active", "superseded_by": None})
            after.append({"id": replaced, "status": "superseded", "superseded_by": file_id})
        written: dict[str, int] = {}
        for tname, table in tables.items():
            keys = (upsert or {}).get(tname)
            if keys:  # a register: the same rule as a load's (Store._replace_keys)
                store._replace_keys(tname, table, keys, actor, f"恢复的文件 {file_id}")
            written[tname] = store.insert_rows(tname, table, file_id)
        con.execute(
            "update source_file set status = 'active', superseded_by = null, rows = ? where id = ?",
            [sum(written.values()), file_id],
        )
        write_audit(
            con,
            actor,
            "restore: 恢复被替换的文件",
            "source_file",
            {"kind": kind, "period": period},
            before,
            after,
        )
        record_change(con, "restore", {*tables, *changed}, period=period, file_id=file_id)
    return replaced, written
