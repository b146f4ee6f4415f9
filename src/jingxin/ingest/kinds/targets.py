"""市经信委: annual targets of the city and their decomposition to counties (年度目标).

Each row is one target (one-to-one); the rule across rows is that an additive indicator's
county targets add up to the city's.
"""

from __future__ import annotations

from typing import Any

from jingxin.ingest.context import Context
from jingxin.ingest.issues import Reason
from jingxin.ingest.kinds.common import REGION, fmt
from jingxin.ingest.kinds.one_to_one import coded, one_to_one
from jingxin.ingest.schemas import Column, Kind, Record
from jingxin.reference.vocabulary import TARGET_BASIS

__all__ = ["TARGET"]


def _check_decomposition(rows: list[dict[str, Any]], records: list[Record], ctx: Context) -> None:
    """Where a file holds a city's additive target and its counties', they add up."""
    from jingxin.reference import region_name, regions
    from jingxin.tracking.catalogue import is_additive_target

    reg = regions()
    city_rows = {
        (r["indicator"], r["year"], r["region_code"]): r
        for r in rows
        if r["basis"] == "value" and reg[r["region_code"]].level == "地级市"
    }
    parts: dict[tuple[str, int, str], list[float]] = {}
    for r in rows:
        parent = reg[r["region_code"]].parent
        if (
            r["basis"] == "value"
            and parent is not None
            and (r["indicator"], r["year"], parent) in city_rows
        ):
            parts.setdefault((r["indicator"], r["year"], parent), []).append(r["value"])
    for part_key, values in sorted(parts.items()):
        city = city_rows[part_key]
        indicator, year, code = part_key
        total = sum(values)
        if not is_additive_target(indicator):
            continue
        if abs(total - city["value"]) > 1e-6 * max(1.0, abs(city["value"])):
            ctx.issues.error(
                Reason.TOTAL,
                f"指标 {indicator} 的 {year} 年目标分解不平衡：{region_name(code)}目标为 "
                f"{fmt(city['value'])}，{len(values)} 个县区目标合计 {fmt(total)}，相差 "
                f"{fmt(total - city['value'])}；该指标可加总，各县区目标之和应等于全市目标",
                sheet=city["source_sheet"],
                row=city["source_row"],
                column=records[0].headers.get("value"),
                value=city["value"],
            )


def _indicator(rec: Record, ctx: Context) -> str:
    return str(rec.values["indicator"])


TARGET = Kind(
    "target",
    "年度目标",
    "市经信委",
    (
        Column("indicator", "指标代码", ("指标",), type="text", required=True),
        Column(
            "region",
            REGION.label,
            (*REGION.aliases, "地区", "地区代码"),
            type="code",
            required=True,
            note="全市目标填市（如 湖州市），分解目标填县区",
        ),
        Column("year", "年度", ("目标年度",), type="year"),
        Column(
            "basis",
            "口径",
            ("目标口径", "目标类型"),
            choices=tuple(TARGET_BASIS.values()),
            note="默认 总量；增速、比率单位为 %",
        ),
        Column("value", "目标值", ("目标", "年度目标"), type="number", required=True),
    ),
    one_to_one(
        "target",
        {"indicator": _indicator, "basis": coded("basis", TARGET_BASIS, default="value")},
        check=_check_decomposition,
    ),
    tables=("target",),
    period="year",
    example={
        "indicator": "investment_industrial",
        "region": "湖州市",
        "year": 2016,
        "basis": "总量",
        "value": 6560000,
    },
    doc="市经信委下达的年度目标及其分解到县区；可加总的指标各县区之和应等于全市目标。",
)
