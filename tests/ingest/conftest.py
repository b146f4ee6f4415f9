"""Fixtures for ingest tests: the hostile corpus (built once per session) and a file store
with the corpus register loaded, copied fresh for each test."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from jingxin.store import Store
from tests.ingest.helpers import registered_store
from tests.ingest.make_corpus import build


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every corpus file by name (see :mod:`tests.ingest.make_corpus`)."""
    return build(tmp_path_factory.mktemp("corpus"))


@pytest.fixture(scope="session")
def registered_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A closed store file holding the corpus register (five enterprises)."""
    path = tmp_path_factory.mktemp("registered") / "store.duckdb"
    registered_store(path).close()
    return path


@pytest.fixture
def store_path(tmp_path: Path, registered_db: Path) -> Path:
    """A fresh copy of the registered store file, for one test."""
    path = tmp_path / "store.duckdb"
    shutil.copyfile(registered_db, path)
    return path


@pytest.fixture
def store(store_path: Path) -> Iterator[Store]:
    s = Store(store_path)
    yield s
    s.close()
