"""Shared fixtures: one demo store per test session (per xdist worker)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from jingxin.demo.run import load_demo
from jingxin.demo.targets import Targets, load_targets
from jingxin.indicators import compute_cube
from jingxin.store import Store

settings.register_profile("ci", max_examples=200, deadline=None)
settings.register_profile("dev", max_examples=50, deadline=None)
settings.load_profile("ci")

TARGETS_DIR = Path(__file__).parent / "data" / "targets"


def build_demo_store(
    path: Path | str, targets: Targets, seed: int = 2016, files_dir: Path | None = None
) -> Store:
    """A store loaded with the demo city and both years' cubes computed; with ``files_dir``
    the city goes through department files and ingest, as ``jingxin demo`` does."""
    store = Store(path)
    load_demo(store, targets, seed, "test", files_dir=files_dir)
    compute_cube(store, targets.meta.year - 1)
    compute_cube(store, targets.meta.year)
    return store


@pytest.fixture(scope="session")
def huzhou_targets() -> Targets:
    return load_targets()


@pytest.fixture(scope="session")
def demo_store(
    tmp_path_factory: pytest.TempPathFactory, huzhou_targets: Targets
) -> Iterator[Store]:
    base = tmp_path_factory.mktemp("demo")
    store = build_demo_store(base / "demo.duckdb", huzhou_targets, files_dir=base / "files")
    yield store
    store.close()
