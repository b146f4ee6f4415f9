"""``jingxin template KIND``: an .xlsx a sender can fill in — headers with units, a note
row, data validation, and one example row."""

from __future__ import annotations

from pathlib import Path

from jingxin.ingest.kinds import get_kind
from jingxin.ingest.report import safe_cell

__all__ = ["write_template"]


def write_template(kind_key: str, path: Path) -> Path:
    """Write the template of ``kind_key`` to ``path``."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    kind = get_kind(kind_key)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = kind.label[:31]
    columns = [c for c in kind.columns if not c.pattern]
    extra = [(c, h) for c in kind.columns if c.pattern for h in c.template]
    ws.append([c.header() for c in columns] + [h for _, h in extra])
    ws.append([_note(c) for c in columns] + [_note(c) for c, _ in extra])
    ws.append([safe_cell(kind.example.get(c.key)) for c in columns] + [1.5 for _ in extra])
    head = PatternFill("solid", fgColor="DDEBF7")
    for j, c in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=j)
        cell.font = Font(bold=True, color="C00000" if c.required else "000000")
        cell.fill = head
        if c.aliases:
            cell.comment = Comment("也可写作：" + "、".join(c.aliases), "jingxin")
        ws.cell(row=2, column=j).font = Font(italic=True, color="808080")
        letter = get_column_letter(j)
        ws.column_dimensions[letter].width = max(12, len(c.header()) * 2 + 2)
        rng = f"{letter}3:{letter}5000"
        if c.choices:
            dv = DataValidation(
                type="list", formula1='"' + ",".join(c.choices) + '"', allow_blank=not c.required
            )
            dv.error = "请从下拉列表中选择：" + "、".join(c.choices)
        elif c.type in ("number", "int", "year"):
            kind_ = "whole" if c.type in ("int", "year") else "decimal"
            low = c.minimum if c.minimum is not None else -1e15
            dv = DataValidation(
                type=kind_,
                operator="between",
                formula1=str(low),
                formula2=str(c.maximum if c.maximum is not None else 1e15),
                allow_blank=not c.required,
            )
            dv.error = f"应为{'整数' if kind_ == 'whole' else '数字'}"
        elif c.type in ("uscc", "code"):
            ws.column_dimensions[letter].number_format = "@"
            for r in range(3, 6):
                ws.cell(row=r, column=j).number_format = "@"
            continue
        else:
            continue
        dv.showErrorMessage = True
        ws.add_data_validation(dv)
        dv.add(rng)
    if any(c.pattern for c in kind.columns):
        info = wb.create_sheet("说明")
        info.append(["此类文件还可有以下按列展开的数据："])
        for c in kind.columns:
            if c.pattern:
                info.append([c.label, f"列名形如 {c.pattern}", f"单位默认 {c.unit}"])
    ws.freeze_panes = "A3"
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def _note(c: object) -> str:
    from jingxin.ingest.schemas import Column

    assert isinstance(c, Column)
    parts = ["必填" if c.required else "选填"]
    if c.unit:
        parts.append(f"单位：{c.unit}")
    if c.choices:
        parts.append("可选：" + "、".join(c.choices))
    if c.note:
        parts.append(c.note)
    return "；".join(parts)
