"""Killing the process during a load leaves the store as it was; the same import then
succeeds. A corrected file is imported over an earlier one, so the killed transaction had
already inserted a file record, deleted the earlier rows and inserted the new ones."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from jingxin import uscc
from jingxin.ingest import import_file
from jingxin.store import Store
from tests.ingest.helpers import dump, errors, registered_store
from tests.ingest.make_corpus import Enterprise, stats_csv

N = 20_000

# The child imports the file. With a pause, a spy around Store.insert_rows (the real method runs
# unchanged) says when the rows are in, inside the open transaction, and waits there so the
# kill lands before the commit; without one it just imports.
CHILD = """
import sys, time
from pathlib import Path
import jingxin.store.db as db
from jingxin.ingest import import_file
from jingxin.store import Store

store_path, file, pause = sys.argv[1], sys.argv[2], float(sys.argv[3])
if pause:
    real = db.Store.insert_rows
    def spy(self, *args, **kw):
        n = real(self, *args, **kw)
        print("inserted", n, flush=True)
        time.sleep(pause)
        return n
    db.Store.insert_rows = spy
store = Store(store_path)
print("started", flush=True)
report = import_file(store, "stats_monthly", Path(file), period="2016-06")
store.close()
print("done", report.status, flush=True)
"""


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path, int]:
    """A store with N enterprises and a June file loaded; a corrected June file of N rows."""
    base = tmp_path_factory.mktemp("kill")
    rng = random.Random(2016)
    codes = list(dict.fromkeys(uscc.make("330502", rng) for _ in range(N + 50)))[:N]
    ents = [Enterprise(c, f"企业{i}", "吴兴区", "1713") for i, c in enumerate(codes)]
    june = stats_csv(base / "6.csv", [100.0 + i % 7 for i in range(N)], [10.0] * N, codes=codes)
    fixed = stats_csv(
        base / "6-fix.csv", [200.0 + i % 7 for i in range(N)], [20.0] * N, codes=codes
    )
    db = base / "store.duckdb"
    store = registered_store(db, ents)
    report = import_file(store, "stats_monthly", june, period="2016-06")
    assert report.status == "loaded", errors(report)[:3]
    file_id = report.file_id
    store.close()
    assert file_id is not None
    return db, june, fixed, file_id


def _run(db: Path, file: Path, pause: float) -> subprocess.Popen[str]:
    return subprocess.Popen(  # noqa: S603
        [sys.executable, "-c", CHILD, str(db), str(file), str(pause)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=db.parent,
    )


def _snapshot(db: Path) -> dict[str, list[tuple[object, ...]]]:
    store = Store(db)
    try:
        return dump(store)
    finally:
        store.close()


def _reimport_succeeds(db: Path, fixed: Path, old_id: int) -> None:
    store = Store(db)
    try:
        report = import_file(store, "stats_monthly", fixed, period="2016-06")
        assert report.status == "loaded", errors(report)[:3]
        assert report.superseded == old_id and report.rows == {"monthly_fact": N}
        total = store.con.execute("select sum(gross_output) from monthly_fact").fetchall()[0][0]
        assert total == pytest.approx(sum(20.0 + (i % 7) / 10 for i in range(N)))
    finally:
        store.close()


@pytest.mark.slow
def test_kill_inside_the_load_transaction_leaves_the_store_as_before(
    big: tuple[Path, Path, Path, int], tmp_path: Path
) -> None:
    source, _, fixed, old_id = big
    db = tmp_path / "store.duckdb"
    db.write_bytes(source.read_bytes())
    before = _snapshot(db)

    child = _run(db, fixed, pause=60)
    assert child.stdout is not None
    lines = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        line = child.stdout.readline()
        if not line:
            break
        lines.append(line.strip())
        if line.startswith("inserted"):
            break
    assert lines and lines[-1] == f"inserted {N}", (lines, child.stderr and child.stderr.read())
    os.kill(child.pid, signal.SIGKILL)
    assert child.wait(timeout=30) == -signal.SIGKILL
    child.stdout.close()
    assert child.stderr is not None
    child.stderr.close()

    assert _snapshot(db) == before
    _reimport_succeeds(db, fixed, old_id)


@pytest.mark.slow
def test_kill_at_any_moment_of_an_import_is_all_or_nothing(
    big: tuple[Path, Path, Path, int], tmp_path: Path
) -> None:
    """Killed at fractions of a measured import's time: the store holds either the old file
    or the whole new one, never a mix; then the import (again) leaves the new file."""
    source, june, fixed, old_id = big
    timed = tmp_path / "timed.duckdb"
    timed.write_bytes(source.read_bytes())
    start = time.monotonic()
    child = _run(timed, fixed, pause=0)
    out, err = child.communicate(timeout=300)
    elapsed = time.monotonic() - start
    assert child.returncode == 0 and "done loaded" in out, err

    outcomes = set()
    for fraction in (0.5, 0.9):
        db = tmp_path / f"store-{fraction}.duckdb"
        db.write_bytes(source.read_bytes())
        old = _snapshot(db)
        child = _run(db, fixed, pause=0)
        time.sleep(elapsed * fraction)
        child.send_signal(signal.SIGKILL)
        out, _ = child.communicate(timeout=60)
        store = Store(db)
        try:
            now = dump(store)
            rows = store.con.execute(
                "select source_file_id, count(*) from monthly_fact group by 1"
            ).fetchall()
        finally:
            store.close()
        if now == old:
            outcomes.add("before")
            assert rows == [(old_id, N)]
        else:
            outcomes.add("after")
            assert len(rows) == 1 and rows[0][0] != old_id and rows[0][1] == N
        if "done" not in out:
            assert child.returncode == -signal.SIGKILL
        store = Store(db)
        try:
            again = import_file(store, "stats_monthly", fixed, period="2016-06")
            assert again.status in ("loaded", "repeated"), errors(again)[:3]
            assert store.con.execute(
                "select count(*) from monthly_fact where gross_output >= 20"
            ).fetchall() == [(N,)]
        finally:
            store.close()
    assert outcomes  # which ones happen depends on timing; each must be whole
