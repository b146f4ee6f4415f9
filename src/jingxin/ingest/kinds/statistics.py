"""统计局: the monthly form of above-scale industry (规上工业月报, a trimmed wide export of
B204-1 and 财务状况) and the producer price index by division (工业生产者出厂价格指数).
"""

from __future__ import annotations

from typing import Any

from jingxin.ingest.context import Context
from jingxin.ingest.issues import Reason
from jingxin.ingest.kinds.common import NAME, USCC, built, prov, table
from jingxin.ingest.kinds.one_to_one import SKIP, one_to_one
from jingxin.ingest.schemas import Built, Column, Kind, Record
from jingxin.store.schema import FACT_MEASURES

__all__ = ["PRICE_INDEX", "STATS_MONTHLY"]

# Measure → (label, aliases, dimension, unit the form assumes).
_MEASURE_LABELS: dict[str, tuple[str, tuple[str, ...], str | None, str]] = {
    "gross_output": ("工业总产值(当年价格)", ("工业总产值", "总产值"), "money", "千元"),
    "sales_output": ("工业销售产值(当年价格)", ("工业销售产值", "销售产值"), "money", "千元"),
    "export_delivery": ("出口交货值", ("出口交货值(当年价格)",), "money", "千元"),
    "new_product_output": ("新产品产值", (), "money", "千元"),
    "value_added": ("工业增加值", ("增加值",), "money", "千元"),
    "revenue": ("营业收入", ("主营业务收入",), "money", "千元"),
    "profit": ("利润总额", (), "money", "千元"),
    "taxes": ("税金总额", ("应交税金总额", "税金", "税金及附加和应交增值税"), "money", "千元"),
    "employees": ("平均用工人数", ("从业人员平均人数", "平均从业人数"), "count", "人"),
    "energy": ("综合能源消费量", ("综合能耗",), "energy", "吨标准煤"),
}

# A part never exceeds its whole, this year and last.
_PARTS = tuple(
    (part + sfx, whole + sfx)
    for part, whole in (
        ("value_added", "gross_output"),
        ("export_delivery", "sales_output"),
        ("new_product_output", "gross_output"),
    )
    for sfx in ("", "_prior")
)
# Year-to-date flows, never below last month's; not profit (it may fall, even below zero)
# nor employees (a stock: an average headcount, not summed over the months).
_FLOWS = frozenset(
    {
        "gross_output",
        "sales_output",
        "export_delivery",
        "new_product_output",
        "value_added",
        "revenue",
        "taxes",
        "energy",
    }
)


def _measure_columns() -> tuple[Column, ...]:
    cols = []
    for key, (label, aliases, dim, unit) in _MEASURE_LABELS.items():
        for suffix, qualifier in (("", "ytd"), ("_prior", "prior_ytd")):
            cols.append(
                Column(
                    f"{key}{suffix}",
                    label,
                    aliases,
                    type="number",
                    dim=dim,
                    unit=unit,
                    qualifier=qualifier,
                    accumulates=key in _FLOWS and qualifier == "ytd",
                )
            )
    return tuple(cols)


def _build_stats(records: list[Record], ctx: Context) -> Built:
    rows = []
    for rec in records:
        v = rec.values
        code = ctx.uscc(rec, "uscc")
        registered = code is not None and ctx.known(rec, code, "uscc")
        period = _row_period(rec, ctx)  # checked whatever the code: every problem at once
        if code is None or not registered or period is None:
            continue
        if not ctx.once("monthly_fact", (code, period), rec, "uscc"):
            continue
        row: dict[str, Any] = {"uscc": code, "period": period, **prov(rec)}
        for m in FACT_MEASURES:
            row[m], row[f"{m}_prior"] = v.get(m), v.get(f"{m}_prior")
        rows.append(row)
    return built({"monthly_fact": table(rows, "monthly_fact")})


def _row_period(rec: Record, ctx: Context) -> str | None:
    y, m = rec.values.get("year"), rec.values.get("month")
    period = f"{int(y):04d}-{int(m):02d}" if y is not None and m is not None else ctx.period
    if period is None:
        ctx.issues.error(
            Reason.REQUIRED,
            "缺少期别：请填写 期别(年)、期别(月)，或导入时用 --period 指定",
            **rec.at(),
        )
        return None
    if m is not None and not 1 <= int(m) <= 12:
        ctx.issues.error(
            Reason.RANGE,
            "期别(月)应为 1 到 12",
            **rec.at("month"),
            value=m,
        )
        return None
    if ctx.period and len(ctx.period) == 7 and period != ctx.period:
        ctx.issues.error(
            Reason.PERIOD,
            f"本行期别 {period} 与文件期别 {ctx.period} 不符",
            **rec.at(),
            value=period,
        )
        return None
    return period


STATS_MONTHLY = Kind(
    "stats_monthly",
    "规上工业月报",
    "统计局",
    (
        USCC,
        NAME,
        Column("year", "期别(年)", ("年份", "年"), type="year"),
        Column("month", "期别(月)", ("月份", "月"), type="int"),
        *_measure_columns(),
    ),
    _build_stats,
    tables=("monthly_fact",),
    at_least_one_of=("gross_output", "value_added", "revenue"),
    parts=_PARTS,
    enterprise_name="name",
    example={
        "uscc": "91330502MA2B00000N",
        "name": "湖州示例纺织有限公司",
        "year": 2016,
        "month": 6,
        "gross_output": 70120,
        "gross_output_prior": 66800,
        "value_added": 15400,
        "value_added_prior": 14800,
    },
    doc="联网直报导出的规上工业月度数据（宽表），金额默认千元，1-本月累计与上年同期。",
)


def _division(rec: Record, ctx: Context) -> Any:
    code = ctx.industry(rec, "division", digits=2)
    return SKIP if code is None else code


PRICE_INDEX = Kind(
    "price_index",
    "工业生产者出厂价格指数",
    "统计局",
    (
        Column("division", "行业大类代码", ("行业代码", "大类代码"), type="code", required=True),
        Column("period", "期别", ("年月",), type="period"),
        Column(
            "ppi",
            "价格指数",
            ("出厂价格指数", "PPI", "指数(上年同期=100)"),
            type="number",
            required=True,
            minimum=50,
            maximum=200,
        ),
    ),
    one_to_one("price_index", {"division": _division}),
    tables=("price_index",),
    example={"division": "17", "period": "2016-06", "ppi": 98.6},
    doc="分行业大类的工业生产者出厂价格指数（1-本月，上年同期=100），用于可比价增速。",
)
