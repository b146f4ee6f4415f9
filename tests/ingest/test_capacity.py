"""The capacity ledger (淘汰落后产能和“低小散”整治台账): cases with or without a credit code."""

from __future__ import annotations

import random
from pathlib import Path

from jingxin.ingest import import_file
from jingxin.uscc import make
from tests.ingest.helpers import registered_store
from tests.ingest.make_corpus import ENTERPRISES

HEAD = "台账编号,类别,企业（作坊）名称,统一社会信用代码,县（市、区）,完成日期,淘汰产能,腾出用能(吨标准煤),整治方式\n"


def test_a_ledger_loads_and_its_year_is_its_dates(tmp_path: Path) -> None:
    store = registered_store(tmp_path / "s.duckdb")
    firm = ENTERPRISES[0]
    f = tmp_path / "cases.csv"
    f.write_text(
        HEAD
        + f"WX-1,淘汰落后产能,{firm.name},{firm.uscc},吴兴区,2016-03-01,印染线 1 条,1.2,关停\n"
        + "WX-2,低小散,张三童装加工点,,吴兴区,2016年4月1日,,,整治提升\n",
        encoding="utf-8-sig",
    )
    report = import_file(store, "capacity_case", f)
    assert report.status == "loaded" and report.period == "2016", report.issues
    rows = store.arrow(
        "select case_id, kind, uscc, region_code, energy_freed from capacity_case order by 1"
    ).to_pylist()
    assert rows == [
        {"case_id": "WX-1", "kind": "backward", "uscc": firm.uscc, "region_code": "330502",
         "energy_freed": 1.2},
        {"case_id": "WX-2", "kind": "small_scattered", "uscc": None, "region_code": "330502",
         "energy_freed": None},
    ]  # fmt: skip


def test_every_bad_cell_is_named(tmp_path: Path) -> None:
    store = registered_store(tmp_path / "s.duckdb")
    stranger = make("330502", random.Random(99))
    f = tmp_path / "bad.csv"
    f.write_text(
        HEAD
        + "WX-3,其他,李四,,吴兴区,2016-04-01,,-3,\n"
        + "WX-4,低小散,王五,,吴兴区,2015-12-31,,,\n"
        + f"WX-5,淘汰落后产能,某厂,{stranger},外星区,2016-05-01,,,\n",
        encoding="utf-8-sig",
    )
    report = import_file(store, "capacity_case", f, period="2016")
    assert report.status == "rejected"
    got = {(i.reason.value, i.cell) for i in report.issues}
    # every problem of every row, each at its cell: a kind not on the list, a negative
    # energy, a date of another year, an unknown county, a code not in the register
    assert got == {
        ("type", "B2"),
        ("range", "H2"),
        ("period", "F3"),
        ("region", "E4"),
        ("unknown_enterprise", "D4"),
    }
    assert any("整治类别应为" in i.message and i.cell == "B2" for i in report.issues)
    assert any("不在文件年度 2016" in i.message for i in report.issues)
    assert store.arrow("select count(*) as n from capacity_case")["n"][0].as_py() == 0
