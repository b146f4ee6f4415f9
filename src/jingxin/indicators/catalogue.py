"""The catalogue of measures: declared once, computed by the cube for every output.

A *measure* is summed over enterprises (from the statistics bureau's monthly facts, from
the grid's electricity records, or from counties' reported values). A *ratio* relates two
measures (新产品产值率 = 新产品产值 / 工业总产值); its contribution is the numerator's
increase over the denominator's (新产品产值对总产值增长的贡献率).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["MEASURES", "RATIOS", "Measure", "Ratio", "measure"]

Source = Literal["stats", "grid", "reported"]


@dataclass(frozen=True)
class Measure:
    """A summable measure.

    Attributes
    ----------
    key
        Identifier used in the cube, the API and peer figures.
    label
        Chinese name as printed in reports.
    unit
        Unit of stored values (reports convert, e.g. 万元 → 亿元).
    source
        ``stats``: monthly YTD facts of the year's above-scale sample, with the same
        enterprises' prior-year values (same-sample growth). ``grid``: single-month
        electricity of all industrial users, summed to YTD. ``reported``: YTD values that
        counties report.
    columns
        Stored columns summed to make the measure (stats only).
    comparable
        Growth at comparable prices: current values deflated by the division's PPI.
    """

    key: str
    label: str
    unit: str
    source: Source = "stats"
    columns: tuple[str, ...] = ()
    comparable: bool = False


@dataclass(frozen=True)
class Ratio:
    """A ratio of two measures, in percent, with its change and the numerator's contribution."""

    key: str
    label: str
    numerator: str
    denominator: str


MEASURES: tuple[Measure, ...] = (
    Measure("value_added", "工业增加值", "万元", columns=("value_added",), comparable=True),
    Measure("gross_output", "工业总产值", "万元", columns=("gross_output",)),
    Measure("sales_output", "工业销售产值", "万元", columns=("sales_output",)),
    Measure("export_delivery", "出口交货值", "万元", columns=("export_delivery",)),
    Measure("new_product_output", "新产品产值", "万元", columns=("new_product_output",)),
    Measure("revenue", "营业收入", "万元", columns=("revenue",)),
    Measure("profit", "利润总额", "万元", columns=("profit",)),
    Measure("taxes", "税金总额", "万元", columns=("taxes",)),
    Measure("profit_and_tax", "利税总额", "万元", columns=("profit", "taxes")),
    Measure("employees", "从业人员平均人数", "人", columns=("employees",)),
    Measure("energy", "综合能源消费量", "吨标准煤", columns=("energy",)),
    Measure("electricity", "工业用电量", "万千瓦时", source="grid"),
)

RATIOS: tuple[Ratio, ...] = (
    Ratio("new_product_rate", "新产品产值率", "new_product_output", "gross_output"),
    Ratio("sales_rate", "产品销售率", "sales_output", "gross_output"),
    Ratio("export_rate", "出口交货值率", "export_delivery", "sales_output"),
)


def measure(key: str) -> Measure:
    """Look a measure up by key.

    Examples
    --------
    >>> measure("value_added").comparable
    True
    """
    for m in MEASURES:
        if m.key == key:
            return m
    from jingxin.errors import NotFoundError

    raise NotFoundError(f"未知的指标 {key!r}：可用指标为 {', '.join(m.key for m in MEASURES)}。")
