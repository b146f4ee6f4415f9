"""Random sequences of imports, corrected files, row corrections, restores and crosswalk
confirmations (issue #11).

Every step goes through the platform's own code paths, as the commands do: department
files are written and imported with ``import_file`` (archived, as ``jingxin import`` does),
a superseded file is made active again with ``restore_file`` (``jingxin files restore``), a
held row is released with ``confirm`` (``jingxin crosswalk confirm``), and each step that
changes stored inputs ends with ``refresh``. After every step the cube is fresh and equals a
full rebuild from the active files, the store's 数据截至 names the latest active file, the
files' status, the stored electricity and the held rows are what the active files and the
confirmations say.
"""

from __future__ import annotations

import hashlib
import math
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from jingxin.indicators import compute_cube, read_cube, refresh, stale_years
from jingxin.ingest import Reason, import_file
from jingxin.ingest.crosswalk import confirm, held_rows
from jingxin.ingest.restore import restore_file
from jingxin.ingest.sources import source_files
from jingxin.store import Store, versions
from tests.factories import COUNTIES, Dataset
from tests.indicators.cells import assert_same_cells
from tests.ingest.make_corpus import PLATFORM_HEADER, write_csv

YEAR = 2016
FIRMS = 4
STATS, POWER = "stats_monthly", "electricity"


@dataclass(frozen=True)
class Extra:
    """A meter account that no file names an enterprise for: its rows are held."""

    account: str
    name: str  # the 户名 the grid writes
    owner: int  # the firm it belongs to (index into the codes)
    suggested: bool  # whether the name is the register's (the held row carries a suggestion)


# The first is the owner's registered name (confirmed as suggested), the second is a name
# the register does not know (confirmed with --uscc).
EXTRAS = (
    Extra("3300009001", "企业2", 1, suggested=True),
    Extra("3300009002", "湖州示例染整新厂", 2, suggested=False),
)
EXTRA_BY_NAME = {e.name: e for e in EXTRAS}


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


def _num(x: float) -> str:
    return repr(float(x))


def _stats_file(path: Path, codes: list[str], month: int, base: list[float]) -> Path:
    """A platform-style statistics monthly CSV (year to date, 千元) for every firm."""
    rows: list[list[Any]] = [PLATFORM_HEADER]
    for i, (c, b) in enumerate(zip(codes, base, strict=True)):
        go, va = b * month * 10, b * month * 2.5  # 万元 → 千元
        rows.append([c, f"企业{i + 1}", _num(go), _num(go * 0.9), _num(va), _num(va * 0.92)])
    return write_csv(path, rows)


def _power_file(
    path: Path, codes: list[str], period: str, kwh: list[float], extras: dict[str, float]
) -> Path:
    """The grid's monthly export (千瓦时): each firm's own meter, named by its credit code,
    and the ``extras`` accounts (account → kWh), named only by their 户名."""
    rows: list[list[Any]] = [["户号", "户名", "统一社会信用代码", "年月", "用电量(千瓦时)"]]
    for i, (c, k) in enumerate(zip(codes, kwh, strict=True)):
        rows.append([f"33000000{i + 1:02d}", f"企业{i + 1}", c, period, _num(k)])
    for e in EXTRAS:
        if e.account in extras:
            rows.append([e.account, e.name, "", period, _num(extras[e.account])])
    return write_csv(path, rows)


@dataclass
class File:
    """What the test knows of a file it imported."""

    kind: str
    period: str
    name: str
    sha256: str
    status: str = "active"
    kwh: list[float] = field(default_factory=list)  # electricity: each firm's own meter
    extras: dict[str, float] = field(default_factory=dict)  # and the held accounts' kWh


amounts = st.lists(st.floats(10, 1000, allow_nan=False), min_size=FIRMS, max_size=FIRMS)
extra_amounts = st.dictionaries(
    st.sampled_from([e.account for e in EXTRAS]), st.floats(1000, 50000, allow_nan=False)
)


class Lifecycle(RuleBasedStateMachine):
    """The monthly cycle of an analyst on a small store."""

    def __init__(self) -> None:
        super().__init__()
        self.store, self.codes = _register()
        self.dir = Path(tempfile.mkdtemp(prefix="jingxin-lifecycle-"))
        self.archive = self.dir / "archive"
        self.files: dict[int, File] = {}  # by id, the files this test imported
        self.written = 0
        self.confirmed: set[str] = set()  # accounts an analyst confirmed
        self.rebuilt = 0  # the data version the cube was last checked against a full rebuild

    # -- the model ---------------------------------------------------------------------------
    def _active(self, kind: str, period: str) -> int | None:
        ids = [
            i
            for i, f in self.files.items()
            if (f.kind, f.period, f.status) == (kind, period, "active")
        ]
        assert len(ids) <= 1
        return ids[0] if ids else None

    @property
    def latest(self) -> str | None:
        """What 数据截至 names: the active file loaded last (``versions.latest_file``, by
        load time). A restore makes a file active again without loading it: 数据截至 names
        the restored file only when no active file was loaded after it."""
        active = [i for i, f in self.files.items() if f.status == "active"]
        return self.files[max(active)].name if active else None

    @property
    def months(self) -> list[int]:
        """The months that have statistics (once a month has a file, one stays active)."""
        return sorted({int(f.period[5:]) for f in self.files.values() if f.kind == STATS})

    def _held(self) -> set[tuple[int, str]]:
        """(file, account) of every row the store must hold: an active file's unconfirmed
        extra accounts."""
        return {
            (i, a)
            for i, f in self.files.items()
            if f.kind == POWER and f.status == "active"
            for a in f.extras
            if a not in self.confirmed
        }

    # -- the steps ---------------------------------------------------------------------------
    def _import(self, kind: str, path: Path, period: str, correction: bool, **known: Any) -> None:
        sha = hashlib.sha256(path.read_bytes()).hexdigest()
        report = import_file(
            self.store,
            kind,
            path,
            period=period,
            actor="analyst",
            correction=correction,
            archive_dir=self.archive,
        )
        same = [i for i, f in self.files.items() if (f.kind, f.sha256) == (kind, sha)]
        if same:  # the same content again changes nothing (a superseded one offers a restore)
            assert report.status == "repeated" and report.file_id == same[0]
            return
        if report.status == "rejected":
            reasons = {i.reason for i in report.issues if i.severity == "error"}
            assert not correction and reasons == {Reason.DECREASING}, report.issues
            return
        assert report.status == "loaded", report.issues
        assert report.file_id is not None
        replaced = self._active(kind, period)
        assert report.superseded == replaced
        if replaced is not None:
            self.files[replaced].status = "superseded"
        self.files[report.file_id] = File(kind, period, path.name, sha, **known)
        refresh(self.store)  # as jingxin import does after a load

    @rule(
        kind=st.sampled_from([STATS, POWER]),
        month=st.integers(1, 3),  # few months: files correct and restore each other
        base=amounts,
        extras=extra_amounts,
        correction=st.booleans(),
    )
    def import_a_file(
        self, kind: str, month: int, base: list[float], extras: dict[str, float], correction: bool
    ) -> None:
        """``jingxin import KIND FILE --period P [--correction]``: a month's statistics or
        electricity, new or replacing the month's active file (a statistics file whose
        1-本月 falls below the month before is refused unless marked as a correction)."""
        self._write_and_import(kind, month, base, extras, correction)

    def _write_and_import(
        self, kind: str, month: int, base: list[float], extras: dict[str, float], correction: bool
    ) -> None:
        period = f"{YEAR}-{month:02d}"
        self.written += 1
        path = self.dir / f"{self.written}-{kind}-{period}.csv"
        if kind == STATS:
            _stats_file(path, self.codes, month, base)
            self._import(kind, path, period, correction)
        else:
            kwh = [b * 1000 for b in base]
            _power_file(path, self.codes, period, kwh, extras)
            self._import(kind, path, period, correction, kwh=kwh, extras=extras)

    @precondition(lambda self: bool(self.files))
    @rule(data=st.data(), base=amounts, extras=extra_amounts)
    def correct_a_file(self, data: Any, base: list[float], extras: dict[str, float]) -> None:
        """``jingxin import KIND FILE --period P --correction``: the sender corrects a month
        it reported (the active file of that month is superseded)."""
        kind, period = data.draw(
            st.sampled_from(sorted({(f.kind, f.period) for f in self.files.values()}))
        )
        self._write_and_import(kind, int(period[5:]), base, extras, correction=True)

    @precondition(lambda self: any(f.kind == STATS for f in self.files.values()))
    @rule(data=st.data(), factor=st.floats(0.5, 1.5, allow_nan=False))
    def correct_a_row(self, data: Any, factor: float) -> None:
        """An analyst corrects one stored value through the platform."""
        month = data.draw(st.sampled_from(self.months))
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

    @precondition(lambda self: any(f.status == "superseded" for f in self.files.values()))
    @rule(data=st.data())
    def restore_a_file(self, data: Any) -> None:
        """``jingxin files restore ID``: a superseded file (as ``jingxin files list`` shows
        them) is made active again from its archived raw file."""
        superseded = [f.id for f in source_files(self.store) if f.status == "superseded"]
        file_id = data.draw(st.sampled_from(superseded))
        f = self.files[file_id]
        replaced = self._active(f.kind, f.period)
        # Nothing the test writes is refused on a restore: a statistics file whose 1-本月
        # falls below the month before is only a warning there (a restore is a correction).
        done = restore_file(self.store, file_id, archive_dir=self.archive, actor="analyst")
        assert (done.file_id, done.superseded) == (file_id, replaced)
        if replaced is not None:
            self.files[replaced].status = "superseded"
        f.status = "active"
        refresh(self.store)  # as jingxin files restore does

    @precondition(lambda self: bool(self._held()))
    @rule(data=st.data())
    def confirm_a_held_name(self, data: Any) -> None:
        """``jingxin crosswalk confirm NAME [--uscc CODE]``: an analyst says which enterprise
        a held 户名 is; the alias and the account are recorded and the held rows stored."""
        held = held_rows(self.store)
        name = data.draw(st.sampled_from(sorted({str(h["name"]) for h in held})))
        extra = EXTRA_BY_NAME[name]
        code = None if extra.suggested else self.codes[extra.owner]
        n = confirm(self.store, name, code, "analyst")
        assert n == sum(1 for h in held if h["name"] == name)
        self.confirmed.add(extra.account)
        refresh(self.store)  # as jingxin crosswalk confirm does

    # -- what must hold after every step -------------------------------------------------------
    @invariant()
    def fresh_and_equal_to_a_full_rebuild(self) -> None:
        assert stale_years(self.store) == []
        version = versions.data_version(self.store)
        if version == self.rebuilt or not any(f.kind == STATS for f in self.files.values()):
            return  # no input changed since the cube was last rebuilt (a repeat, a refusal)
        incremental = read_cube(self.store, YEAR)
        compute_cube(self.store, YEAR)
        assert_same_cells(incremental, read_cube(self.store, YEAR))
        self.rebuilt = version

    @invariant()
    def as_of_names_the_latest_active_file(self) -> None:
        latest = versions.latest_file(self.store)
        assert latest is not None
        if self.latest is not None:
            assert latest["name"] == self.latest
            assert f"“{self.latest}”" in versions.as_of_sentence(self.store)

    @invariant()
    def files_are_active_or_superseded_as_imported_and_restored(self) -> None:
        stored = {f.id: f.status for f in source_files(self.store) if f.period is not None}
        assert stored == {i: f.status for i, f in self.files.items()}

    @invariant()
    def electricity_and_held_rows_are_those_of_the_active_files(self) -> None:
        """Each firm's kWh of a month: its own meter's and its confirmed accounts' in the
        active file; every unconfirmed account of an active file is held."""
        expected: dict[tuple[str, str], float] = {}
        for f in self.files.values():
            if f.kind != POWER or f.status != "active":
                continue
            for c, k in zip(self.codes, f.kwh, strict=True):
                expected[(c, f.period)] = k
            for e in EXTRAS:
                if e.account in f.extras and e.account in self.confirmed:
                    expected[(self.codes[e.owner], f.period)] += f.extras[e.account]
        rows = self.store.con.execute("select uscc, period, kwh from electricity").fetchall()
        stored = {(u, p): k * 10_000 for u, p, k in rows}  # 万千瓦时 → 千瓦时
        assert stored.keys() == expected.keys()
        for key, k in expected.items():
            assert math.isclose(stored[key], k, rel_tol=1e-9), (key, stored[key], k)
        held = {(int(h["source_file_id"]), str(h["name"])) for h in held_rows(self.store)}
        names = {e.account: e.name for e in EXTRAS}
        assert held == {(i, names[a]) for i, a in self._held()}

    def teardown(self) -> None:
        self.store.close()
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.mark.slow
def test_lifecycle() -> None:
    Lifecycle.TestCase.settings = settings(
        # A step that changes data computes the cube twice (the refresh, the full rebuild),
        # about 1.5 s: a few long sequences, so that files supersede and restore each other.
        max_examples=3,
        stateful_step_count=10,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
        # No shrinking (a failure prints its steps).
        phases=[Phase.explicit, Phase.reuse, Phase.generate],
    )
    Lifecycle.TestCase().runTest()
