"""The grid's daily readings (日用电量), read as columns: the same report as every import."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from jingxin.ingest import import_file
from jingxin.store import Store

BAD = """户号,户名,日期,日用电量(千瓦时)
3300000001,甲,2016-02-01,"1,200"
3300000001,甲,2016/2/2,1100
3300000002,乙,20160201,abc
3300000002,乙,2016-02-30,5
3300000001,甲,2016-02-01,7
3300000003,丙,2016-02-03,-4
,丙,2016-02-03,
"""


def _write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_text(text, encoding=encoding)
    return path


def test_every_problem_at_its_cell(tmp_path: Path) -> None:
    store = Store(":memory:")
    report = import_file(store, "meter_daily", _write(tmp_path / "d.csv", BAD))
    assert report.status == "rejected"
    got = {(i.reason.value, i.cell, i.value) for i in report.issues}
    assert got == {
        ("required", "A8", None),
        ("required", "D8", None),
        ("type", "C5", "2016-02-30"),  # no such day
        ("type", "D4", "abc 千瓦时"),  # quoted as typed, with the column's unit
        ("range", "D7", "-4 千瓦时"),
        ("duplicate", "A6", None),
    }
    dup = next(i for i in report.issues if i.reason.value == "duplicate")
    assert "第 2 行" in dup.message
    assert store.arrow("select count(*) as n from meter_daily")["n"][0].as_py() == 0


def test_loads_converts_units_and_keeps_unknown_meters(tmp_path: Path) -> None:
    store = Store(":memory:")
    f = _write(
        tmp_path / "gbk.csv",
        "户号,日期,电量(万千瓦时)\n3300000001,2016-02-01,0.12\n3300000009,2016年2月2日,0.5\n",
        "gb18030",
    )
    report = import_file(store, "meter_daily", f)
    assert report.status == "loaded" and report.period == "2016-02"
    assert report.rows == {"meter_daily": 2}
    # neither meter is in the crosswalk: kept, with one warning each
    assert sorted(i.value for i in report.issues if i.reason.value == "unmatched") == [
        "3300000001",
        "3300000009",
    ]
    rows = store.arrow("select account, day::varchar as day, kwh from meter_daily order by 1")
    assert rows.to_pylist() == [
        {"account": "3300000001", "day": "2016-02-01", "kwh": 0.12},
        {"account": "3300000009", "day": "2016-02-02", "kwh": 0.5},
    ]


def test_one_month_per_file_and_correction(tmp_path: Path) -> None:
    store = Store(":memory:")
    two = _write(tmp_path / "two.csv", "户号,日期,日用电量\n1,2016-01-31,5\n1,2016-02-01,5\n")
    report = import_file(store, "meter_daily", two)
    assert report.status == "rejected"
    assert any("多个月份" in i.message for i in report.issues)
    report = import_file(store, "meter_daily", two, period="2016-02")
    assert [(i.reason.value, i.row) for i in report.issues if i.severity == "error"] == [
        ("period", 2)
    ]
    first = _write(tmp_path / "a.csv", "户号,日期,日用电量\n1,2016-02-01,5000\n1,2016-02-02,6000\n")
    assert import_file(store, "meter_daily", first).status == "loaded"
    fix = _write(tmp_path / "b.csv", "户号,日期,日用电量\n1,2016-02-01,5000\n1,2016-02-02,6500\n")
    report = import_file(store, "meter_daily", fix)
    assert report.status == "loaded" and report.superseded is not None
    assert report.diff["meter_daily"].changed == 1
    total = store.arrow("select sum(kwh) as s, count(*) as n from meter_daily").to_pylist()[0]
    assert total == {"s": 1.15, "n": 2}  # 万千瓦时: the correction replaced the month


def test_workbook(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["国网湖州供电公司 日用电量"])
    ws.append(["户号", "户名", "抄表日期", "当日电量(千瓦时)"])
    ws.append(["3300000001", "甲", "2016-03-01", 1000])
    ws.append(["3300000001", "甲", "2016-03-02", "x"])
    wb.save(tmp_path / "d.xlsx")
    report = import_file(Store(":memory:"), "meter_daily", tmp_path / "d.xlsx")
    assert [(i.reason.value, i.cell, i.value) for i in report.issues] == [
        ("type", "D4", "x 千瓦时")
    ]
