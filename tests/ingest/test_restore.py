"""A superseded file can be made active again: its rows come back from its archived raw
file, with its own provenance, and the file that replaced it is superseded, audited and
recorded as a data version. Importing its content again offers the restore."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jingxin.errors import InputError, NotFoundError
from jingxin.ingest import ImportReport, import_file
from jingxin.ingest.restore import restore_file
from jingxin.store import Store
from tests.ingest.helpers import dump, errors, stored_output
from tests.ingest.make_corpus import CODES, GO, VA, stats_csv

GO_B = [GO[0], GO[1] + 100, GO[2], GO[3], GO[4]]  # CODES[1] corrected


def _a_then_b(
    store: Store, tmp_path: Path, archive: Path | None
) -> tuple[Path, ImportReport, Path, ImportReport]:
    a_path = stats_csv(tmp_path / "月报-2016-06.csv")
    b_path = stats_csv(tmp_path / "月报-2016-06-更正.csv", GO_B, VA)
    a = import_file(store, "stats_monthly", a_path, period="2016-06", archive_dir=archive)
    assert a.status == "loaded", errors(a)
    b = import_file(store, "stats_monthly", b_path, period="2016-06", archive_dir=archive)
    assert b.status == "loaded" and b.superseded == a.file_id, errors(b)
    return a_path, a, b_path, b


def test_restore_brings_back_the_superseded_file(store: Store, tmp_path: Path) -> None:
    _, a, _, b = _a_then_b(store, tmp_path, tmp_path / "archive")
    assert stored_output(store, "2016-06")[CODES[1]] == pytest.approx(GO_B[1] / 10)

    done = restore_file(store, a.file_id or 0, archive_dir=tmp_path / "archive", actor="王五")

    assert (done.file_id, done.superseded) == (a.file_id, b.file_id)
    assert done.rows == {"monthly_fact": 5}
    assert stored_output(store, "2016-06") == pytest.approx(
        {c: g / 10 for c, g in zip(CODES, GO, strict=True)}
    )
    d = done.diff["monthly_fact"]
    assert (d.added, d.removed, d.changed) == (0, 0, 1)
    provenance = store.con.execute(
        "select distinct source_file_id from monthly_fact where period = '2016-06'"
    ).fetchall()
    assert provenance == [(a.file_id,)]
    files = store.con.execute(
        "select id, status, superseded_by from source_file where kind = 'stats_monthly' order by id"
    ).fetchall()
    assert files == [(a.file_id, "active", None), (b.file_id, "superseded", a.file_id)]
    audit = store.con.execute(
        "select actor, table_name, before, after from audit_log where action like 'restore%'"
    ).fetchall()
    assert len(audit) == 1
    actor, table, before, after = audit[0]
    assert (actor, table) == ("王五", "source_file")
    assert json.loads(before) == [
        {"id": a.file_id, "status": "superseded", "superseded_by": b.file_id},
        {"id": b.file_id, "status": "active", "superseded_by": None},
    ]
    assert json.loads(after) == [
        {"id": a.file_id, "status": "active", "superseded_by": None},
        {"id": b.file_id, "status": "superseded", "superseded_by": a.file_id},
    ]
    change = store.con.execute(
        "select tables, period, file_id from data_change where action = 'restore'"
    ).fetchall()
    assert change == [(["monthly_fact"], "2016-06", a.file_id)]


def test_the_restored_file_can_be_replaced_again(store: Store, tmp_path: Path) -> None:
    _, a, b_path, b = _a_then_b(store, tmp_path, tmp_path / "archive")
    restore_file(store, a.file_id or 0, archive_dir=tmp_path / "archive")
    back = restore_file(store, b.file_id or 0, archive_dir=tmp_path / "archive")
    assert back.superseded == a.file_id
    assert stored_output(store, "2016-06")[CODES[1]] == pytest.approx(GO_B[1] / 10)


def test_an_active_file_is_not_restored(store: Store, tmp_path: Path) -> None:
    _, _, _, b = _a_then_b(store, tmp_path, tmp_path / "archive")
    before = dump(store)
    with pytest.raises(InputError, match=f"文件 {b.file_id} 现为有效文件"):
        restore_file(store, b.file_id or 0, archive_dir=tmp_path / "archive")
    with pytest.raises(NotFoundError, match="没有编号为 99 的文件"):
        restore_file(store, 99, archive_dir=tmp_path / "archive")
    assert dump(store) == before


def test_a_file_without_its_archive_is_not_restored(store: Store, tmp_path: Path) -> None:
    _, a, _, _ = _a_then_b(store, tmp_path, None)
    before = dump(store)
    with pytest.raises(NotFoundError, match="没有存档原始文件"):
        restore_file(store, a.file_id or 0, archive_dir=tmp_path / "archive")
    assert dump(store) == before


def test_a_file_whose_archive_was_deleted_is_not_restored(store: Store, tmp_path: Path) -> None:
    _, a, _, _ = _a_then_b(store, tmp_path, tmp_path / "archive")
    archived = store.con.execute(
        "select archive from source_file where id = ?", [a.file_id]
    ).fetchall()[0][0]
    (tmp_path / "archive" / archived).unlink()
    before = dump(store)
    with pytest.raises(NotFoundError, match="存档的原始文件.*不存在"):
        restore_file(store, a.file_id or 0, archive_dir=tmp_path / "archive")
    assert dump(store) == before


def test_importing_a_superseded_files_content_offers_the_restore(
    store: Store, tmp_path: Path
) -> None:
    a_path, a, b_path, b = _a_then_b(store, tmp_path, tmp_path / "archive")
    before = dump(store)
    again = import_file(store, "stats_monthly", a_path, period="2016-06", name="重发.csv")
    assert again.status == "repeated" and again.ok
    assert (again.file_id, again.superseded_by) == (a.file_id, b.file_id)
    text = again.summary()
    assert "已导入过" not in text
    assert f"已于 {again.superseded_on} 被文件 {b.file_id} 替换" in text
    assert f"jingxin files restore {a.file_id}" in text
    assert dump(store) == before
    active = import_file(store, "stats_monthly", b_path, period="2016-06")
    assert active.summary() == f"文件 {b_path.name} 已导入过（内容相同），未做更改。"
