"""Trades between enterprises: application (申请) → approval (审批) → the transfer.

A county's staff file applications for their own county's enterprises as buyers (受让方);
the city's administrators and analysts file any and decide. Approving runs the transfer
through the ledger with the application's id, so it is applied once however often it is
approved; when the seller's rights do not suffice, the approval is refused with the
ledger's reason and the application stays pending.
"""

from __future__ import annotations

import re
from typing import Any

import ibis

from jingxin.energy.ledger import account_name, transfer
from jingxin.errors import NotFoundError
from jingxin.reference import region_name
from jingxin.reference.clock import beijing
from jingxin.store import Scope, Store
from jingxin.store import energy_applications as records
from jingxin.store.ledger import RESERVE, Applied, LedgerError, kgce_of, price_of

__all__ = ["STATUSES", "applications", "approve", "file_application", "refuse"]

STATUSES = records.STATUSES
OUTSIDE = "（外区县企业）"
CODE = re.compile(
    r"^[0-9A-HJ-NPQRTUWXY]{18}$"
)  # a credit code's form (the check digit: the register)


def _code(value: str) -> str:
    v = str(value).strip()
    if v.lower() == RESERVE or v == "政府储备":
        return RESERVE
    if not CODE.match(v.upper()):
        raise LedgerError("unknown_account", v[:40])
    return v.upper()


def file_application(
    store: Store, scope: Scope, *, id: str, seller: str, buyer: str, tce: Any, actor: str,
    price: Any = None, note: str | None = None,
) -> tuple[dict[str, Any], bool]:  # fmt: skip
    """File an application to buy ``tce`` from ``seller``; the buyer must be an enterprise
    in ``scope`` (a county: its own), else it is not found, as for an unknown code."""
    buyer, seller = _code(buyer), _code(seller)
    e = store.table("enterprise", scope)
    if store.scalar(e.filter(e.uscc == buyer).count()) == 0:
        raise NotFoundError("没有找到受让企业（或该企业不在您的可见范围内）。")
    return records.file(
        store, id=str(id).strip(), seller=seller, buyer=buyer, kgce=kgce_of(tce),
        price=price_of(price), note=note, actor=actor,
    )  # fmt: skip


def approve(store: Store, *, id: str, actor: str, decision: str | None = None) -> Applied:
    """Approve a pending application: its transfer, then its status (both once)."""
    app = records.get(store, id)
    if app is None:
        raise LedgerError("unknown_application", id)
    if app["status"] == "rejected":
        raise LedgerError("already_decided", f"{id}（{STATUSES['rejected']}）")
    done = transfer(
        store, id=id, source=app["seller"], to=app["buyer"], tce=f"{app['kgce'] / 1000:.3f}",
        price=app["price"], memo=f"转让申请 {id}", actor=actor,
    )  # fmt: skip
    records.decide(store, id, approved=True, decision=decision, actor=actor, transfer_id=id)
    return done


def refuse(store: Store, *, id: str, actor: str, decision: str) -> dict[str, Any]:
    """Decide not to approve a pending application (the reason is required)."""
    return records.decide(store, id, approved=False, decision=decision, actor=actor)


def applications(
    store: Store, scope: Scope, *, status: str | None = None, limit: int = 500
) -> list[dict[str, Any]]:
    """Applications in ``scope`` (a county: those with a party of its own), newest first.
    A party of another county is shown as 外区县企业, never by its code."""
    a = store.table("energy_application", scope)
    if status:
        a = a.filter(a.status == status)
    e = store.table("enterprise", scope)
    found = store.run(a.order_by(ibis.desc("applied_at")).limit(limit)).to_pylist()
    codes = {r[k] for r in found for k in ("seller", "buyer")}
    named = store.run(e.filter(e.uscc.isin(sorted(codes))).select("uscc", "name", "region_code"))
    known = {r["uscc"]: r for r in named.to_pylist()}

    def party(code: str) -> dict[str, Any]:
        if code not in known:
            return {"uscc": None, "name": OUTSIDE if not scope.is_city else account_name(code),
                    "region_name": ""}  # fmt: skip
        r = known[code]
        return {"uscc": code, "name": r["name"], "region_name": region_name(r["region_code"])}

    return [
        {
            "id": r["id"],
            "seller": party(r["seller"]),
            "buyer": party(r["buyer"]),
            "tce": r["kgce"] / 1000,
            "price": None if r["price"] is None else float(r["price"]),
            "note": r["note"],
            "status": r["status"],
            "status_name": STATUSES[r["status"]],
            "applied_by": r["applied_by"],
            "applied_at": beijing(r["applied_at"]),
            "decided_by": r["decided_by"],
            "decided_at": beijing(r["decided_at"]),
            "decision": r["decision"],
        }
        for r in found
    ]
