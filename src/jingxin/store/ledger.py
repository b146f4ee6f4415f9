"""The energy-use-rights (用能权) ledger's journal: movements applied at most once, exactly.

Every movement takes a quantity from one account and gives it to another (double entry:
the sum of all balances is always zero, and ``issuance``, the source of allocated rights,
is the only account below zero, by the rights created). A movement carries the client's
id; :func:`apply` stores it once, and a retry with the same id and the same request
returns the first result, while the same id with another request is refused. A balance
never goes below zero. Nothing is changed or deleted: :func:`apply` with ``kind='reverse'``
writes the opposite movement. Each entry's hash covers the previous entry's hash and the
entry itself, so :func:`verify` finds a changed, removed or inserted row; it also
recomputes every balance from the journal.

Writes are serialised by one lock per process and one DuckDB transaction each (the store
has one writer process, see ``docs/web.md``). A refusal raises :class:`LedgerError` with a
code of the closed list :data:`REASONS` and is recorded in ``energy_rejection``.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from dataclasses import asdict, dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

import duckdb

from jingxin.errors import InputError
from jingxin.store.audit import now, write_audit
from jingxin.store.db import Store

__all__ = [
    "ID_PATTERN",
    "ISSUANCE",
    "KINDS",
    "REASONS",
    "RESERVE",
    "Applied",
    "Entry",
    "LedgerError",
    "Movement",
    "apply",
    "kgce_of",
    "price_of",
    "record_rejection",
    "verify",
]

RESERVE = "reserve"  # 政府储备: the city's own rights
ISSUANCE = "issuance"  # where allocated rights come from (its balance: minus the rights created)
KINDS = {
    "allocate": "确权分配",
    "transfer": "交易转让",
    "release": "淘汰落后产能释放",
    "reverse": "冲正",
}
REASONS = {
    "invalid_id": "交易编号应为 1–64 位字母、数字或 . _ : -",
    "invalid_kind": "交易类型无效",
    "invalid_amount": "数量应为大于 0 的吨标准煤数，最多三位小数",
    "invalid_price": "价格应为不小于 0 的元/吨标准煤，最多两位小数",
    "invalid_year": "确权年度应在 2000–2100 之间",
    "unknown_account": "账户不存在：应为政府储备（reserve）或企业名录中的统一社会信用代码",
    "same_account": "转出与转入账户不能相同",
    "wrong_accounts": "该类交易的账户不符合规则",
    "insufficient": "转出账户余额不足",
    "id_conflict": "该交易编号已用于内容不同的交易",
    "unknown_entry": "要冲正的交易不存在",
    "already_reversed": "该交易已冲正过",
    "not_reversible": "冲正记录不能再冲正",
    "unknown_application": "转让申请不存在",
    "already_decided": "该转让申请已处理过",
}
GENESIS = "0" * 64
MAX_KGCE = 10**15  # a quantity beyond any city's energy use
ID_PATTERN = re.compile(r"^[A-Za-z0-9._:\-]{1,64}$")
_LOCK = threading.Lock()


class LedgerError(InputError):
    """A refused movement: ``reason`` is a code of :data:`REASONS`."""

    def __init__(self, reason: str, detail: str = "") -> None:
        if reason not in REASONS:
            raise ValueError(f"unknown ledger reason {reason!r}")
        self.reason = reason
        self.detail = detail
        super().__init__(REASONS[reason] + (f"：{detail}" if detail else "。"))


def kgce_of(tce: Any) -> int:
    """Tonnes of standard coal (a number or a decimal string) as whole kilograms.

    >>> kgce_of("12.5"), kgce_of(3)
    (12500, 3000)
    >>> kgce_of("0.0005")
    Traceback (most recent call last):
    ...
    jingxin.store.ledger.LedgerError: 数量应为大于 0 的吨标准煤数，最多三位小数：0.0005
    """
    try:
        value = Decimal(str(tce).strip())
    except (InvalidOperation, ValueError):
        raise LedgerError("invalid_amount", str(tce)) from None
    kg = value * 1000
    if not value.is_finite() or kg != kg.to_integral_value() or not 0 < kg <= MAX_KGCE:
        raise LedgerError("invalid_amount", str(tce))
    return int(kg)


def price_of(price: Any) -> Decimal | None:
    """A price in 元 per tce (at most two decimals), or ``None`` when not given."""
    if price is None or price == "":
        return None
    try:
        value = Decimal(str(price).strip())
    except (InvalidOperation, ValueError):
        raise LedgerError("invalid_price", str(price)) from None
    if not value.is_finite() or value < 0 or value != value.quantize(Decimal("0.01")):
        raise LedgerError("invalid_price", str(price))
    if value >= Decimal("1e16"):
        raise LedgerError("invalid_price", str(price))
    return value.quantize(Decimal("0.01"))


@dataclass(frozen=True)
class Movement:
    """A request to move rights: what the client sends (the store adds order and hash)."""

    id: str
    kind: str
    from_account: str
    to_account: str
    kgce: int
    price: Decimal | None = None
    year: int | None = None
    reverses: str | None = None
    memo: str | None = None

    def body(self) -> dict[str, Any]:
        d = asdict(self)
        d["price"] = None if self.price is None else str(self.price)
        return d

    def sha256(self) -> str:
        text = json.dumps(self.body(), ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class Entry:
    """One stored journal entry."""

    seq: int
    id: str
    kind: str
    from_account: str
    to_account: str
    kgce: int
    price: Decimal | None
    year: int | None
    reverses: str | None
    memo: str | None
    body_sha256: str
    actor: str
    entered_at: datetime
    prev_hash: str
    hash: str

    def digest(self) -> str:
        """The hash this entry must carry: of the previous hash and its own fields."""
        fields = [
            self.seq,
            self.id,
            self.kind,
            self.from_account,
            self.to_account,
            self.kgce,
            None if self.price is None else str(Decimal(self.price).quantize(Decimal("0.01"))),
            self.year,
            self.reverses,
            self.memo,
            self.body_sha256,
            self.actor,
            self.entered_at.isoformat(),
        ]
        text = json.dumps(fields, ensure_ascii=False)
        return hashlib.sha256((self.prev_hash + text).encode()).hexdigest()

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["tce"] = self.kgce / 1000
        d["price"] = None if self.price is None else float(self.price)
        d["entered_at"] = self.entered_at.isoformat(sep=" ", timespec="seconds")
        return d


@dataclass(frozen=True)
class Applied:
    """The result of :func:`apply`: the entry, and whether it was stored by an earlier call."""

    entry: Entry
    replayed: bool


_COLUMNS = (
    "seq, id, kind, from_account, to_account, kgce, price, year, reverses, memo, "
    "body_sha256, actor, entered_at, prev_hash, hash"
)


def _entry(row: tuple[Any, ...]) -> Entry:
    return Entry(*row)


def _entry_by_id(con: duckdb.DuckDBPyConnection, entry_id: str) -> Entry | None:
    rows = con.execute(
        f"select {_COLUMNS} from energy_entry where id = ?",  # noqa: S608
        [entry_id],
    ).fetchall()
    return _entry(rows[0]) if rows else None


def _balance(con: duckdb.DuckDBPyConnection, account: str) -> int:
    rows = con.execute("select kgce from energy_balance where account = ?", [account]).fetchall()
    return int(rows[0][0]) if rows else 0


def _open(con: duckdb.DuckDBPyConnection, account: str) -> None:
    """Make sure ``account`` exists, with its balance row: the two city accounts, or a
    registered enterprise's."""
    if con.execute("select 1 from energy_account where account = ?", [account]).fetchall():
        return
    if account in (RESERVE, ISSUANCE):
        con.execute("insert into energy_account values (?, ?, null, ?)", [account, account, now()])
    elif con.execute("select 1 from enterprise where uscc = ?", [account]).fetchall():
        con.execute(
            "insert into energy_account values (?, 'enterprise', ?, ?)", [account, account, now()]
        )
    else:
        raise LedgerError("unknown_account", account)
    con.execute("insert into energy_balance values (?, 0, 0)", [account])


def _check_shape(m: Movement) -> None:
    if not isinstance(m.id, str) or not ID_PATTERN.match(m.id):
        raise LedgerError("invalid_id", str(m.id)[:80])
    if m.kind not in KINDS:
        raise LedgerError("invalid_kind", str(m.kind)[:40])
    if not isinstance(m.kgce, int) or not 0 < m.kgce <= MAX_KGCE:
        raise LedgerError("invalid_amount", str(m.kgce))
    if m.from_account == m.to_account:
        raise LedgerError("same_account", m.from_account)
    if m.kind == "allocate":
        if m.year is None or not 2000 <= m.year <= 2100:
            raise LedgerError("invalid_year", str(m.year))
        if m.from_account != ISSUANCE:
            raise LedgerError("wrong_accounts", "确权分配应从 issuance 转出")
    elif m.kind != "reverse" and ISSUANCE in (m.from_account, m.to_account):
        raise LedgerError("wrong_accounts", "只有确权分配（及其冲正）使用 issuance")
    if m.kind == "release" and (m.to_account != RESERVE or m.from_account == RESERVE):
        raise LedgerError("wrong_accounts", "释放的用能权应由企业转入政府储备")


def _check_reversal(con: duckdb.DuckDBPyConnection, m: Movement) -> None:
    if m.kind != "reverse":
        return
    original = _entry_by_id(con, m.reverses or "")
    if original is None:
        raise LedgerError("unknown_entry", str(m.reverses))
    if original.kind == "reverse":
        raise LedgerError("not_reversible", original.id)
    if con.execute("select 1 from energy_entry where reverses = ?", [original.id]).fetchall():
        raise LedgerError("already_reversed", original.id)
    wanted = (original.to_account, original.from_account, original.kgce)
    if (m.from_account, m.to_account, m.kgce) != wanted:
        raise LedgerError("wrong_accounts", "冲正应与原交易方向相反、数量相同")


def record_rejection(store: Store, body: dict[str, Any], error: LedgerError, *, actor: str) -> None:
    """Keep a refused request (as given, with its reason) in ``energy_rejection``."""
    text = json.dumps(body, ensure_ascii=False, sort_keys=True, default=str)[:4000]
    entry_id, kind = (str(body.get(k) or "")[:80] for k in ("id", "kind"))
    with store.transaction() as con:
        con.execute(
            "insert into energy_rejection values (?, ?, ?, ?, ?, ?, ?)",
            [now(), entry_id, kind, text, error.reason, str(error), actor],
        )


def apply(store: Store, m: Movement, *, actor: str) -> Applied:
    """Store movement ``m`` once, in one audited transaction, or refuse it with a reason."""
    with _LOCK:
        try:
            return _apply(store, m, actor)
        except LedgerError as error:
            record_rejection(store, m.body(), error, actor=actor)
            raise


def _apply(store: Store, m: Movement, actor: str) -> Applied:
    _check_shape(m)
    body_sha = m.sha256()
    with store.transaction() as con:
        first = _entry_by_id(con, m.id)
        if first is not None:
            if first.body_sha256 != body_sha:
                raise LedgerError("id_conflict", m.id)
            return Applied(first, replayed=True)
        _check_reversal(con, m)
        for account in (m.from_account, m.to_account):
            _open(con, account)
        if m.from_account != ISSUANCE:
            have = _balance(con, m.from_account)
            if have < m.kgce:
                raise LedgerError(
                    "insufficient",
                    f"{m.from_account} 余额 {have / 1000:g} 吨标准煤，需 {m.kgce / 1000:g} 吨标准煤",
                )
        last = con.execute(
            "select seq, hash from energy_entry where seq = (select max(seq) from energy_entry)"
        ).fetchall()
        seq, prev = (int(last[0][0]) + 1, last[0][1]) if last else (1, GENESIS)
        draft = Entry(
            seq, m.id, m.kind, m.from_account, m.to_account, m.kgce, m.price, m.year,
            m.reverses, m.memo, body_sha, actor, now(), prev, "",
        )  # fmt: skip
        entry = Entry(**{**asdict(draft), "hash": draft.digest()})
        con.execute(
            f"insert into energy_entry ({_COLUMNS}) values "  # noqa: S608
            "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            list(asdict(entry).values()),
        )
        for account, delta in ((m.from_account, -m.kgce), (m.to_account, m.kgce)):
            con.execute(
                "update energy_balance set kgce = kgce + ?, last_seq = ? where account = ?",
                [delta, seq, account],
            )
        write_audit(
            con, actor, f"energy_{m.kind}", "energy_entry", {"id": m.id}, None, entry.as_dict()
        )
    return Applied(entry, replayed=False)


@dataclass(frozen=True)
class Verification:
    """What :func:`verify` found: entries read, and every problem (empty: all is well)."""

    entries: int
    accounts: int
    created_kgce: int
    problems: list[str]


def verify(store: Store) -> Verification:
    """Walk the journal: order, hash chain, each balance recomputed, zero sum, none negative."""
    with _LOCK:
        return _verify(store)


def _verify(store: Store) -> Verification:
    rows = store.con.execute(
        f"select {_COLUMNS} from energy_entry order by seq"  # noqa: S608
    ).fetchall()
    problems: list[str] = []
    prev = GENESIS
    balances: dict[str, int] = {}
    for i, row in enumerate(rows, start=1):
        e = _entry(row)
        if e.seq != i:
            problems.append(f"第 {i} 条记录的序号为 {e.seq}：日志有缺失或插入。")
        if e.prev_hash != prev:
            problems.append(f"序号 {e.seq}（{e.id}）：前一条的哈希不符，日志链条断开。")
        if e.digest() != e.hash:
            problems.append(f"序号 {e.seq}（{e.id}）：内容与其哈希不符，记录被改动过。")
        prev = e.hash
        balances[e.from_account] = balances.get(e.from_account, 0) - e.kgce
        balances[e.to_account] = balances.get(e.to_account, 0) + e.kgce
    stored = dict(store.con.execute("select account, kgce from energy_balance").fetchall())
    for account in sorted(set(balances) | set(stored)):
        want, have = balances.get(account, 0), int(stored.get(account, 0))
        if want != have:
            problems.append(
                f"账户 {account}：余额表为 {have / 1000:g}，按日志重算为 {want / 1000:g} 吨标准煤。"
            )
        if account != ISSUANCE and want < 0:
            problems.append(f"账户 {account}：按日志重算余额为负（{want / 1000:g}）。")
    if sum(balances.values()) != 0:
        problems.append("全部账户余额之和不为零：借贷不平。")
    return Verification(len(rows), len(balances), -balances.get(ISSUANCE, 0), problems)
