"""A store with four registered enterprises in two counties, for the ledger's tests."""

from __future__ import annotations

import pytest

from jingxin.store import Store
from tests.factories import COUNTIES, Dataset


def ledger_store() -> tuple[Store, list[str]]:
    d = Dataset()
    firms = [
        d.firm(1, COUNTIES[0], "1711"),
        d.firm(2, COUNTIES[0], "3011"),
        d.firm(3, COUNTIES[1], "2614"),
        d.firm(4, COUNTIES[1], "3130"),
    ]
    return d.store(), firms


@pytest.fixture
def ledger() -> tuple[Store, list[str]]:
    return ledger_store()
