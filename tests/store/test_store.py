"""The store: migrations, atomic and idempotent loads, provenance, audited corrections."""

from __future__ import annotations

import random
from pathlib import Path

import pyarrow as pa
import pytest

from jingxin.errors import InputError
from jingxin.store import SCHEMA_VERSION, Store
from jingxin.uscc import make


def _enterprise(codes: list[str]) -> pa.Table:
    n = len(codes)
    return pa.table(
        {
            "uscc": codes,
            "name": [f"测试企业{i}有限公司" for i in range(n)],
            "region_code": ["330522"] * n,
            "industry_code": ["1711"] * n,
            "industry_edition": ["GB/T 4754-2017"] * n,
            "flags": pa.array([[] for _ in range(n)], pa.list_(pa.string())),
        }
    )


def _counts(store: Store) -> tuple[int, ...]:
    return tuple(
        store.con.execute(f"select count(*) from {t}").fetchall()[0][0]
        for t in ("enterprise", "enterprise_scale", "source_file")
    )


def test_migrations_are_recorded_and_reopen_is_a_no_op(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    Store(path).close()
    store = Store(path)
    assert store.schema_version() == SCHEMA_VERSION
    assert (
        store.con.execute("select count(*) from schema_version").fetchall()[0][0] == SCHEMA_VERSION
    )
    store.close()


def test_load_keeps_provenance_and_repeats_are_no_ops() -> None:
    store = Store()
    rng = random.Random(1)
    t = {"enterprise": _enterprise([make("330522", rng) for _ in range(3)])}
    first = store.load("register", "register.xlsx", t)
    again = store.load("register", "register.xlsx", t)
    assert not first.repeated and first.rows == {"enterprise": 3}
    assert again.repeated and again.file_id == first.file_id
    rows = store.con.execute(
        "select source_file_id, source_row from enterprise order by source_row"
    ).fetchall()
    assert rows == [(first.file_id, 1), (first.file_id, 2), (first.file_id, 3)]


def test_failed_load_leaves_store_unchanged() -> None:
    store = Store()
    rng = random.Random(2)
    codes = [make("330522", rng) for _ in range(2)]
    store.load("register", "a.xlsx", {"enterprise": _enterprise(codes[:1])})
    before = _counts(store)
    bad = {
        "enterprise": _enterprise(codes[1:]),  # would load fine on its own
        "enterprise_scale": pa.table(
            {
                "uscc": [codes[1], codes[1]],
                "year": [2016, 2016],
                "scale": ["above", "above"],
            }
        ),  # duplicate key: the whole file must be rejected
    }
    with pytest.raises(InputError, match="重复"):
        store.load("register", "b.xlsx", bad)
    assert _counts(store) == before


def test_unknown_table_is_refused() -> None:
    with pytest.raises(InputError, match="不能导入"):
        Store().load("x", "x", {"cube": pa.table({"a": [1]})})


def test_correct_needs_exactly_one_row_and_is_audited() -> None:
    store = Store()
    code = make("330522", random.Random(3))
    store.load("register", "a.xlsx", {"enterprise": _enterprise([code])})
    with pytest.raises(InputError, match="找到 0 行"):
        store.correct("enterprise", {"uscc": "nope"}, {"name": "x"}, actor="a", reason="r")
    with pytest.raises(InputError, match="没有列"):
        store.correct("enterprise", {"uscc": code}, {"nope": 1}, actor="a", reason="r")
    store.correct(
        "enterprise", {"uscc": code}, {"name": "新名称有限公司"}, actor="张三", reason="更名"
    )
    log = store.con.execute("select actor, action, before, after from audit_log").fetchall()
    assert len(log) == 1
    assert log[0][0] == "张三" and "更名" in log[0][1]
    assert "测试企业0有限公司" in log[0][2] and "新名称有限公司" in log[0][3]


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    store = Store(path)
    store.con.execute("insert into schema_version values (999, 'future', now())")
    store.close()
    with pytest.raises(Exception, match="升级"):
        Store(path)
