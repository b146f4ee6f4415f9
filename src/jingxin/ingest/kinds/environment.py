"""生态环境局 and 应急管理局: annual emissions by permit (主要污染物排放, one column per
pollutant) and safety and environment incidents (安全环保事件, the evaluation's vetoes).
"""

from __future__ import annotations

from typing import Any

from jingxin.ingest.context import Context
from jingxin.ingest.kinds.common import NAME, USCC, built, file_year, prov, table
from jingxin.ingest.kinds.one_to_one import coded, one_to_one
from jingxin.ingest.schemas import Built, Column, Kind, Record
from jingxin.reference.vocabulary import INCIDENT_KINDS, POLLUTANTS

__all__ = ["EMISSION", "INCIDENT", "POLLUTANT_COLUMNS", "emission_rows"]

# Emissions by pollutant: one column per pollutant, in the environment bureau's file and in
# the 亩均 collection form alike.
POLLUTANT_COLUMNS = Column(
    "by_pollutant",
    "污染物列",
    (),
    type="number",
    dim="mass",
    unit="吨",
    minimum=0,
    pattern="(" + "|".join(POLLUTANTS.written) + ")",
    template=tuple(f"{label}(吨)" for label in POLLUTANTS.values()),
)


def emission_rows(
    rec: Record, ctx: Context, code: str, year: int, permit: str | None, column: str
) -> list[dict[str, Any]]:
    """The record's pollutant columns as ``emission`` rows (blank stays NULL, not 0)."""
    out = []
    for header, tonnes in rec.series.get("by_pollutant", {}).items():
        pollutant = POLLUTANTS.written[header.upper() if header.isascii() else header]
        if not ctx.once("emission", (code, year, pollutant), rec, column):
            continue
        out.append(
            {
                "uscc": code,
                "year": year,
                "pollutant": pollutant,
                "tonnes": tonnes,
                "permit_no": permit,
                **prov(rec),
            }
        )
    return out


def _build_emission(records: list[Record], ctx: Context) -> Built:
    rows = []
    for rec in records:
        permit = rec.values["permit"]
        code = str(permit)[:18]
        rec.values["_permit_uscc"] = code
        if ctx.uscc(rec, "_permit_uscc") is None:
            continue
        if not ctx.known(rec, code, "permit"):
            continue
        year = file_year(ctx, rec)
        if year is None:
            continue
        rows += emission_rows(rec, ctx, code, year, permit, "permit")
    return built({"emission": table(rows, "emission")})


EMISSION = Kind(
    "emission",
    "主要污染物排放",
    "生态环境局",
    (
        Column(
            "permit",
            "排污许可证编号",
            ("许可证编号", "排污许可证号"),
            type="code",
            required=True,
            note="以统一社会信用代码开头",
        ),
        Column("name", "单位名称", ("企业名称", "排污单位名称")),
        Column("year", "年度", ("年份",), type="year"),
        POLLUTANT_COLUMNS,
    ),
    _build_emission,
    tables=("emission",),
    period="year",
    at_least_one_of=("by_pollutant",),
    example={"permit": "91330502MA2B00000N001P", "name": "湖州示例纺织有限公司", "year": 2016},
    doc="排污许可执行报告中的年排放量（吨），每个污染物一列；空白表示未报告（不同于 0）。",
)


INCIDENT = Kind(
    "incident",
    "安全环保事件",
    "应急管理局 / 生态环境局",
    (
        USCC,
        NAME,
        Column("occurred", "发生日期", ("日期", "处罚日期"), type="date", required=True),
        Column("kind", "事件类型", ("类型",), required=True, choices=tuple(INCIDENT_KINDS.written)),
        Column("severity", "等级", ("事故等级",)),
        Column("note", "说明", ("备注", "情况说明")),
    ),
    one_to_one(
        "incident",
        {
            "kind": coded(
                "kind", INCIDENT_KINDS, required=True, shown="、".join(INCIDENT_KINDS.written)
            )
        },
    ),
    tables=("incident",),
    enterprise_name="name",
    period="year",
    example={
        "uscc": "91330502MA2B00000N",
        "name": "湖州示例纺织有限公司",
        "occurred": "2016-07-03",
        "kind": "安全生产事故",
        "severity": "一般",
    },
    doc="安全生产事故、环境违法等事件，用于评价中的否决项。",
)
