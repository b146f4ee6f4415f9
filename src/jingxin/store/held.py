"""Rows held because no key named their enterprise, and the analyst's confirmations.

A held row (``unmatched_row``) waits, with a suggested enterprise, until an analyst confirms
which enterprise it is (``jingxin crosswalk confirm``); then the alias is recorded and the
rows are stored, each step audited.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from jingxin.errors import InputError
from jingxin.store.audit import now, record_change, write_audit
from jingxin.store.db import Store
from jingxin.store.lookups import LOADABLE_TABLES

__all__ = ["add_alias", "release", "unmatched"]


def add_alias(store: Store, alias: str, uscc: str, actor: str) -> None:
    """Record an analyst's confirmation that ``alias`` names enterprise ``uscc``."""
    with store.transaction() as con:
        con.execute(
            "insert or replace into enterprise_alias values (?, ?, ?, ?)",
            [alias, uscc, now(), actor],
        )
        write_audit(
            con,
            actor,
            "alias: 确认名称对应",
            "enterprise_alias",
            {"alias": alias},
            None,
            {"uscc": uscc},
        )


def unmatched(store: Store) -> list[dict[str, Any]]:
    """Rows held because their enterprise could not be told, not yet resolved."""
    rows: list[dict[str, Any]] = store.arrow(
        "select u.rowid as id, u.*, f.name as file_name from unmatched_row u "
        "join source_file f on f.id = u.source_file_id where resolved_at is null "
        "order by source_file_id, source_row"
    ).to_pylist()
    return rows


def release(store: Store, held: Sequence[Mapping[str, Any]], uscc: str, actor: str) -> int:
    """Store held rows as enterprise ``uscc``'s, in one audited transaction.

    Amounts that meet a stored row of the same key (another meter account, another tax
    payment) are added to it; an account is added to the grid crosswalk.
    """
    sums = {"electricity": "kwh", "tax_paid": "amount"}
    changed: set[str] = set()
    periods: set[str | None] = set()
    with store.transaction() as con:
        for h in held:
            target = str(h["target"])
            if target not in LOADABLE_TABLES:
                raise InputError(f"表 {target!r} 不是导入表。")
            payload = json.loads(h["payload"])
            changed.add(target)
            periods.add(payload.get("period"))
            account = payload.pop("account", None)
            payload.pop("taxpayer", None)
            cols = [r[0] for r in con.execute(f"describe {target}").fetchall()]
            row = {
                **{k: v for k, v in payload.items() if k in cols},
                "uscc": uscc,
                "source_file_id": h["source_file_id"],
                "source_row": h["source_row"],
                "source_sheet": h["source_sheet"],
            }
            names = ", ".join(f'"{c}"' for c in row)
            marks = ", ".join("?" for _ in row)
            conflict = ""
            if target in sums:
                col = sums[target]
                conflict = f' on conflict do update set "{col}" = "{col}" + excluded."{col}"'
            con.execute(
                f"insert into {target} ({names}) values ({marks}){conflict}",  # noqa: S608
                list(row.values()),
            )
            if account:
                con.execute(
                    "insert or replace into grid_account values (?, ?, ?, ?, ?, ?)",
                    [
                        account,
                        h["name"],
                        uscc,
                        h["source_file_id"],
                        h["source_row"],
                        h["source_sheet"],
                    ],
                )
            con.execute(
                "update unmatched_row set resolved_at = ? where rowid = ?", [now(), h["id"]]
            )
            write_audit(
                con,
                actor,
                "release: 确认企业后入库",
                target,
                {"source_file_id": h["source_file_id"], "source_row": h["source_row"]},
                None,
                row,
            )
        if held:
            one = periods.pop() if len(periods) == 1 else None
            record_change(con, "release", changed, period=one)
    return len(held)
