"""The ledger against a plain reference model, driven by Hypothesis.

Random allocations (to enterprises and the reserve), transfers (between enterprises, sales
from the reserve, sales back to it), releases, retries with the same id (same and changed
request) and reversals. After every step: each balance equals the model's, the accounts
sum to the rights created, none is negative, and the journal replays to the stored
balances with its hash chain intact (``verify``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from jingxin.energy.ledger import (
    RESERVE,
    LedgerError,
    allocate,
    balances,
    release,
    reverse,
    transfer,
    verify,
)
from jingxin.store import Scope
from tests.energy.conftest import ledger_store

KG = st.integers(min_value=1, max_value=50_000)  # kilograms of standard coal


@dataclass
class Model:
    """What the ledger should hold: balances in kgce and the requests applied by id."""

    held: dict[str, int] = field(default_factory=dict)
    created: int = 0
    applied: dict[str, tuple[object, ...]] = field(default_factory=dict)  # id → request
    moves: dict[str, tuple[str, str, int, str]] = field(
        default_factory=dict
    )  # id → from,to,kg,kind
    reversed: set[str] = field(default_factory=set)

    def move(self, entry_id: str, request: tuple[object, ...], frm: str, to: str, kg: int,
             kind: str) -> str:  # fmt: skip
        """The outcome the ledger must give: 'applied', 'replayed' or a reason code."""
        if entry_id in self.applied:
            return "replayed" if self.applied[entry_id] == request else "id_conflict"
        if kind != "allocate" and self.held.get(frm, 0) < kg:
            return "insufficient"
        self.applied[entry_id] = request
        self.moves[entry_id] = (frm, to, kg, kind)
        if kind == "allocate":
            self.created += kg
        else:
            self.held[frm] -= kg
        self.held[to] = self.held.get(to, 0) + kg
        return "applied"


def _outcome(call: object) -> str:
    try:
        done = call()  # type: ignore[operator]
    except LedgerError as err:
        return err.reason
    return "replayed" if done.replayed else "applied"


class LedgerMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.store, self.firms = ledger_store()
        self.accounts = [*self.firms, RESERVE]
        self.model = Model()
        self.n = 0

    def _id(self) -> str:
        self.n += 1
        return f"m{self.n}"

    @rule(who=st.integers(0, 4), year=st.integers(2016, 2018), kg=KG)
    def allocate(self, who: int, year: int, kg: int) -> None:
        to = self.accounts[who]
        got = _outcome(lambda: allocate(self.store, year=year, to=to, tce=kg / 1000, actor="t"))
        want = self.model.move(f"allocate:{year}:{to}", ("alloc", to, kg, year), "issuance",
                               to, kg, "allocate")  # fmt: skip
        assert got == want

    @rule(a=st.integers(0, 4), b=st.integers(0, 4), kg=KG, price=st.sampled_from([None, "350.5"]))
    def transfer(self, a: int, b: int, kg: int, price: str | None) -> None:
        if a == b:
            return
        frm, to, entry_id = self.accounts[a], self.accounts[b], self._id()
        got = _outcome(
            lambda: transfer(
                self.store, id=entry_id, source=frm, to=to, tce=kg / 1000, price=price, actor="t"
            )  # fmt: skip
        )
        assert got == self.model.move(entry_id, ("t", frm, to, kg, price), frm, to, kg, "t")

    @precondition(lambda self: self.model.moves)
    @rule(data=st.data(), changed=st.booleans())
    def retry(self, data: st.DataObject, changed: bool) -> None:
        transfers = [k for k, v in self.model.moves.items() if v[3] == "t"]
        if not transfers:
            return
        entry_id = data.draw(st.sampled_from(sorted(transfers)))
        _, frm, to, kg, price = self.model.applied[entry_id]  # type: ignore[misc]
        kg2 = int(kg) + 1 if changed else int(kg)  # type: ignore[call-overload]
        got = _outcome(
            lambda: transfer(
                self.store, id=entry_id, source=frm, to=to, tce=kg2 / 1000, price=price, actor="t"
            )  # fmt: skip
        )
        assert got == ("id_conflict" if changed else "replayed")

    @rule(who=st.integers(0, 3), kg=KG)
    def release(self, who: int, kg: int) -> None:
        frm, entry_id = self.firms[who], self._id()
        got = _outcome(lambda: release(self.store, id=entry_id, source=frm, tce=kg / 1000,
                                       actor="t"))  # fmt: skip
        assert got == self.model.move(entry_id, ("r", frm, kg), frm, RESERVE, kg, "release")

    @precondition(lambda self: self.model.moves)
    @rule(data=st.data())
    def reverse(self, data: st.DataObject) -> None:
        of = data.draw(st.sampled_from(sorted(self.model.moves)))
        frm, to, kg, kind = self.model.moves[of]
        entry_id = self._id()
        got = _outcome(lambda: reverse(self.store, id=entry_id, of=of, actor="t"))
        if kind == "reverse":
            want = "not_reversible"
        elif of in self.model.reversed:
            want = "already_reversed"
        elif self.model.held.get(to, 0) < kg:
            want = "insufficient"
        else:
            want = "applied"
            self.model.reversed.add(of)
            self.model.applied[entry_id] = ("rev", of)
            self.model.moves[entry_id] = (to, frm, kg, "reverse")
            self.model.held[to] -= kg
            if kind == "allocate":  # an allocation reversed goes back to the source
                self.model.created -= kg
            else:
                self.model.held[frm] = self.model.held.get(frm, 0) + kg
        assert got == want

    @invariant()
    def balances_are_the_models(self) -> None:
        stored = {b["account"]: round(b["tce"] * 1000) for b in balances(self.store, Scope.city())}
        assert stored == self.model.held
        assert all(v >= 0 for v in stored.values())
        assert sum(stored.values()) == self.model.created

    @invariant()
    def journal_verifies(self) -> None:
        check = verify(self.store)
        assert check.problems == []
        assert check.created_kgce == self.model.created


@pytest.mark.slow
def test_ledger_against_the_model() -> None:
    LedgerMachine.TestCase.settings = settings(
        max_examples=25,
        stateful_step_count=25,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    LedgerMachine.TestCase().runTest()
