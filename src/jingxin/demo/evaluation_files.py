"""The demo's evaluation inputs written as the departments send them — tax records by month
(元), land certificates, emission permits (one column per pollutant), incidents and the
counties' 亩均数据采集表 — so that they load through ingest like the other demo files."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

import pyarrow as pa

from jingxin.demo.files import DemoFile, _csv, _num, headers
from jingxin.ingest.kinds import EMISSION, INCIDENT, LAND, MUJUN, TAX
from jingxin.ingest.kinds.mujun import ANNUAL_KEYS
from jingxin.reference.vocabulary import INCIDENT_KINDS, LAND_TENURE, POLLUTANTS

__all__ = ["write_evaluation_files"]

# The land bureau's file states its areas in 亩 (the kind assumes 平方米 when no unit is given).
_AREA = LAND.column("area_mu")
_LAND_HEADERS = [
    *headers(LAND, "certificate", "owner", "uscc"),
    f"{_AREA.label}(亩)",
    *headers(LAND, "tenure", "year"),
]


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
            headers(TAX, "uscc", "name", "tax_type", "paid_on", "amount"),
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
            _LAND_HEADERS,
            (
                [
                    r["certificate"],
                    names[r["uscc"]],
                    r["uscc"],
                    _num(r["area_mu"]),
                    LAND_TENURE[r["tenure"]],
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
            headers(INCIDENT),
            (
                [
                    r["uscc"],
                    names[r["uscc"]],
                    r["occurred"].isoformat(),
                    INCIDENT_KINDS[r["kind"]],
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
            headers(MUJUN, "uscc", "name", "year", *ANNUAL_KEYS),
            (
                [r["uscc"], names[r["uscc"]], year, *(_num(r[k]) for k in ANNUAL_KEYS)]
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
            [*headers(EMISSION), *EMISSION.column("by_pollutant").template],
            (
                [row["permit"], names[uscc], year, *(_num(row.get(p)) for p in POLLUTANTS)]
                for (y, uscc), row in sorted(wide.items())
                if y == year
            ),
            "utf-8-sig",
        )
        files.append(DemoFile("emission", path, str(year), f"{year + 1}-03-15"))
    return files
