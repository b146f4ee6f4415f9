"""Prepared reads: compiled once per key and scope, values bound by DuckDB, scope kept."""

from __future__ import annotations

from typing import Any

import ibis
import pytest

from jingxin.store import Scope, Store
from jingxin.store.prepared import compile_prepared
from tests.factories import COUNTIES, Dataset


def _store() -> tuple[Store, str, str]:
    d = Dataset()
    a = d.firm(1, COUNTIES[0], "1711", above=(2016,))
    b = d.firm(2, COUNTIES[1], "3011", above=(2016,))
    for code, v in ((a, 100), (b, 200)):
        for month in ("2016-01", "2016-02"):
            d.fact(code, month, gross_output=v, gross_output_prior=90)
    return d.store(), a, b


def _facts(store: Store) -> Any:
    def build(scope: Scope) -> tuple[Any, dict[str, Any]]:
        code = ibis.param("string")
        f = store.table("monthly_fact", scope)
        return f.filter(f.uscc == code).order_by("period"), {"uscc": code}

    return build


def test_prepared_gives_what_the_expression_gives() -> None:
    store, a, _ = _store()
    got = store.prepared("facts", Scope.city(), _facts(store), uscc=a)
    f = store.table("monthly_fact", Scope.city())
    want = store.run(f.filter(f.uscc == a).order_by("period"))
    assert got.equals(want)
    assert got.column("period").to_pylist() == ["2016-01", "2016-02"]


def test_compiled_once_and_rerun_with_other_values() -> None:
    store, a, b = _store()
    calls = []

    def build(scope: Scope) -> tuple[Any, dict[str, Any]]:
        calls.append(scope)
        return _facts(store)(scope)

    first = store.prepared("facts", Scope.city(), build, uscc=a)
    second = store.prepared("facts", Scope.city(), build, uscc=b)
    assert calls == [Scope.city()]
    assert set(first.column("uscc").to_pylist()) == {a}
    assert set(second.column("uscc").to_pylist()) == {b}


def test_the_cache_keeps_each_scope_apart() -> None:
    store, a, b = _store()
    build = _facts(store)
    assert store.prepared("facts", Scope.of(COUNTIES[0]), build, uscc=a).num_rows == 2
    # The same key for another county: its own query, so county 0's firm is not seen.
    assert store.prepared("facts", Scope.of(COUNTIES[1]), build, uscc=a).num_rows == 0
    assert store.prepared("facts", Scope.of(COUNTIES[1]), build, uscc=b).num_rows == 2
    assert store.prepared("facts", Scope.of(), build, uscc=b).num_rows == 0


def test_values_are_bound_not_pasted() -> None:
    store, a, _ = _store()
    hostile = f"{a}' or '1'='1"
    assert store.prepared("facts", Scope.city(), _facts(store), uscc=hostile).num_rows == 0


def test_wrong_parameters_and_no_scope_are_refused() -> None:
    store, a, _ = _store()
    with pytest.raises(TypeError, match="参数"):
        store.prepared("facts", Scope.city(), _facts(store), code=a)
    with pytest.raises(TypeError, match="Scope"):
        store.prepared("facts", None, _facts(store), uscc=a)  # type: ignore[arg-type]


def test_a_parameter_missing_from_the_sql_is_refused() -> None:
    store, _, _ = _store()
    unused = ibis.param("string")
    expr = store.table("region", Scope.city())
    with pytest.raises(ValueError, match="未出现"):
        compile_prepared(expr, {"unused": unused})
