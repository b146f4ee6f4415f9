"""Load the bureau-style 亩均数据采集表 fixtures (Chinese headers) into a store.

A stand-in for ``jingxin import`` of evaluation inputs until the ingest module reads them:
the same CSV files will then go through the real importer.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pyarrow as pa

from jingxin.reference import regions
from jingxin.reference.tables import INDUSTRY_EDITION
from jingxin.store import Store
from jingxin.uscc import is_valid

DATA = Path(__file__).parent.parent / "data" / "evaluation"
WORKED_METHOD = DATA / "worked.toml"

ANNUAL = {
    "用地面积(亩)": "land_mu",
    "实缴税金(万元)": "taxes",
    "营业收入(万元)": "revenue",
    "工业增加值(万元)": "value_added",
    "R&D经费支出(万元)": "rd_expense",
    "年平均职工人数(人)": "employees",
    "综合能耗(吨标煤)": "energy_tce",
    "用电量(万千瓦时)": "electricity",
}
POLLUTANTS = {
    "化学需氧量(吨)": "cod",
    "氨氮(吨)": "nh3n",
    "二氧化硫(吨)": "so2",
    "氮氧化物(吨)": "nox",
}
SCALE = {"规上": "above", "规下": "below"}


def _num(cell: str) -> float | None:
    return float(cell) if cell.strip() else None


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def load_mujun(store: Store, files: dict[int, Path]) -> None:
    """Load 采集表 files (year → CSV) as register, scale, annual figures and emissions."""
    county = {r.name: r.code for r in regions().values() if r.level in ("市辖区", "县", "县级市")}
    register: dict[str, dict[str, object]] = {}
    scale, annual, emission = [], [], []
    for year, path in sorted(files.items()):
        for row in read_rows(path):
            u = row["统一社会信用代码"]
            assert is_valid(u), u
            register[u] = {
                "uscc": u,
                "name": row["企业名称"],
                "region_code": county[row["县（市、区）"]],
                "platform": None,
                "industry_code": row["行业代码"],
                "industry_edition": INDUSTRY_EDITION,
                "founded": date.fromisoformat(row["成立日期"]),
                "land_mu": _num(row["用地面积(亩)"]),
                "flags": [],
            }
            scale.append({"uscc": u, "year": year, "scale": SCALE[row["规模类型"]]})
            annual.append({"uscc": u, "year": year} | {c: _num(row[h]) for h, c in ANNUAL.items()})
            for h, p in POLLUTANTS.items():
                if h in row:
                    emission.append(
                        {"uscc": u, "year": year, "pollutant": p, "tonnes": _num(row[h])}
                    )
    tables = {
        "enterprise": pa.Table.from_pylist(
            list(register.values()),
            schema=pa.schema(
                [
                    ("uscc", pa.string()),
                    ("name", pa.string()),
                    ("region_code", pa.string()),
                    ("platform", pa.string()),
                    ("industry_code", pa.string()),
                    ("industry_edition", pa.string()),
                    ("founded", pa.date32()),
                    ("land_mu", pa.float64()),
                    ("flags", pa.list_(pa.string())),
                ]
            ),
        ),
        "enterprise_scale": pa.Table.from_pylist(scale),
        "enterprise_annual": pa.Table.from_pylist(annual),
        "emission": pa.Table.from_pylist(
            emission,
            schema=pa.schema(
                [
                    ("uscc", pa.string()),
                    ("year", pa.int32()),
                    ("pollutant", pa.string()),
                    ("tonnes", pa.float64()),
                ]
            ),
        ),
    }
    store.load("mujun_table", "亩均数据采集表（测试）", tables)


def load_incidents(store: Store, path: Path) -> None:
    rows = [
        {
            "uscc": r["统一社会信用代码"],
            "occurred": date.fromisoformat(r["发生日期"]),
            "kind": r["类型"],
            "severity": r["严重程度"] or None,
            "note": r["说明"],
        }
        for r in read_rows(path)
    ]
    store.load("incident", path.name, {"incident": pa.Table.from_pylist(rows)})


def load_history(store: Store, path: Path) -> None:
    rows = [
        {"uscc": r["统一社会信用代码"], "year": int(r["年度"]), "class": r["等级"]}
        for r in read_rows(path)
    ]
    store.load("evaluation_history", path.name, {"evaluation_history": pa.Table.from_pylist(rows)})


def worked_store(path: Path | str = ":memory:") -> Store:
    """A store with the worked example: 2015 and 2016 inputs, incidents and history."""
    store = Store(path)
    load_mujun(store, {2015: DATA / "mujun-2015.csv", 2016: DATA / "mujun-2016.csv"})
    load_incidents(store, DATA / "incidents.csv")
    load_history(store, DATA / "history.csv")
    return store


def expected() -> dict[str, dict[str, str]]:
    """The hand-computed results, by enterprise name."""
    return {r["企业名称"]: r for r in read_rows(DATA / "expected-2016.csv")}
