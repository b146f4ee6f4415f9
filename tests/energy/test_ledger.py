"""The 用能权 ledger: double entry, exactly once, never negative, reversals, hash chain."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest

from jingxin.energy.ledger import (
    RESERVE,
    LedgerError,
    allocate,
    balances,
    journal,
    release,
    reverse,
    transfer,
    verify,
)
from jingxin.store import Scope, Store
from jingxin.store.ledger import REASONS, kgce_of
from tests.factories import COUNTIES

Ledger = tuple[Store, list[str]]


def _held(store: Store) -> dict[str, float]:
    return {b["account"]: b["tce"] for b in balances(store, Scope.city())}


def _rejections(store: Store) -> list[str]:
    t = store.table("energy_rejection", Scope.city())
    return store.run(t.order_by("rejected_at")).column("reason").to_pylist()


def test_allocation_then_transfer_moves_exact_quantities(ledger: Ledger) -> None:
    store, (a, b, *_) = ledger
    allocate(store, year=2016, to=a, tce="1200.5", actor="分析员")
    allocate(store, year=2016, to="reserve", tce=5000, actor="分析员")
    transfer(store, id="t1", source=a, to=b, tce="200.125", price="450.00", actor="分析员")
    transfer(store, id="t2", source="政府储备", to=b, tce=100, actor="分析员")
    assert _held(store) == {a: 1000.375, b: 300.125, RESERVE: 4900.0}
    check = verify(store)
    assert check.problems == []
    assert (check.entries, check.created_kgce) == (4, kgce_of("6200.5"))
    names = [e["kind_name"] for e in journal(store, Scope.city())]
    assert names == ["交易转让", "交易转让", "确权分配", "确权分配"]


def test_a_retry_returns_the_first_result_and_another_body_is_refused(ledger: Ledger) -> None:
    store, (a, b, *_) = ledger
    allocate(store, year=2016, to=a, tce=100, actor="x")
    first = transfer(store, id="t1", source=a, to=b, tce=30, actor="x")
    again = transfer(store, id="t1", source=a, to=b, tce=30, actor="x")
    assert not first.replayed and again.replayed
    assert again.entry == first.entry
    assert _held(store)[a] == 70
    with pytest.raises(LedgerError) as err:
        transfer(store, id="t1", source=a, to=b, tce=31, actor="x")
    assert err.value.reason == "id_conflict"
    # The same allocation again is a no-op; another quantity for the year is refused.
    assert allocate(store, year=2016, to=a, tce=100, actor="x").replayed
    with pytest.raises(LedgerError, match="内容不同"):
        allocate(store, year=2016, to=a, tce=101, actor="x")
    assert _held(store)[a] == 70
    assert _rejections(store) == ["id_conflict", "id_conflict"]


@pytest.mark.parametrize(
    ("kwargs", "reason"),
    [
        ({"source": "A", "to": "B", "tce": 10**9}, "insufficient"),
        ({"source": "A", "to": "A", "tce": 1}, "same_account"),
        ({"source": "A", "to": "91330500MA00000000", "tce": 1}, "unknown_account"),
        ({"source": "A", "to": "B", "tce": "0"}, "invalid_amount"),
        ({"source": "A", "to": "B", "tce": "-5"}, "invalid_amount"),
        ({"source": "A", "to": "B", "tce": "1.0001"}, "invalid_amount"),
        ({"source": "A", "to": "B", "tce": "NaN"}, "invalid_amount"),
        ({"source": "A", "to": "B", "tce": "一百"}, "invalid_amount"),
        ({"source": "A", "to": "B", "tce": 1, "price": "-1"}, "invalid_price"),
        ({"source": "A", "to": "B", "tce": 1, "price": "1.001"}, "invalid_price"),
        ({"source": "A", "to": "issuance", "tce": 1}, "wrong_accounts"),
        ({"source": "A", "to": "B", "tce": 1, "id": "a b"}, "invalid_id"),
        ({"source": "A", "to": "B", "tce": 1, "id": "x" * 65}, "invalid_id"),
    ],
)
def test_every_refusal_has_its_reason_and_changes_nothing(
    ledger: Ledger, kwargs: dict[str, object], reason: str
) -> None:
    store, (a, b, *_) = ledger
    allocate(store, year=2016, to=a, tce=100, actor="x")
    given = {"id": "t1", **kwargs}
    given["source"] = {"A": a, "B": b}.get(str(given["source"]), given["source"])
    given["to"] = {"A": a, "B": b}.get(str(given["to"]), given["to"])
    with pytest.raises(LedgerError) as err:
        transfer(store, actor="x", **given)  # type: ignore[arg-type]
    assert err.value.reason == reason
    assert str(err.value).startswith(REASONS[reason])
    assert _held(store) == {a: 100.0}
    assert verify(store).problems == []
    assert _rejections(store) == [reason]


def test_a_reversal_is_a_new_entry_and_only_once(ledger: Ledger) -> None:
    store, (a, b, *_) = ledger
    allocate(store, year=2016, to=a, tce=100, actor="x")
    transfer(store, id="t1", source=a, to=b, tce=40, actor="x")
    reverse(store, id="r1", of="t1", actor="x")
    assert _held(store) == {a: 100.0, b: 0.0}
    assert [e["id"] for e in journal(store, Scope.city())] == ["r1", "t1", "allocate:2016:" + a]
    for of, reason in (
        ("t1", "already_reversed"),
        ("r1", "not_reversible"),
        ("zz", "unknown_entry"),
    ):
        with pytest.raises(LedgerError) as err:
            reverse(store, id=f"r-{of}", of=of, actor="x")
        assert err.value.reason == reason
    assert reverse(store, id="r1", of="t1", actor="x").replayed


def test_a_reversal_needs_the_rights_back(ledger: Ledger) -> None:
    store, (a, b, c, _) = ledger
    allocate(store, year=2016, to=a, tce=100, actor="x")
    transfer(store, id="t1", source=a, to=b, tce=40, actor="x")
    transfer(store, id="t2", source=b, to=c, tce=40, actor="x")
    with pytest.raises(LedgerError) as err:
        reverse(store, id="r1", of="t1", actor="x")
    assert err.value.reason == "insufficient"


def test_released_rights_go_to_the_reserve(ledger: Ledger) -> None:
    store, (a, *_) = ledger
    allocate(store, year=2016, to=a, tce=100, actor="x")
    release(store, id="rel-1", source=a, tce=60, actor="x", memo="淘汰落后产能")
    assert _held(store) == {a: 40.0, RESERVE: 60.0}


def test_a_county_sees_its_own_enterprises_accounts_only(ledger: Ledger) -> None:
    store, (a, b, c, d) = ledger
    for n, firm in enumerate((a, b, c, d)):
        allocate(store, year=2016, to=firm, tce=100 + n, actor="x")
    allocate(store, year=2016, to="reserve", tce=1, actor="x")
    own = {x["account"] for x in balances(store, Scope.of(COUNTIES[1]))}
    assert own == {c, d}
    assert balances(store, Scope.of()) == []
    assert journal(store, Scope.of(COUNTIES[1])) == []
    assert balances(store, Scope.of(COUNTIES[1]), uscc=a) == []


def test_a_changed_row_breaks_the_chain(ledger: Ledger) -> None:
    store, (a, b, *_) = ledger
    allocate(store, year=2016, to=a, tce=100, actor="x")
    transfer(store, id="t1", source=a, to=b, tce=40, actor="x")
    transfer(store, id="t2", source=b, to=a, tce=10, actor="x")
    store.con.execute("update energy_entry set kgce = 4000 where id = 't1'")
    problems = verify(store).problems
    assert any("序号 2（t1）" in p and "改动" in p for p in problems)
    assert any(a in p and "重算" in p for p in problems)


def test_a_deleted_row_is_found(ledger: Ledger) -> None:
    store, (a, b, *_) = ledger
    allocate(store, year=2016, to=a, tce=100, actor="x")
    transfer(store, id="t1", source=a, to=b, tce=40, actor="x")
    transfer(store, id="t2", source=b, to=a, tce=10, actor="x")
    store.con.execute("delete from energy_entry where id = 't1'")
    problems = verify(store).problems
    assert any("缺失" in p for p in problems)
    assert any("链条断开" in p for p in problems)


def test_a_changed_balance_is_found(ledger: Ledger) -> None:
    store, (a, *_) = ledger
    allocate(store, year=2016, to=a, tce=100, actor="x")
    store.con.execute("update energy_balance set kgce = kgce + 1 where account = ?", [a])
    assert any("余额表" in p for p in verify(store).problems)


def test_conflicting_transfers_from_many_threads(ledger: Ledger) -> None:
    store, (a, b, c, d) = ledger
    allocate(store, year=2016, to=a, tce=100, actor="x")
    outcomes: dict[str, str] = {}

    def attempt(n: int) -> None:
        to = (b, c, d)[n % 3]
        try:
            transfer(store, id=f"t{n}", source=a, to=to, tce=7, price=Decimal(300), actor="x")
            outcomes[f"t{n}"] = "applied"
        except LedgerError as err:
            outcomes[f"t{n}"] = err.reason

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(40)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    applied = [k for k, v in outcomes.items() if v == "applied"]
    assert len(applied) == 100 // 7
    assert sorted(set(outcomes.values())) == ["applied", "insufficient"]
    assert _held(store)[a] == pytest.approx(100 - 7 * len(applied))
    assert verify(store).problems == []
    assert len(_rejections(store)) == 40 - len(applied)


def test_the_documented_reason_codes_are_the_ledgers() -> None:
    from pathlib import Path

    text = (Path(__file__).parents[2] / "docs" / "energy.md").read_text("utf-8")
    rows = dict(
        line.strip("|").split("|")[:2]
        for line in text.splitlines()
        if line.startswith("| `") and line.count("|") == 3
    )
    documented = {k.strip().strip("`"): v.strip() for k, v in rows.items()}
    assert documented == REASONS
