"""Outputs of an evaluation: Excel workbook (bureau layout), CSV, JSON and a Word summary.

The workbook has a summary sheet (汇总), one sheet per cohort with Chinese headers, a
frozen header row and the classes coloured, then the run's objections (异议) and re-grades
(调档) from :mod:`jingxin.reports.evaluation_log`. Text that a spreadsheet would run as a formula
(starting with = + - @, or a tab or carriage return) is written with a leading apostrophe,
in the workbook and in the CSV, so a crafted enterprise name can never execute.
"""

from __future__ import annotations

import csv
import json
import math
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from jingxin.evaluation.aggregates import Aggregates
from jingxin.evaluation.method import INPUT_COLUMNS, Cohort, Method
from jingxin.reference import regions
from jingxin.reports.document import Document, Section, Table
from jingxin.reports.word import write_docx
from jingxin.store import Scope

if TYPE_CHECKING:
    from jingxin.reports.evaluation_log import RunLog

__all__ = [
    "write_run",
    "EvaluationFiles",
    "RunMeta",
    "neutralise",
    "result_rows",
    "write_csv",
    "write_json",
    "write_outputs",
    "write_summary_docx",
    "write_workbook",
]

CLASS_FILLS = {0: "C6EFCE", 1: "DDEBF7", 2: "FFEB9C", 3: "FFC7CE"}  # best → worst
_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
_INPUT_ORDER = (
    "land_mu",
    "taxes",
    "revenue",
    "value_added",
    "rd_expense",
    "employees",
    "energy_tce",
    "electricity",
    "emissions",
)
_EXEMPT_ZH = {"data_missing": "数据不全"}


@dataclass(frozen=True)
class RunMeta:
    """What identifies the results in every output."""

    year: int
    run_id: int | None
    version: int | None
    status: str
    method_name: str
    method_sha256: str
    inputs_sha256: str


@dataclass(frozen=True)
class EvaluationFiles:
    """The files written."""

    xlsx: Path
    csv: Path
    json: Path
    docx: Path


def neutralise(value: Any) -> Any:
    """Text a spreadsheet would execute, made inert with a leading apostrophe.

    Examples
    --------
    >>> neutralise("=HYPERLINK(\\"http://x\\")")
    '\\'=HYPERLINK("http://x")'
    >>> neutralise("湖州某公司"), neutralise(-1.5)
    ('湖州某公司', -1.5)
    """
    if isinstance(value, str) and value.startswith(_DANGEROUS):
        return "'" + value
    return value


def _exempt_label(reason: str | None, m: Method) -> str:
    if reason is None:
        return ""
    names = {e.reason: e.name for e in m.exemptions} | _EXEMPT_ZH
    return names.get(reason, reason)


def _header(cohort: Cohort | None, m: Method) -> list[str]:
    head = ["序号", "统一社会信用代码", "企业名称", "县（市、区）", "所在平台", "行业代码", "规模"]
    head += [INPUT_COLUMNS[c] for c in _INPUT_ORDER]
    inds = cohort.indicators if cohort else _all_indicators(m)
    for i in inds:
        unit = f"({i.unit})" if i.unit else ""
        head += [f"{i.name}{unit}", f"{i.name}得分"]
    head += ["综合得分", "排名", "参评企业数", "初评等级", "否决事项", "否决后等级", "最终等级"]
    head += [
        "不定等级原因",
        f"连续{m.worst}类年数",
        "差别电价加价(元/千瓦时)",
        "加价金额(万元)",
        "说明",
    ]
    if cohort is None:
        head.insert(7, "评价对象")
    return head


def _all_indicators(m: Method) -> list[Any]:
    seen: dict[str, Any] = {}
    for c in m.cohorts:
        for i in c.indicators:
            seen.setdefault(i.key, i)
    return list(seen.values())


def result_rows(
    results: pa.Table, items: pa.Table, m: Method, cohort: Cohort | None
) -> list[list[Any]]:
    """Rows for a cohort sheet (or, with ``cohort=None``, for all cohorts as in the CSV)."""
    by_firm: dict[str, dict[str, tuple[Any, Any]]] = defaultdict(dict)
    cols = [items.column(c).to_pylist() for c in ("uscc", "indicator", "value", "score")]
    for u, k, v, s in zip(*cols, strict=True):
        by_firm[u][k] = (v, s)
    names = regions()
    inds = cohort.indicators if cohort else _all_indicators(m)
    cohort_names = {c.key: c.name for c in m.cohorts}
    r = results.to_pylist()
    out = []
    n = 0
    for row in r:
        if cohort is not None and row["cohort"] != cohort.key:
            continue
        n += 1
        county = (
            names[row["region_code"]].name if row["region_code"] in names else row["region_code"]
        )
        line: list[Any] = [
            n,
            row["uscc"],
            row["name"],
            county,
            row["platform"] or "",
            row["industry_code"],
            "规上" if row["scale"] == "above" else "规下",
        ]
        line += [row[c] for c in _INPUT_ORDER]
        for i in inds:
            v, s = by_firm[row["uscc"]].get(i.key, (None, None))
            line += [v, s]
        line += [
            row["total_score"],
            row["rank"],
            row["cell_size"],
            row["initial_class"] or "",
            row["veto"] or "",
            row["vetoed_class"] or "",
            row["final_class"] or "",
            _exempt_label(row["exempt_reason"], m),
            row["consecutive_worst"],
            row["surcharge_rate"],
            row["surcharge"],
            row["explanation"],
        ]
        if cohort is None:
            line.insert(7, cohort_names.get(row["cohort"], row["cohort"]))
        out.append([neutralise(x) for x in line])
    return out


def _style_header(ws: Any, ncols: int) -> None:
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="D9D9D9")
    for j in range(1, ncols + 1):
        c = ws.cell(row=1, column=j)
        c.font, c.fill = bold, fill
        c.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        ws.column_dimensions[get_column_letter(j)].width = 14
    ws.freeze_panes = "A2"


def write_workbook(
    path: Path,
    results: pa.Table,
    items: pa.Table,
    m: Method,
    meta: RunMeta,
    agg: Aggregates,
    log: RunLog | None = None,
) -> Path:
    """The bureau's workbook: 汇总 first, one sheet per cohort, then 异议 and 调档."""
    # Imported here: evaluation_log uses this module's ``neutralise``.
    from jingxin.reports.evaluation_log import RunLog, add_log_sheets

    wb = Workbook()
    summary = wb.active
    summary.title = "汇总"
    _summary_sheet(summary, m, meta, agg)
    classes = m.classification.classes
    fills = {
        c: PatternFill("solid", fgColor=CLASS_FILLS[3 if k == len(classes) - 1 else min(k, 2)])
        for k, c in enumerate(classes)
    }
    for cohort in m.cohorts:
        ws = wb.create_sheet(_sheet_title(cohort.name))
        head = _header(cohort, m)
        ws.append(head)
        _style_header(ws, len(head))
        class_cols = [head.index(h) + 1 for h in ("初评等级", "否决后等级", "最终等级")]
        for line in result_rows(results, items, m, cohort):
            # Sums of 万元 amounts carry binary noise (4665.899999999999): store what a
            # reader sees; the JSON and the store keep full precision.
            ws.append([round(v, 6) if isinstance(v, float) else v for v in line])
            row = ws.max_row
            for j in class_cols:
                cell = ws.cell(row=row, column=j)
                if cell.value in fills:
                    cell.fill = fills[cell.value]
        ws.column_dimensions[get_column_letter(len(head))].width = 80
    add_log_sheets(wb, log or RunLog())
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(str(path))
    return path


def _sheet_title(name: str) -> str:
    for ch in "[]:*?/\\":
        name = name.replace(ch, "")
    return name[:31]


def _summary_tables(m: Method, agg: Aggregates) -> list[Table]:
    classes = m.classification.classes
    cl_head = [f"{c}类" for c in classes] + ["不定等级"]

    def cls_cells(r: dict[str, Any]) -> list[str]:
        return [str(r[f"class_{c}"]) for c in classes] + [str(r["ungraded"])]

    def num(x: float | None, d: int = 2) -> str:
        return "" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:,.{d}f}"

    cohort_names = {c.key: c.name for c in m.cohorts}
    out = [
        Table(
            "各类企业评价结果",
            ["评价对象", "企业数", *cl_head, "亩均税收(万元/亩)", "亩均增加值(万元/亩)"],
            [
                [
                    cohort_names.get(r["cohort"], r["cohort"]),
                    str(r["n"]),
                    *cls_cells(r),
                    num(r["tax_per_mu"]),
                    num(r["va_per_mu"]),
                ]
                for r in agg.by_cohort.to_pylist()
            ],
        ),
        Table(
            "分县（市、区）评价结果",
            ["县（市、区）", "企业数", *cl_head, "亩均税收(万元/亩)", "亩均增加值(万元/亩)"],
            [
                [
                    r["region_name"],
                    str(r["n"]),
                    *cls_cells(r),
                    num(r["tax_per_mu"]),
                    num(r["va_per_mu"]),
                ]
                for r in agg.by_county.to_pylist()
            ],
        ),
        Table(
            "分产业评价结果",
            ["产业", "企业数", *cl_head, "亩均税收(万元/亩)", "亩均增加值(万元/亩)"],
            [
                [
                    r["group_name"],
                    str(r["n"]),
                    *cls_cells(r),
                    num(r["tax_per_mu"]),
                    num(r["va_per_mu"]),
                ]
                for r in agg.by_group.to_pylist()
            ],
        ),
        Table(
            "重点工业平台评价结果",
            ["平台", "企业数", *cl_head, "亩均税收(万元/亩)", "亩均增加值(万元/亩)"],
            [
                [
                    r["platform"],
                    str(r["n"]),
                    *cls_cells(r),
                    num(r["tax_per_mu"]),
                    num(r["va_per_mu"]),
                ]
                for r in agg.by_platform.to_pylist()
            ],
        ),
        Table(
            "重点工业平台监测指标",
            ["平台", "亩均税收(万元/亩)", "比上年增长(%)", "区域贡献(%)", "比上年增减(百分点)"],
            [
                [
                    r["platform"],
                    num(r["tax_per_mu"]),
                    num(r["tax_per_mu_growth_pct"], 1),
                    num(r["contribution_pct"]),
                    num(r["contribution_change_pp"]),
                ]
                for r in agg.platforms.to_pylist()
            ],
        ),
    ]
    return out


def _summary_sheet(ws: Any, m: Method, meta: RunMeta, agg: Aggregates) -> None:
    ws.append([f"{meta.year}年度工业企业亩均效益综合评价结果汇总"])
    ws["A1"].font = Font(bold=True, size=14)
    version = f"第{meta.version}版" if meta.version else "未保存"
    ws.append(["评价办法", neutralise(m.name)])
    ws.append(["评价办法校验值(SHA-256)", meta.method_sha256])
    ws.append(["输入数据校验值(SHA-256)", meta.inputs_sha256])
    ws.append(["版本与状态", f"{version}，{meta.status}"])
    for t in _summary_tables(m, agg):
        ws.append([])
        ws.append([t.caption])
        ws.cell(row=ws.max_row, column=1).font = Font(bold=True)
        ws.append(t.header)
        for j in range(1, len(t.header) + 1):
            ws.cell(row=ws.max_row, column=j).font = Font(bold=True)
        for row in t.rows:
            ws.append([neutralise(x) for x in row])
    ws.append([])
    ws.append(["说明", "有效投入（工业投资/亩）暂无投资数据，未计算。"])
    ws.column_dimensions["A"].width = 28
    for col in "BCDEFGHIJ":
        ws.column_dimensions[col].width = 16


def write_csv(path: Path, results: pa.Table, items: pa.Table, m: Method) -> Path:
    """All enterprises in one CSV (UTF-8 with BOM so Excel reads the Chinese headers)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(_header(None, m))
        w.writerows(result_rows(results, items, m, None))
    return path


def write_json(
    path: Path, results: pa.Table, items: pa.Table, m: Method, meta: RunMeta, agg: Aggregates
) -> Path:
    """A JSON document a web interface can serve: run, method, aggregates, enterprises."""
    by_firm: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for it in items.to_pylist():
        by_firm[it["uscc"]].append({k: v for k, v in it.items() if k != "uscc"})
    doc = {
        "run": meta.__dict__,
        "method": json.loads(m.canonical()),
        "aggregates": {
            "by_cohort": agg.by_cohort.to_pylist(),
            "by_county": agg.by_county.to_pylist(),
            "by_group": agg.by_group.to_pylist(),
            "by_platform": agg.by_platform.to_pylist(),
            "platforms": agg.platforms.to_pylist(),
        },
        "enterprises": [r | {"items": by_firm[r["uscc"]]} for r in results.to_pylist()],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps(doc, ensure_ascii=False, indent=1, default=_json_default), encoding="utf-8"
    )
    return path


def _json_default(x: Any) -> Any:
    return str(x)


def write_summary_docx(
    path: Path, results: pa.Table, m: Method, meta: RunMeta, agg: Aggregates
) -> Path:
    """The Word summary (official-document look, via ``reports/word.py``)."""
    worst = m.worst
    rows = results.to_pylist()
    n = len(rows)
    graded = sum(1 for r in rows if r["exempt_reason"] is None)
    charged = [r for r in rows if r["surcharge_rate"]]
    amount = sum(r["surcharge"] or 0 for r in charged)
    tables = _summary_tables(m, agg)
    version = f"第{meta.version}版，{meta.status}" if meta.version else meta.status
    doc = Document(
        title=f"{meta.year}年度工业企业亩均效益综合评价情况",
        issuer=f"（{version}）",
        sections=[
            Section(
                "一、评价范围和方法",
                [
                    f"本次评价按《{m.name}》进行，共评价企业{n:,}家，其中参加排序定级{graded:,}家，"
                    f"不定等级{n - graded:,}家。评价办法校验值 {meta.method_sha256[:16]}…，"
                    f"输入数据校验值 {meta.inputs_sha256[:16]}…，据此可重现本结果。",
                ],
            ),
            Section("二、评价结果", [], [tables[0]]),
            Section("三、分县（市、区）情况", [], [tables[1]]),
            Section("四、分产业情况", [], [tables[2]]),
            Section(
                "五、重点工业平台",
                ["有效投入（工业投资/亩）暂无投资数据，未列入。"],
                [tables[3], tables[4]],
            ),
            Section(
                "六、差别化电价",
                [
                    f"{worst}类企业执行差别电价{len(charged):,}家，按本年用电量测算加价合计"
                    f"{amount:,.2f}万元。"
                ],
            ),
        ],
    )
    return write_docx(doc, path)


def write_outputs(
    xlsx: Path,
    results: pa.Table,
    items: pa.Table,
    m: Method,
    meta: RunMeta,
    agg: Aggregates,
    log: RunLog | None = None,
) -> EvaluationFiles:
    """Write the workbook at ``xlsx`` and the CSV, JSON and Word files beside it."""
    return EvaluationFiles(
        write_workbook(xlsx, results, items, m, meta, agg, log),
        write_csv(xlsx.with_suffix(".csv"), results, items, m),
        write_json(xlsx.with_suffix(".json"), results, items, m, meta, agg),
        write_summary_docx(xlsx.with_suffix(".docx"), results, m, meta, agg),
    )


def write_run(store: Any, run: Any, xlsx: Path, scope: Scope) -> tuple[EvaluationFiles, Aggregates]:
    """Write a stored evaluation run's workbook, CSV, JSON and Word summary at ``xlsx``.

    The aggregates are computed over the whole city, so only ``Scope.city()`` may write them.
    """
    from jingxin.evaluation import queries
    from jingxin.evaluation.aggregates import aggregate
    from jingxin.evaluation.workflow import read_results
    from jingxin.reports.evaluation_log import RunLog

    backend = store.backend(scope)
    results, items = read_results(store, run.id, scope)
    meta = RunMeta(
        run.year,
        run.id,
        run.version,
        run.status_zh,
        run.method_name,
        run.method_sha256,
        run.inputs_sha256,
    )
    agg = aggregate(backend, results, run.method, run.year)
    log = RunLog(queries.objections(store, run.id, scope), queries.regrades(store, run.id, scope))
    return write_outputs(xlsx, results, items, run.method, meta, agg, log), agg
