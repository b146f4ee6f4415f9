"""The 用能权 ledger as the bureau uses it: allocations, transfers, releases, reversals,
balances and the check of the journal.

The journal's rules (double entry, exactly once, never negative, hash chain) are kept by
:mod:`jingxin.store.ledger`; this module turns what a user gives (tonnes of standard coal,
``reserve`` or a credit code) into a movement and reads balances through the query
boundary, so a county's staff see their own enterprises' accounts only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ibis

from jingxin.reference import region_name
from jingxin.reference.clock import beijing
from jingxin.store import Scope, Store
from jingxin.store.ledger import (
    ISSUANCE,
    KINDS,
    REASONS,
    RESERVE,
    Applied,
    LedgerError,
    Movement,
    Verification,
    apply,
    kgce_of,
    price_of,
    record_rejection,
    verify,
)

__all__ = [
    "KINDS",
    "REASONS",
    "RESERVE",
    "LedgerError",
    "account_name",
    "allocate",
    "balances",
    "energy_use",
    "journal",
    "release",
    "reverse",
    "transfer",
    "verify",
    "Verification",
    "Applied",
]

ACCOUNT_NAMES = {RESERVE: "政府储备", ISSUANCE: "确权来源"}


def account_name(account: str) -> str:
    """How an account is shown: 政府储备, or the credit code itself."""
    return ACCOUNT_NAMES.get(account, account)


def _account(value: str) -> str:
    v = str(value).strip()
    if v.lower() in (RESERVE, ISSUANCE):
        return v.lower()
    return RESERVE if v == "政府储备" else v.upper()


def _submit(
    store: Store, actor: str, body: dict[str, Any], build: Callable[[], Movement]
) -> Applied:
    """Apply the movement ``build`` makes of ``body``; a request refused before it is a
    movement (a bad quantity or price) is recorded with its reason too."""
    try:
        m = build()
    except LedgerError as error:
        record_rejection(store, body, error, actor=actor)
        raise
    return apply(store, m, actor=actor)


def allocate(
    store: Store, *, year: int, to: str, tce: Any, actor: str, id: str | None = None,
    memo: str | None = None,
) -> Applied:  # fmt: skip
    """确权: give ``tce`` of the year's rights to an enterprise (or to the city's reserve).

    Without an ``id`` the allocation's id is ``allocate:YEAR:ACCOUNT``: one allocation per
    account and year, so running the same allocation again changes nothing, and a
    different quantity is refused (reverse it first, then allocate with a new id).
    """
    account = _account(to)
    entry_id = id or f"allocate:{year}:{account}"
    body = {"id": entry_id, "kind": "allocate", "to": account, "tce": tce, "year": year}
    return _submit(
        store, actor, body,
        lambda: Movement(
            entry_id, "allocate", ISSUANCE, account, kgce_of(tce), year=year, memo=memo
        ),
    )  # fmt: skip


def transfer(
    store: Store, *, id: str, source: str, to: str, tce: Any, actor: str,
    price: Any = None, memo: str | None = None,
) -> Applied:  # fmt: skip
    """An approved movement between two enterprises, or between one and the reserve."""
    body = {"id": id, "kind": "transfer", "from": source, "to": to, "tce": tce, "price": price}
    return _submit(
        store, actor, body,
        lambda: Movement(
            id, "transfer", _account(source), _account(to), kgce_of(tce),
            price=price_of(price), memo=memo,
        ),
    )  # fmt: skip


def release(
    store: Store, *, id: str, source: str, tce: Any, actor: str, memo: str | None = None
) -> Applied:
    """Rights freed by eliminated capacity (淘汰落后产能) going back to the reserve."""
    body = {"id": id, "kind": "release", "from": source, "tce": tce}
    return _submit(
        store, actor, body,
        lambda: Movement(id, "release", _account(source), RESERVE, kgce_of(tce), memo=memo),
    )  # fmt: skip


def reverse(store: Store, *, id: str, of: str, actor: str, memo: str | None = None) -> Applied:
    """冲正: the opposite of entry ``of``, as a new entry (the original stays)."""
    s = store.table("energy_entry", Scope.city())
    found = store.run(s.filter(s.id == of).select("from_account", "to_account", "kgce"))
    body = {"id": id, "kind": "reverse", "reverses": of}
    if found.num_rows == 0:
        error = LedgerError("unknown_entry", of)
        record_rejection(store, body, error, actor=actor)
        raise error
    row = found.to_pylist()[0]
    return _submit(
        store, actor, body,
        lambda: Movement(
            id, "reverse", row["to_account"], row["from_account"], int(row["kgce"]),
            reverses=of, memo=memo,
        ),
    )  # fmt: skip


def balances(store: Store, scope: Scope, *, uscc: str | None = None) -> list[dict[str, Any]]:
    """Every account's balance in ``scope`` (a county: its enterprises' accounts only),
    largest first; with ``uscc``, that enterprise's only."""
    b = store.table("energy_balance", scope)
    a = store.table("energy_account", scope)
    e = store.table("enterprise", scope)
    t = b.join(a, "account").left_join(e, a.uscc == e.uscc)
    t = t.filter(t.account != ISSUANCE)
    if uscc:
        t = t.filter(t.account == _account(uscc))
    t = t.select(
        "account", "kind", "kgce", "last_seq", name=t.name, region_code=t.region_code
    ).order_by([ibis.desc("kgce"), "account"])
    return [
        {
            "account": r["account"],
            "name": r["name"] or account_name(r["account"]),
            "kind": r["kind"],
            "region_code": r["region_code"],
            "region_name": region_name(r["region_code"]) if r["region_code"] else "",
            "tce": r["kgce"] / 1000,
            "last_seq": r["last_seq"],
        }
        for r in store.run(t).to_pylist()
    ]


def energy_use(store: Store, scope: Scope) -> tuple[str | None, dict[str, float]]:
    """The latest month of the statistics and each enterprise's energy use to it (1-本月,
    吨标准煤), in ``scope``: what a holding is compared with (履约: use within rights)."""
    f = store.table("monthly_fact", scope)
    period = store.scalar(f.period.max())
    if not period:
        return None, {}
    got = store.run(f.filter((f.period == period) & f.energy.notnull()).select("uscc", "energy"))
    return str(period), dict(zip(got["uscc"].to_pylist(), got["energy"].to_pylist(), strict=True))


def journal(store: Store, scope: Scope, *, limit: int = 200) -> list[dict[str, Any]]:
    """The latest entries, newest first (the city's only: an entry names both sides)."""
    j = store.table("energy_entry", scope)
    t = j.order_by(ibis.desc("seq")).limit(limit)
    out = []
    for r in store.run(t).to_pylist():
        out.append(
            {
                "seq": r["seq"],
                "id": r["id"],
                "kind": r["kind"],
                "kind_name": KINDS.get(r["kind"], r["kind"]),
                "from": r["from_account"],
                "from_name": account_name(r["from_account"]),
                "to": r["to_account"],
                "to_name": account_name(r["to_account"]),
                "tce": r["kgce"] / 1000,
                "price": None if r["price"] is None else float(r["price"]),
                "year": r["year"],
                "reverses": r["reverses"],
                "memo": r["memo"],
                "actor": r["actor"],
                "entered_at": beijing(r["entered_at"], "seconds"),
                "hash": r["hash"],
            }
        )
    return out
