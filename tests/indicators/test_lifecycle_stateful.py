"""Random sequences of imports, corrected files, row corrections and refreshes (issue #11).

After every step the cube is fresh, equals a full rebuild from the active files, and the
store's 数据截至 names the latest active file.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from jingxin.indicators import compute_cube, read_cube, refresh, stale_years
from jingxin.store import Store, versions
from tests.factories import COUNTIES, Dataset, fact_row, table
from tests.indicators.cells import assert_same_cells

YEAR = 2016
FIRMS = 4


def _register() -> tuple[Store, list[str]]:
    d = Dataset()
    codes = [
        d.firm(i + 1, COUNTIES[i % 2], "1711" if i % 2 else "3011", above=(YEAR,))
        for i in range(FIRMS)
    ]
    for division in ("17", "30"):
        for m in range(1, 13):
            d.ppi(division, f"{YEAR}-{m:02d}", 100.0 + m / 10)
    return d.store(fill_ppi=None), codes


def _month(codes: list[str], month: int, base: list[float]) -> dict[str, pa.Table]:
    """One month's statistics (year to date) and electricity (that month) for every firm."""
    period = f"{YEAR}-{month:02d}"
    facts = [
        fact_row(
            c,
            period,
            gross_output=b * month,
            gross_output_prior=b * month * 0.9,
            value_added=b * month * 0.25,
            value_added_prior=b * month * 0.23,
        )
        for c, b in zip(codes, base, strict=True)
    ]
    power = [{"uscc": c, "period": period, "kwh": b / 10} for c, b in zip(codes, base, strict=True)]
    return {
        "monthly_fact": table("monthly_fact", facts),
        "electricity": table("electricity", power),
    }


amounts = st.lists(st.floats(10, 1000, allow_nan=False), min_size=FIRMS, max_size=FIRMS)


class Lifecycle(RuleBasedStateMachine):
    """The monthly cycle of an analyst on a small store."""

    def __init__(self) -> None:
        super().__init__()
        self.store, self.codes = _register()
        self.loaded: set[int] = set()
        self.files = 0
        self.latest: str | None = None  # the name of the latest file that changed anything

    def _load(self, month: int, base: list[float]) -> None:
        self.files += 1
        result = self.store.load(
            "stats_and_power",
            f"文件{self.files}",
            _month(self.codes, month, base),
            period=f"{YEAR}-{month:02d}",
            supersede=True,
        )
        if not result.repeated:  # the same content again changes nothing
            self.latest = f"文件{self.files}"
        self.loaded.add(month)
        refresh(self.store)

    @rule(month=st.integers(1, 12), base=amounts)
    def import_month(self, month: int, base: list[float]) -> None:
        """A month's files, new or correcting the month's earlier ones."""
        self._load(month, base)

    @rule(data=st.data(), factor=st.floats(0.5, 1.5, allow_nan=False))
    def correct_a_row(self, data: Any, factor: float) -> None:
        """An analyst corrects one stored value through the platform."""
        if not self.loaded:
            return
        month = data.draw(st.sampled_from(sorted(self.loaded)))
        code = data.draw(st.sampled_from(self.codes))
        period = f"{YEAR}-{month:02d}"
        [row] = self.store.arrow(
            "select value_added from monthly_fact where uscc = ? and period = ?", [code, period]
        ).to_pylist()
        self.store.correct(
            "monthly_fact",
            {"uscc": code, "period": period},
            {"value_added": row["value_added"] * factor},
            actor="analyst",
            reason="统计局更正",
        )
        refresh(self.store)

    @invariant()
    def fresh_and_equal_to_a_full_rebuild(self) -> None:
        assert stale_years(self.store) == []
        if not self.loaded:
            return
        incremental = read_cube(self.store, YEAR)
        compute_cube(self.store, YEAR)
        assert_same_cells(incremental, read_cube(self.store, YEAR))

    @invariant()
    def as_of_names_the_latest_active_file(self) -> None:
        latest = versions.latest_file(self.store)
        assert latest is not None
        if self.latest is not None:
            assert latest["name"] == self.latest
            assert f"“{self.latest}”" in versions.as_of_sentence(self.store)

    def teardown(self) -> None:
        self.store.close()


@pytest.mark.slow
def test_lifecycle() -> None:
    Lifecycle.TestCase.settings = settings(
        max_examples=6,
        stateful_step_count=6,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
        # Each step computes the cube twice: no shrinking (a failure prints its steps).
        phases=[Phase.explicit, Phase.reuse, Phase.generate],
    )
    Lifecycle.TestCase().runTest()
