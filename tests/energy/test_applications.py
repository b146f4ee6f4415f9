"""Trades between enterprises: application → approval (the transfer, once) or refusal."""

from __future__ import annotations

import pytest

from jingxin.energy.applications import OUTSIDE, applications, approve, file_application, refuse
from jingxin.energy.ledger import LedgerError, allocate, balances, verify
from jingxin.errors import NotFoundError
from jingxin.store import Scope, Store
from tests.factories import COUNTIES

Ledger = tuple[Store, list[str]]


def _held(store: Store) -> dict[str, float]:
    return {b["account"]: b["tce"] for b in balances(store, Scope.city())}


def test_approval_runs_the_transfer_once(ledger: Ledger) -> None:
    store, (a, b, c, _) = ledger
    allocate(store, year=2016, to=a, tce=100, actor="x")
    app, again = file_application(store, Scope.city(), id="A1", seller=a, buyer=b, tce="30",
                                  price="400", actor="县")  # fmt: skip
    assert (app["status"], again) == ("pending", False)
    assert _held(store) == {a: 100.0}  # nothing moves before the approval
    assert file_application(store, Scope.city(), id="A1", seller=a, buyer=b, tce="30",
                            price="400", actor="县")[1]  # fmt: skip
    with pytest.raises(LedgerError) as err:
        file_application(store, Scope.city(), id="A1", seller=a, buyer=c, tce="30", actor="县")
    assert err.value.reason == "id_conflict"
    done = approve(store, id="A1", actor="市")
    assert not done.replayed and done.entry.id == "A1" and done.entry.price == 400
    assert approve(store, id="A1", actor="市").replayed
    assert _held(store) == {a: 70.0, b: 30.0}
    [row] = applications(store, Scope.city())
    assert (row["status_name"], row["decided_by"]) == ("已批准", "市")
    with pytest.raises(LedgerError) as err:
        refuse(store, id="A1", actor="市", decision="不同意")
    assert err.value.reason == "already_decided"
    assert verify(store).problems == []


def test_an_approval_without_rights_leaves_it_pending(ledger: Ledger) -> None:
    store, (a, b, *_) = ledger
    allocate(store, year=2016, to=a, tce=10, actor="x")
    file_application(store, Scope.city(), id="A1", seller=a, buyer=b, tce="30", actor="县")
    with pytest.raises(LedgerError) as err:
        approve(store, id="A1", actor="市")
    assert err.value.reason == "insufficient"
    assert applications(store, Scope.city())[0]["status"] == "pending"
    refuse(store, id="A1", actor="市", decision="出让方用能权不足")
    with pytest.raises(LedgerError) as err:
        approve(store, id="A1", actor="市")
    assert err.value.reason == "already_decided"
    with pytest.raises(LedgerError) as err:
        approve(store, id="nope", actor="市")
    assert err.value.reason == "unknown_application"
    assert _held(store) == {a: 10.0}


def test_a_county_files_for_its_own_buyers_and_sees_no_other_countys_code(
    ledger: Ledger,
) -> None:
    store, (a, b, c, d) = ledger  # a, b in county 0; c, d in county 1
    own = Scope.of(COUNTIES[0])
    file_application(store, own, id="A1", seller=c, buyer=a, tce="5", actor="县")
    with pytest.raises(NotFoundError):  # the buyer is another county's: as if unknown
        file_application(store, own, id="A2", seller=a, buyer=c, tce="5", actor="县")
    file_application(store, Scope.city(), id="A3", seller=d, buyer=c, tce="5", actor="市")
    seen = applications(store, own)
    assert [x["id"] for x in seen] == ["A1"]
    assert seen[0]["seller"] == {"uscc": None, "name": OUTSIDE, "region_name": ""}
    assert c not in str(seen) and d not in str(seen)
    other = applications(store, Scope.of(COUNTIES[1]))
    assert {x["id"] for x in other} == {"A1", "A3"}
    assert applications(store, Scope.of()) == []


def test_an_application_is_between_enterprises(ledger: Ledger) -> None:
    store, (a, b, *_) = ledger
    for seller, buyer, reason in ((a, a, "same_account"), ("reserve", b, "wrong_accounts")):
        with pytest.raises(LedgerError) as err:
            file_application(store, Scope.city(), id="A9", seller=seller, buyer=buyer, tce=1,
                             actor="x")  # fmt: skip
        assert err.value.reason == reason
