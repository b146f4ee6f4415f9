"""The demo's evaluation inputs written as the departments send them — tax records by month
(元), land certificates, emission permits (one column per pollutant), incidents and the
counties' 亩均数据采集表 — so that they load through ingest like the other demo files."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

import pyarrow as pa

from jingxin.demo.files import DemoFile, _csv, _num

__all__ = ["write_evaluation_files"]

_POLLUTANT_HEADERS = {
    "cod": "化学需氧量(吨)",
    "nh3n": "氨氮(吨)",
    "so2": "二氧化硫(吨)",
    "nox": "氮氧化物(吨)",
}
_INCIDENT_KINDS = {"safety": "安全生产事故", "environment": "环境污染事件", "credit": "严重失信"}
_ANNUAL = (
    ("land_mu", "用地面积(亩)"),
    ("taxes", "实缴税金(万元)"),
    ("revenue", "营业收入(万元)"),
    ("value_added", "工业增加值(万元)"),
    ("rd_expense", "R&D经费支出(万元)"),
    ("employees", "年平均职工人数(人)"),
    ("energy_tce", "综合能耗(吨标煤)"),
    ("electricity", "用电量(万千瓦时)"),
)


def write_evaluation_files(
    tables: dict[str, pa.Table], names: dict[str, str], out: Path
) -> list[DemoFile]:
    """Write ``tables`` (from ``generate_evaluation_inputs``) under ``out``, in import order.
    ``evaluation_history`` has no department file and is not written."""
    out.mkdir(parents=True, exist_ok=True)
    files: list[DemoFile] = []
    by_month: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in tables["tax_paid"].to_pylist():
        by_month[r["period"]].append(r)
    for period in sorted(by_month):
        path = out / f"入库税收-{period}.csv"
        _csv(
            path,
            ["纳税人识别号", "纳税人名称", "征收项目", "入库日期", "实缴金额(元)"],
            (
                [r["uscc"], names[r["uscc"]], r["tax_type"], f"{period}-15", _num(r["amount"], 1e4)]
                for r in by_month[period]
            ),
            "utf-8-sig",
        )
        files.append(DemoFile("tax", path, period, f"{period}-25"))
    for year in sorted({r["year"] for r in tables["land_parcel"].to_pylist()}):
        path = out / f"土地使用-{year}.csv"
        rows = [r for r in tables["land_parcel"].to_pylist() if r["year"] == year]
        _csv(
            path,
            ["不动产权证号", "权利人", "统一社会信用代码", "面积(亩)", "用地方式", "年度"],
            (
                [
                    r["certificate"],
                    names[r["uscc"]],
                    r["uscc"],
                    _num(r["area_mu"]),
                    "租赁" if r["tenure"] == "leased" else "出让",
                    year,
                ]
                for r in rows
            ),
            "utf-8-sig",
        )
        files.append(DemoFile("land", path, str(year), f"{year + 1}-02-01"))
    files += _emissions(tables["emission"], names, out)
    for year in sorted({r["occurred"].year for r in tables["incident"].to_pylist()}):
        path = out / f"安全环保事件-{year}.csv"
        _csv(
            path,
            ["统一社会信用代码", "企业名称", "发生日期", "事件类型", "等级", "说明"],
            (
                [
                    r["uscc"],
                    names[r["uscc"]],
                    r["occurred"].isoformat(),
                    _INCIDENT_KINDS[r["kind"]],
                    r["severity"] or "",
                    r["note"] or "",
                ]
                for r in tables["incident"].to_pylist()
                if r["occurred"].year == year
            ),
            "utf-8-sig",
        )
        files.append(DemoFile("incident", path, str(year), f"{year + 1}-02-01"))
    for year in sorted({r["year"] for r in tables["enterprise_annual"].to_pylist()}):
        path = out / f"亩均数据采集表-{year}.csv"
        _csv(
            path,
            ["统一社会信用代码", "企业名称", "年度", *(h for _, h in _ANNUAL)],
            (
                [r["uscc"], names[r["uscc"]], year, *(_num(r[k]) for k, _ in _ANNUAL)]
                for r in tables["enterprise_annual"].to_pylist()
                if r["year"] == year
            ),
            "utf-8-sig",
        )
        files.append(DemoFile("mujun", path, str(year), f"{year + 1}-03-01"))
    return files


def _emissions(t: pa.Table, names: dict[str, str], out: Path) -> list[DemoFile]:
    """One row per permit and year, a column per pollutant; a pollutant the permit did not
    report is left blank (NULL, not 0)."""
    wide: dict[tuple[int, str], dict[str, Any]] = {}
    for r in t.to_pylist():
        row = wide.setdefault(
            (r["year"], r["uscc"]), {"permit": r["permit_no"] or f"{r['uscc']}001P"}
        )
        row[r["pollutant"]] = r["tonnes"]
    files = []
    for year in sorted({y for y, _ in wide}):
        path = out / f"主要污染物排放-{year}.csv"
        _csv(
            path,
            ["排污许可证编号", "单位名称", "年度", *_POLLUTANT_HEADERS.values()],
            (
                [row["permit"], names[uscc], year, *(_num(row.get(p)) for p in _POLLUTANT_HEADERS)]
                for (y, uscc), row in sorted(wide.items())
                if y == year
            ),
            "utf-8-sig",
        )
        files.append(DemoFile("emission", path, str(year), f"{year + 1}-03-15"))
    return files
