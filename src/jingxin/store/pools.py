"""Writes of enterprise pools: an analyst's confirmation of a member, with provenance."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

import pyarrow as pa

from jingxin.store.audit import next_id, now, record_change, write_audit
from jingxin.store.catalog import arrow_schema
from jingxin.store.db import Store

__all__ = ["add_pool_member"]

# The columns an analyst gives (the store adds the provenance).
_MEMBER = pa.schema([f for f in arrow_schema("pool_member") if not f.name.startswith("source_")])


def add_pool_member(store: Store, member: Mapping[str, Any], *, actor: str, note: str) -> int:
    """Store one ``pool_member`` row an analyst confirmed, in one audited transaction.

    The confirmation is recorded as a ``source_file`` of kind ``pool_confirm`` (the row's
    provenance) and in ``audit_log``; returns that file's id.
    """
    table = pa.Table.from_pylist([dict(member)], schema=_MEMBER)
    key = {k: member[k] for k in ("pool", "uscc", "entered")}
    at = now()
    sha = hashlib.sha256(
        json.dumps([key, actor, at], ensure_ascii=False, default=str).encode()
    ).hexdigest()
    with store.transaction() as con:
        file_id = next_id(con, "source_file")
        con.execute(
            "insert into source_file (id, kind, name, sha256, period, rows, loaded_at, "
            "loaded_by, status, received_at) values (?, 'pool_confirm', ?, ?, null, 1, ?, ?, "
            "'active', ?)",
            [file_id, note, sha, at, actor, at],
        )
        store.insert_rows("pool_member", table, file_id)
        write_audit(con, actor, f"confirm: {note}", "pool_member", key, None, dict(member))
        record_change(con, "confirm", ["pool_member"], file_id=file_id)
    return file_id
