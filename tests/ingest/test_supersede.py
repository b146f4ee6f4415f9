"""The same file twice is a no-op; a corrected file for the same kind and period replaces
the earlier one, keeps it as history, reports the difference and is audited."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jingxin.ingest import import_file
from jingxin.store import Store
from tests.ingest.helpers import dump, errors, file_sha256, stored_output
from tests.ingest.make_corpus import CODES, GO, VA, stats_csv


def test_the_same_file_twice_is_repeated_and_changes_nothing(
    corpus: dict[str, Path], store_path: Path
) -> None:
    store = Store(store_path)
    first = import_file(store, "stats_monthly", corpus["gbk-千元.csv"], period="2016-06")
    assert first.status == "loaded", errors(first)
    store.close()
    bytes_before = file_sha256(store_path)
    store = Store(store_path)
    try:
        before = dump(store)
        # same bytes under another name: still the same file
        again = import_file(
            store, "stats_monthly", corpus["gbk-千元.csv"], period="2016-06", name="重发.csv"
        )
        assert again.status == "repeated" and again.ok
        assert again.file_id == first.file_id and again.issues == []
        assert dump(store) == before
    finally:
        store.close()
    assert file_sha256(store_path) == bytes_before


def test_a_corrected_file_supersedes_and_reports_the_difference(
    store: Store, tmp_path: Path
) -> None:
    old_codes = CODES[:4]
    new_codes = [CODES[0], CODES[1], CODES[2], CODES[4]]  # CODES[3] gone, CODES[4] new
    old = stats_csv(tmp_path / "月报-2016-06.csv", GO[:4], VA[:4], codes=old_codes)
    go = [GO[0], GO[1] + 100, GO[2], GO[4]]  # CODES[1] changed
    va = [VA[0], VA[1], VA[2], VA[4]]
    new = stats_csv(tmp_path / "月报-2016-06-更正.csv", go, va, codes=new_codes)

    first = import_file(store, "stats_monthly", old, period="2016-06", actor="张三")
    assert first.status == "loaded" and first.superseded is None, errors(first)
    second = import_file(store, "stats_monthly", new, period="2016-06", actor="李四")
    assert second.status == "loaded", errors(second)

    assert second.superseded == first.file_id
    d = second.diff["monthly_fact"]
    assert (d.added, d.removed, d.changed) == (1, 1, 1)
    (example,) = d.examples
    assert example["key"] == f"{CODES[1]}/2016-06"
    assert example["gross_output"] == {"原值": pytest.approx(850.0), "新值": pytest.approx(860.0)}
    assert "替换了此前的文件" in second.summary()

    assert stored_output(store, "2016-06") == pytest.approx(
        {c: g / 10 for c, g in zip(new_codes, go, strict=True)}
    )
    assert store.file_rows("monthly_fact", first.file_id).num_rows == 0
    assert store.file_rows("monthly_fact", second.file_id).num_rows == 4
    files = store.con.execute(
        "select id, name, status, superseded_by, rows from source_file "
        "where kind = 'stats_monthly' order by id"
    ).fetchall()
    assert files == [
        (first.file_id, "月报-2016-06.csv", "superseded", second.file_id, 4),
        (second.file_id, "月报-2016-06-更正.csv", "active", None, 4),
    ]
    audit = store.con.execute(
        "select actor, action, table_name, before, after from audit_log "
        "where action like 'supersede%'"
    ).fetchall()
    assert len(audit) == 1
    actor, _, table, before, after = audit[0]
    assert (actor, table) == ("李四", "source_file")
    assert json.loads(before)["id"] == first.file_id
    assert json.loads(after)["id"] == second.file_id


def test_a_correction_for_another_period_supersedes_nothing(store: Store, tmp_path: Path) -> None:
    may = stats_csv(tmp_path / "5.csv", [g * 5 / 6 for g in GO])
    june = stats_csv(tmp_path / "6.csv")
    a = import_file(store, "stats_monthly", may, period="2016-05")
    b = import_file(store, "stats_monthly", june, period="2016-06")
    assert (a.status, b.status) == ("loaded", "loaded"), errors(a) + errors(b)
    assert b.superseded is None and b.diff == {}
    statuses = store.con.execute("select status from source_file where kind = 'stats_monthly'")
    assert statuses.fetchall() == [("active",), ("active",)]
