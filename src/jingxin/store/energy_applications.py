"""Applications to trade 用能权 between enterprises: filed, then approved or not.

A trade between two enterprises goes application → approval. The application is a
workflow record (``energy_application``, its status changes, every step audited); the
approval executes the transfer through the ledger (:mod:`jingxin.store.ledger`) with the
application's id as the transfer's, so approving twice applies it once. An application
refused at approval for want of rights stays pending, with the ledger's reason.
"""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from typing import Any

from jingxin.store.audit import now, write_audit
from jingxin.store.db import Store
from jingxin.store.ledger import ID_PATTERN, RESERVE, LedgerError

__all__ = ["STATUSES", "decide", "file", "get"]

STATUSES = {"pending": "待审批", "approved": "已批准", "rejected": "未批准"}
_COLUMNS = (
    "id, seller, buyer, kgce, price, note, body_sha256, applied_by, applied_at, status, "
    "decided_by, decided_at, decision, transfer_id"
)
_NAMES = [c.strip() for c in _COLUMNS.split(",")]


def _sha(body: dict[str, Any]) -> str:
    text = json.dumps(body, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def get(store: Store, application_id: str) -> dict[str, Any] | None:
    """One application by id (``None`` when there is none)."""
    rows = store.con.execute(
        f"select {_COLUMNS} from energy_application where id = ?",  # noqa: S608
        [application_id],
    ).fetchall()
    return dict(zip(_NAMES, rows[0], strict=True)) if rows else None


def file(
    store: Store, *, id: str, seller: str, buyer: str, kgce: int, price: Decimal | None,
    note: str | None, actor: str,
) -> tuple[dict[str, Any], bool]:  # fmt: skip
    """File an application (once per id: the same request again returns the first, another
    request with the id is refused). Returns the application and whether it was filed
    before."""
    if not isinstance(id, str) or not ID_PATTERN.match(id):
        raise LedgerError("invalid_id", str(id)[:80])
    if seller == buyer:
        raise LedgerError("same_account", seller)
    if RESERVE in (seller, buyer):
        raise LedgerError("wrong_accounts", "转让申请只在企业之间；与政府储备的交易直接执行")
    body = {"seller": seller, "buyer": buyer, "kgce": kgce, "price": price, "note": note}
    sha = _sha(body)
    with store.transaction() as con:
        first = get(store, id)
        if first is not None:
            if first["body_sha256"] != sha:
                raise LedgerError("id_conflict", id)
            return first, True
        con.execute(
            f"insert into energy_application ({_COLUMNS}) values "  # noqa: S608
            "(?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', null, null, null, null)",
            [id, seller, buyer, kgce, price, note, sha, actor, now()],
        )
        after = get(store, id)
        write_audit(con, actor, "energy_apply", "energy_application", {"id": id}, None, after)
    assert after is not None
    return after, False


def decide(
    store: Store, application_id: str, *, approved: bool, decision: str | None, actor: str,
    transfer_id: str | None = None,
) -> dict[str, Any]:  # fmt: skip
    """Mark a pending application approved (its transfer done) or not approved. Marking
    it again as it already is changes nothing; the other way is refused."""
    status = "approved" if approved else "rejected"
    with store.transaction() as con:
        before = get(store, application_id)
        if before is None:
            raise LedgerError("unknown_application", application_id)
        if before["status"] == status:
            return before
        if before["status"] != "pending":
            raise LedgerError(
                "already_decided", f"{application_id}（{STATUSES[before['status']]}）"
            )
        con.execute(
            "update energy_application set status = ?, decided_by = ?, decided_at = ?, "
            "decision = ?, transfer_id = ? where id = ?",
            [status, actor, now(), decision, transfer_id, application_id],
        )
        after = get(store, application_id)
        write_audit(
            con, actor, f"energy_{'approve' if approved else 'refuse'}", "energy_application",
            {"id": application_id}, before, after,
        )  # fmt: skip
    assert after is not None
    return after
