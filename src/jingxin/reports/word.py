"""Word output in an official-document look: 小标宋-style title, 仿宋 body, numbered parts."""

from __future__ import annotations

from pathlib import Path

from docx import Document as new_docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.text.run import Run

from jingxin.reports.document import Document

__all__ = ["write_docx"]

TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
BODY_FONT = "仿宋_GB2312"


def _font(run: Run, name: str, size: float, bold: bool = False) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    rpr = run._element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), name)


def write_docx(doc: Document, path: Path) -> Path:
    """Write ``doc`` as a .docx file (A4, GB/T 9704-like margins and fonts)."""
    d = new_docx()
    sec = d.sections[0]
    sec.page_height, sec.page_width = Cm(29.7), Cm(21.0)
    sec.top_margin, sec.bottom_margin = Cm(3.7), Cm(3.5)
    sec.left_margin, sec.right_margin = Cm(2.8), Cm(2.6)
    p = d.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(p.add_run(doc.title), TITLE_FONT, 22)
    p = d.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(p.add_run(doc.issuer), BODY_FONT, 16)
    if doc.as_of:
        p = d.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _font(p.add_run(doc.as_of), BODY_FONT, 10)
    for s in doc.sections:
        h = d.add_paragraph()
        h.paragraph_format.first_line_indent = Pt(32)
        _font(h.add_run(s.heading), HEADING_FONT, 16)
        for text in s.paragraphs:
            para = d.add_paragraph()
            para.paragraph_format.first_line_indent = Pt(32)
            para.paragraph_format.line_spacing = Pt(28)
            _font(para.add_run(text), BODY_FONT, 16)
        for t in s.tables:
            cap = d.add_paragraph()
            cap.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _font(cap.add_run(t.caption), HEADING_FONT, 12)
            table = d.add_table(rows=1, cols=len(t.header))
            table.style = "Table Grid"
            table.alignment = WD_TABLE_ALIGNMENT.CENTER
            for cell, text in zip(table.rows[0].cells, t.header, strict=True):
                cell.text = ""
                _font(cell.paragraphs[0].add_run(text), HEADING_FONT, 10.5)
            for row in t.rows:
                cells = table.add_row().cells
                for cell, text in zip(cells, row, strict=True):
                    cell.text = ""
                    cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
                    _font(cell.paragraphs[0].add_run(text), BODY_FONT, 10.5)
        for c in s.charts:
            d.add_picture(str(c.path), width=Cm(15))
            d.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
            cap = d.add_paragraph()
            cap.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _font(cap.add_run(c.caption), BODY_FONT, 12)
    path.parent.mkdir(parents=True, exist_ok=True)
    d.save(str(path))
    return path
