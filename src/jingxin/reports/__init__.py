"""Reports: the annual summary (Markdown, Word, JSON) and the figure check."""

from __future__ import annotations

from jingxin.reports.annual import AnnualFiles, write_annual
from jingxin.reports.check import SPINE_TABLES, FigureCheck, compare
from jingxin.reports.figures import FIGURES, Figure, annual_figures

__all__ = [
    "FIGURES",
    "SPINE_TABLES",
    "AnnualFiles",
    "Figure",
    "FigureCheck",
    "annual_figures",
    "compare",
    "write_annual",
]
