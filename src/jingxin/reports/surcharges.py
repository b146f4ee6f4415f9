"""The surcharge bill list as files for the grid company: Excel and CSV (UTF-8 with BOM)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from jingxin.evaluation.surcharges import SurchargeBills
from jingxin.reports.evaluation import neutralise
from jingxin.reports.table_xlsx import Column, table_workbook

__all__ = ["COLUMNS", "SurchargeFiles", "write_surcharges"]

COLUMNS: tuple[Column, ...] = (
    ("统一社会信用代码", "uscc", "", 22),
    ("企业名称", "name", "", 30),
    ("县（市、区）", "region_name", "", 10),
    ("用电户号", "meters", "", 26),
    ("评价类别", "final_class", "", 8),
    ("连续D类年数", "consecutive_worst", "0", 10),
    ("加价标准（元/千瓦时）", "rate", "0.00", 12),
    ("当月用电量（千瓦时）", "kwh", "#,##0", 16),
    ("加价金额（元）", "amount", "#,##0.00", 16),
    ("备注", "note", "", 16),
)


@dataclass(frozen=True)
class SurchargeFiles:
    xlsx: Path
    csv: Path


def write_surcharges(bills: SurchargeBills, folder: Path, note: str) -> SurchargeFiles:
    """``差别化电价-YYYY-MM.xlsx`` and ``.csv`` in ``folder`` (``-预览`` while the
    evaluation is not final); ``note`` (数据截至 …) under the table."""
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"差别化电价-{bills.period}{'-预览' if bills.preview else ''}"
    total = {
        "uscc": "合计",
        "name": f"{len(bills.rows)} 家",
        "kwh": bills.kwh,
        "amount": bills.amount,
    }
    rows = [*bills.rows, total] if bills.rows else []
    xlsx = folder / f"{stem}.xlsx"
    xlsx.write_bytes(table_workbook(bills.label, COLUMNS, rows, note))
    path = folder / f"{stem}.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow([c[0] for c in COLUMNS])
        for r in rows:
            w.writerow(["" if r.get(k) is None else neutralise(r.get(k)) for _, k, _, _ in COLUMNS])
    return SurchargeFiles(xlsx, path)
