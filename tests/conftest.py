"""Shared fixtures: one demo store per test run, built once and read by every xdist worker."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from jingxin.demo.energy import run_demo_ledger
from jingxin.demo.run import evaluate_demo, load_demo
from jingxin.demo.targets import Targets, load_targets
from jingxin.indicators import compute_cube
from jingxin.store import Store

settings.register_profile("ci", max_examples=200, deadline=None)
settings.register_profile("dev", max_examples=50, deadline=None)
settings.load_profile("ci")

TARGETS_DIR = Path(__file__).parent / "data" / "targets"
DEMO_SEED = 2016  # the demo's default seed (``JINGXIN_SEED``)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--snapshot-update",
        action="store_true",
        default=False,
        help="rewrite the golden files under tests/snapshots/ instead of comparing with them",
    )


def build_demo_store(
    path: Path | str,
    targets: Targets,
    seed: int = DEMO_SEED,
    files_dir: Path | None = None,
    *,
    one_thread: bool = False,
) -> Store:
    """A store loaded with the demo city and both years' cubes computed; with ``files_dir``
    the city goes through department files and ingest, as ``jingxin demo`` does. With
    ``one_thread`` DuckDB adds floats in one fixed order, so sums are the same to the last
    bit on every build (parallel sums are not; golden files need that)."""
    store = Store(path)
    if one_thread:
        store.con.execute("SET threads TO 1")
    load_demo(store, targets, seed, "test", files_dir=files_dir)
    compute_cube(store, targets.meta.year - 1)
    compute_cube(store, targets.meta.year)
    return store


def _shared_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory of this test run that every xdist worker sees (the workers' base temp
    directories share their parent); without xdist, the run's own base temp directory."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def _build_once(folder: Path, targets: Targets) -> Path:
    """Build the demo store in ``folder`` unless another worker already has: as
    ``jingxin demo`` does (department files, ingest, both cubes, the 用能权 year, the draft
    evaluation)."""
    db = folder / "demo.duckdb"
    ready = folder / "demo.ready"
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "demo.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not ready.exists():
            db.unlink(missing_ok=True)
            store = build_demo_store(db, targets, files_dir=folder / "files", one_thread=True)
            try:
                run_demo_ledger(store, targets.meta.year, DEMO_SEED, actor="demo")
                evaluate_demo(store, targets.meta.year, DEMO_SEED, folder / "out")
            finally:
                store.close()
            ready.write_text("built\n", encoding="utf-8")
    return db


@pytest.fixture(scope="session")
def huzhou_targets() -> Targets:
    return load_targets()


@pytest.fixture(scope="session")
def demo_store(
    tmp_path_factory: pytest.TempPathFactory, huzhou_targets: Targets
) -> Iterator[Store]:
    """The demo city of ``jingxin demo``, opened read-only: a test that writes needs its
    own store (``build_demo_store``) or a copy of this file."""
    db = _build_once(_shared_dir(tmp_path_factory) / "demo-store", huzhou_targets)
    store = Store(db, read_only=True)
    yield store
    store.close()
