"""县区经信局 / 亩均办: the 亩均效益数据采集表, an enterprise's annual figures for the
evaluation and, in the same row, its emissions by pollutant.
"""

from __future__ import annotations

from typing import Any

from jingxin.ingest.context import Context
from jingxin.ingest.kinds.common import NAME, REGION, USCC, built, file_year, prov, table
from jingxin.ingest.kinds.environment import POLLUTANT_COLUMNS, emission_rows
from jingxin.ingest.schemas import Built, Column, Kind, Record
from jingxin.reference.vocabulary import ENTERPRISE_SCALE

__all__ = ["MUJUN"]

# enterprise_annual column → (label, aliases, dimension, unit the form assumes).
_ANNUAL: tuple[tuple[str, str, tuple[str, ...], str, str], ...] = (
    ("land_mu", "用地面积", ("占地面积",), "area", "亩"),
    ("taxes", "实缴税金", ("评价税收", "实缴税收", "税收"), "money", "万元"),
    ("revenue", "营业收入", ("主营业务收入", "销售收入"), "money", "万元"),
    ("value_added", "工业增加值", ("增加值",), "money", "万元"),
    ("rd_expense", "R&D经费支出", ("研发经费支出", "研发费用", "R&D经费"), "money", "万元"),
    (
        "employees",
        "年平均职工人数",
        ("平均职工人数", "从业人员平均人数", "职工人数"),
        "count",
        "人",
    ),
    ("energy_tce", "综合能耗", ("综合能耗(等价值)", "综合能源消费量"), "energy", "吨标煤"),
    ("electricity", "用电量", ("年用电量",), "electricity", "万千瓦时"),
)
ANNUAL_KEYS = tuple(k for k, *_ in _ANNUAL)


def _build_annual(records: list[Record], ctx: Context) -> Built:
    rows: list[dict[str, Any]] = []
    emissions: list[dict[str, Any]] = []
    for rec in records:
        code = ctx.uscc(rec, "uscc")
        if code is None or not ctx.known(rec, code, "uscc"):
            continue
        year = file_year(ctx, rec)
        if year is None or not ctx.once("enterprise_annual", (code, year), rec, "uscc"):
            continue
        rows.append(
            {
                "uscc": code,
                "year": year,
                **{k: rec.values.get(k) for k in ANNUAL_KEYS},
                **prov(rec),
            }
        )
        emissions += emission_rows(rec, ctx, code, year, None, "uscc")
    tables = {"enterprise_annual": table(rows, "enterprise_annual")}
    if emissions:
        tables["emission"] = table(emissions, "emission")
    return built(tables)


MUJUN = Kind(
    "mujun",
    "亩均效益数据采集表",
    "县区经信局 / 亩均办",
    (
        USCC,
        NAME,
        Column("region", REGION.label, REGION.aliases),
        Column("scale", "规模类型", ("规模",), choices=tuple(ENTERPRISE_SCALE.values())),
        Column("year", "年度", ("年份", "评价年度"), type="year"),
        *(
            Column(k, label, aliases, type="number", dim=dim, unit=unit, minimum=0)
            for k, label, aliases, dim, unit in _ANNUAL
        ),
        POLLUTANT_COLUMNS,
    ),
    _build_annual,
    tables=("enterprise_annual", "emission"),
    enterprise_name="name",
    period="year",
    example={
        "uscc": "91330502MA2B00000N",
        "name": "湖州示例纺织有限公司",
        "region": "吴兴区",
        "scale": "规上",
        "year": 2016,
        "land_mu": 50.03,
        "taxes": 454.09,
        "revenue": 14250,
        "value_added": 3020,
        "rd_expense": 430,
        "employees": 312,
        "energy_tce": 4810,
        "electricity": 820.5,
    },
    doc="亩均效益评价的企业年度数据；空白表示未填报（不同于 0）。",
)
