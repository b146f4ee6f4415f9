"""The read boundary: every table has a scope rule, county scopes see only their county."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from jingxin.errors import DataError
from jingxin.store import Scope, Store
from jingxin.store.scope import CITY_ONLY_TABLES, OPEN_TABLES
from tests.factories import COUNTIES, Dataset


def _two_counties() -> tuple[Store, str, str]:
    d = Dataset()
    a = d.firm(1, COUNTIES[0], "1711", above=(2016,))
    b = d.firm(2, COUNTIES[1], "3011", above=(2016,))
    for code in (a, b):
        d.fact(code, "2016-12", gross_output=100, gross_output_prior=90)
    return d.store(), a, b


def test_every_table_has_a_scope_rule() -> None:
    store = Store(":memory:")
    for name in store.columns():
        # Raises for a table the boundary does not classify (fail closed).
        store.table(name, Scope.of(COUNTIES[0]))


def test_enterprise_tables_are_not_open() -> None:
    store = Store(":memory:")
    for name, cols in store.columns().items():
        if "uscc" in cols or "project_id" in cols:
            assert name not in OPEN_TABLES, name


@pytest.mark.parametrize("table", ["enterprise", "enterprise_scale", "monthly_fact"])
def test_county_scope_sees_only_its_enterprises(table: str) -> None:
    store, a, b = _two_counties()
    city = set(store.run(store.table(table, Scope.city())).column("uscc").to_pylist())
    county = set(store.run(store.table(table, Scope.of(COUNTIES[0]))).column("uscc").to_pylist())
    assert city == {a, b}
    assert county == {a}


def test_empty_scope_sees_nothing() -> None:
    store, _, _ = _two_counties()
    for name in ("enterprise", "monthly_fact", *sorted(CITY_ONLY_TABLES)):
        assert store.scalar(store.table(name, Scope.of()).count()) == 0


def test_city_only_tables_hidden_from_counties() -> None:
    store, _, _ = _two_counties()
    assert store.scalar(store.table("source_file", Scope.city()).count()) > 0
    assert store.scalar(store.table("source_file", Scope.of(COUNTIES[0])).count()) == 0


def test_a_read_without_scope_is_refused() -> None:
    store = Store(":memory:")
    with pytest.raises(TypeError, match="须给出 Scope"):
        store.table("monthly_fact", None)  # type: ignore[arg-type]


def test_held_store_gives_one_chinese_sentence(tmp_path: Path) -> None:
    path = tmp_path / "held.duckdb"
    Store(path).close()
    with subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                import sys, time
                from jingxin.store import Store
                s = Store({str(path)!r})
                print("held", flush=True)
                time.sleep(60)
                """
            ),
        ],
        stdout=subprocess.PIPE,
        text=True,
    ) as holder:
        try:
            assert holder.stdout is not None
            assert holder.stdout.readline().strip() == "held"
            with pytest.raises(DataError) as err:
                Store(path)
            msg = str(err.value)
            assert "正被另一个进程占用" in msg and f"进程号 {holder.pid}" in msg
            assert str(path) in msg and "Traceback" not in msg
        finally:
            holder.kill()
