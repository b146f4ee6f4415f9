"""The bulletin as an Excel workbook in the layout leaders read: one sheet per part, a title
row, a two-row header (indicator over 完成 / 增速 / 位次), the city first, then the counties,
numbers as numbers with fixed decimals, frozen headers, behind-schedule cells shaded."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from jingxin.reference import region_name

if TYPE_CHECKING:
    from jingxin.tracking.bulletin import Bulletin

__all__ = ["write_bulletin_xlsx"]

# (header group, sub-header, key, number format)
Col = tuple[str, str, str, str]


def _sheet(
    wb: Any,
    title: str,
    caption: str,
    cols: list[Col],
    rows: list[dict[str, Any]],
    first: str = "地区",
    first_key: str = "region_name",
) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    ws = wb.create_sheet(title)
    thin = Side(style="thin", color="999999")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    ws.cell(row=1, column=1, value=caption).font = Font(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(cols) + 1)
    ws.cell(row=2, column=1, value=first)
    ws.merge_cells(start_row=2, start_column=1, end_row=3, end_column=1)
    j = 2
    while j <= len(cols) + 1:
        group = cols[j - 2][0]
        span = 1
        while j - 2 + span < len(cols) and cols[j - 2 + span][0] == group:
            span += 1
        ws.cell(row=2, column=j, value=group)
        if span > 1:
            ws.merge_cells(start_row=2, start_column=j, end_row=2, end_column=j + span - 1)
        for k in range(span):
            ws.cell(row=3, column=j + k, value=cols[j - 2 + k][1])
        j += span
    for r in (2, 3):
        for c in range(1, len(cols) + 2):
            cell = ws.cell(row=r, column=c)
            cell.font = Font(bold=True)
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            cell.fill = PatternFill("solid", fgColor="DDEBF7")
            cell.border = box
    late = PatternFill("solid", fgColor="FFC7CE")
    for i, row in enumerate(rows, start=4):
        ws.cell(row=i, column=1, value=row.get(first_key)).border = box
        for c, (_, _, key, fmt) in enumerate(cols, start=2):
            value = row.get(key)
            if isinstance(value, bool):
                value = "滞后" if value else "正常"
            cell = ws.cell(row=i, column=c, value=value)
            cell.border = box
            if fmt:
                cell.number_format = fmt
            if key == "behind" and row.get("behind"):
                cell.fill = late
        if i == 4 and first_key == "region_name":
            for c in range(1, len(cols) + 2):
                ws.cell(row=i, column=c).font = Font(bold=True)
    ws.freeze_panes = "B4"
    ws.column_dimensions["A"].width = 14
    for c in range(2, len(cols) + 2):
        ws.column_dimensions[ws.cell(row=3, column=c).column_letter].width = 13


def write_bulletin_xlsx(b: Bulletin, path: Path) -> Path:
    """Write the workbook; returns ``path``."""
    from openpyxl import Workbook

    m = int(b.period[5:7])
    wb = Workbook()
    default = wb.active
    if default is not None:
        wb.remove(default)
    _sheet(
        wb,
        "工业经济",
        f"1-{m}月各县区规上工业主要指标",
        [
            ("规上工业增加值", "1-本月（亿元）", "value_added", "0.0"),
            ("规上工业增加值", "增速（%）", "value_added_growth_pct", "0.0"),
            ("规上工业增加值", "位次", "value_added_rank", "0"),
            ("规上工业增加值", "占全市（%）", "share_pct", "0.0"),
            ("规上工业总产值", "1-本月（亿元）", "gross_output", "0.0"),
            ("规上工业总产值", "增速（%）", "gross_output_growth_pct", "0.0"),
            ("工业用电", "1-本月（亿千瓦时）", "electricity", "0.00"),
            ("工业用电", "增速（%）", "electricity_growth_pct", "0.0"),
            ("工业用电", "位次", "electricity_rank", "0"),
        ],
        b.industry,
    )
    from jingxin.tracking.catalogue import INVESTMENT

    labels = {i.indicator: i.label for i in INVESTMENT}
    for ind, rows in b.investment.items():
        _sheet(
            wb,
            labels[ind][:31],
            f"1-{m}月各县区{labels[ind]}（时间进度 {b.time_pct:.1f}%）",
            [
                (labels[ind], "1-本月（亿元）", "value", "0.00"),
                (labels[ind], "增速（%）", "growth_pct", "0.0"),
                (labels[ind], "增速位次", "rank_growth", "0"),
                ("年度目标", "目标（亿元）", "target", "0.00"),
                ("年度目标", "完成率（%）", "completion_pct", "0.0"),
                ("年度目标", "与时间进度（百分点）", "gap_pp", "0.0"),
                ("年度目标", "进度", "behind", ""),
            ],
            rows,
        )
    if b.projects:
        _sheet(
            wb,
            "重点项目",
            f"1-{m}月各县区重点项目推进情况（时间进度 {b.time_pct:.1f}%）",
            [
                ("项目", "项目数", "projects", "0"),
                ("项目", "在建", "under_construction", "0"),
                ("项目", "新开工", "started", "0"),
                ("项目", "竣工", "completed", "0"),
                ("投资", "1-本月完成（亿元）", "invested", "0.00"),
                ("投资", "年度计划（亿元）", "annual_plan", "0.00"),
                ("投资", "完成率（%）", "completion_pct", "0.0"),
                ("投资", "与时间进度（百分点）", "gap_pp", "0.0"),
                ("投资", "进度", "behind", ""),
            ],
            b.projects,
        )
    if b.targets:
        _sheet(
            wb,
            "目标进度",
            f"1-{m}月分解目标完成情况（时间进度 {b.time_pct:.1f}%）",
            [
                ("指标", "指标", "label", ""),
                ("完成", "1-本月", "value", "#,##0.0"),
                ("完成", "年度目标", "target", "#,##0.0"),
                ("完成", "完成率（%）", "completion_pct", "0.0"),
                ("完成", "与时间进度（百分点）", "gap_pp", "0.0"),
                ("完成", "进度", "behind", ""),
            ],
            b.targets,
        )
    _sheet(
        wb,
        "名单变化",
        f"{b.period[:4]}年{m}月企业名单变化",
        [
            ("本月", "新列入", "entered", "0"),
            ("本月", "退出", "exited", "0"),
        ],
        b.pools,
        first="名单",
        first_key="label",
    )
    wb.properties.title = f"{region_name(b.city)}{b.period}月度通报"
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path
