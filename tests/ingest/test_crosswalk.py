"""Held rows are listed and released once an analyst confirms the enterprise (issue #11)."""

from __future__ import annotations

from pathlib import Path

from jingxin.ingest import import_file
from jingxin.ingest.crosswalk import confirm, held_rows
from jingxin.ingest.restore import restore_file
from jingxin.store import Store
from tests.ingest.helpers import errors
from tests.ingest.make_corpus import ENTERPRISES, write_csv


def test_an_empty_store_has_no_held_rows(store: Store) -> None:
    assert held_rows(store) == []


def test_confirming_a_suggestion_stores_the_held_row(store: Store, tmp_path: Path) -> None:
    e0, e2 = ENTERPRISES[0], ENTERPRISES[2]
    cw = write_csv(
        tmp_path / "对照表.csv",
        [["户号", "户名", "统一社会信用代码"], ["3300000001", e0.name, e0.uscc]],
    )
    assert import_file(store, "grid_account", cw).status == "loaded"
    power = write_csv(
        tmp_path / "用电量-2016-06.csv",
        [
            ["户号", "户名", "年月", "用电量(千瓦时)"],
            ["3300000001", e0.name, "2016-06", "100000"],
            ["3300000009", "德清示例丝绸(集团)有限公司", "2016-06", "70000"],
        ],
    )
    report = import_file(store, "electricity", power, period="2016-06")
    assert report.status == "loaded", errors(report)

    held = held_rows(store)
    assert [(h["name"], h["suggestion"], h["file_name"]) for h in held] == [
        ("德清示例丝绸(集团)有限公司", e2.uscc, "用电量-2016-06.csv")
    ]
    assert confirm(store, "德清示例丝绸(集团)有限公司", None, "analyst") == 1

    assert held_rows(store) == []
    assert store.electricity_of("2016-06") == {e0.uscc: 10.0, e2.uscc: 7.0}
    assert store.grid_accounts()["3300000009"] == e2.uscc
    actions = [r[0] for r in store.con.execute("select action from audit_log").fetchall()]
    assert any(a.startswith("release") for a in actions)
    assert any(a.startswith("alias") for a in actions)


def _power(path: Path, period: str, new_kwh: str) -> Path:
    """The grid's export: the first enterprise by its credit code, and a new meter account
    whose 户名 no register knows (so the row is held)."""
    e0 = ENTERPRISES[0]
    return write_csv(
        path,
        [
            ["户号", "户名", "统一社会信用代码", "年月", "用电量(千瓦时)"],
            ["3300000001", e0.name, e0.uscc, period, "100000"],
            ["3300000077", "湖州示例染整新厂", "", period, new_kwh],
        ],
    )


def test_a_confirmed_account_outlives_the_correction_of_its_file(
    store: Store, tmp_path: Path
) -> None:
    """Found by the stateful lifecycle test: the grid account a confirmation records came
    with the held row's file, and went when a corrected file superseded that file — the next
    month's row of the same account was held again (and its kWh left out of the cube)."""
    e0, e2 = ENTERPRISES[0], ENTERPRISES[2]
    archive = tmp_path / "archive"
    first = import_file(
        store,
        "electricity",
        _power(tmp_path / "6月.csv", "2016-06", "70000"),
        period="2016-06",
        archive_dir=archive,
    )
    assert first.status == "loaded" and first.unmatched == 1, errors(first)
    assert confirm(store, "湖州示例染整新厂", e2.uscc, "analyst") == 1

    corrected = import_file(
        store,
        "electricity",
        _power(tmp_path / "6月-更正.csv", "2016-06", "80000"),
        period="2016-06",
        archive_dir=archive,
    )
    assert corrected.status == "loaded" and corrected.unmatched == 0, errors(corrected)
    assert store.grid_accounts()["3300000077"] == e2.uscc
    july = import_file(
        store,
        "electricity",
        _power(tmp_path / "7月.csv", "2016-07", "90000"),
        period="2016-07",
        archive_dir=archive,
    )
    assert july.status == "loaded" and july.unmatched == 0, errors(july)
    assert held_rows(store) == []
    assert store.electricity_of("2016-07") == {e0.uscc: 10.0, e2.uscc: 9.0}

    # Restoring the first file brings its row back as confirmed, not held.
    restore_file(store, first.file_id or 0, archive_dir=archive, actor="analyst")
    assert held_rows(store) == []
    assert store.electricity_of("2016-06") == {e0.uscc: 10.0, e2.uscc: 7.0}


def test_a_new_account_under_a_confirmed_name_is_held_with_that_enterprise_suggested(
    store: Store, tmp_path: Path
) -> None:
    """A confirmed 户名 was thrown away when a new meter account came under it: the row was
    held with no suggestion, and ``confirm NAME`` without a code failed."""
    e2 = ENTERPRISES[2]
    june = import_file(store, "electricity", _power(tmp_path / "6月.csv", "2016-06", "70000"))
    assert june.status == "loaded" and june.unmatched == 1, errors(june)
    assert confirm(store, "湖州示例染整新厂", e2.uscc, "analyst") == 1
    july = write_csv(
        tmp_path / "7月.csv",
        [
            ["户号", "户名", "年月", "用电量(千瓦时)"],
            ["3300000078", "湖州示例染整新厂", "2016-07", "20000"],
        ],
    )
    report = import_file(store, "electricity", july, period="2016-07")
    assert report.status == "loaded" and report.unmatched == 1, errors(report)
    assert [(h["name"], h["suggestion"]) for h in held_rows(store)] == [
        ("湖州示例染整新厂", e2.uscc)
    ]
    assert confirm(store, "湖州示例染整新厂", None, "analyst") == 1
    assert store.grid_accounts()["3300000078"] == e2.uscc
    assert store.electricity_of("2016-07") == {e2.uscc: 2.0}
