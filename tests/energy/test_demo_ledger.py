"""The demo's 用能权 year on hand-made records, checked by hand."""

from __future__ import annotations

import pytest

from jingxin.demo.energy import run_demo_ledger
from jingxin.energy.applications import applications
from jingxin.energy.ledger import balances, verify
from jingxin.store import Scope, Store
from tests.factories import COUNTIES, Dataset


def _records() -> tuple[Store, str, str, str]:
    d = Dataset()
    a = d.firm(1, COUNTIES[0], "1711", above=(2015, 2016))
    b = d.firm(2, COUNTIES[0], "3011", above=(2015, 2016))
    c = d.firm(3, COUNTIES[1], "2614", above=(2015, 2016))
    for code, e2015, e2016 in ((a, 10_000, 11_000), (b, 8_000, 7_000), (c, 3_000, 4_000)):
        d.fact(code, "2015-12", gross_output=100, gross_output_prior=90, energy=e2015)
        d.fact(code, "2016-12", gross_output=100, gross_output_prior=90, energy=e2016)
    return d.store(), a, b, c


def test_allocation_trades_and_the_gap() -> None:
    store, a, b, _ = _records()
    done = run_demo_ledger(store, 2016, 1, actor="t", pending=0)
    # a: 9,800 allocated, uses 11,000: buys b's 840 spare, then 264.6 (half the reserve of
    # 3 % × 17,640 = 529.2) from the reserve, and is still 95.4 short. c is below 5,000 tce.
    assert (done.allocated, done.allocated_tce) == (2, 17_640.0)
    assert (done.trades, done.from_reserve, done.short) == (2, 1, 1)
    held = {x["account"]: x["tce"] for x in balances(store, Scope.city())}
    assert held == pytest.approx({a: 9_800 + 840 + 264.6, b: 7_000.0, "reserve": 264.6})
    assert verify(store).problems == []


def test_the_last_application_is_left_pending() -> None:
    store, a, b, _ = _records()
    done = run_demo_ledger(store, 2016, 1, actor="t", pending=1)
    [app] = applications(store, Scope.city())
    assert (app["status"], app["tce"], app["seller"]["uscc"]) == ("pending", 840.0, b)
    held = {x["account"]: x["tce"] for x in balances(store, Scope.city())}
    assert held == pytest.approx({a: 9_800 + 264.6, b: 7_840.0, "reserve": 264.6})
    assert done.short == 1
