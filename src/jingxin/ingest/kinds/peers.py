"""省经信厅 / 统计局 and 县区经信局: figures published for the province and its other cities
(全省及各市指标) and counts and amounts the counties report (县区报送指标).
"""

from __future__ import annotations

from typing import Any

from jingxin.ingest.context import Context
from jingxin.ingest.issues import Reason
from jingxin.ingest.kinds.common import REGION
from jingxin.ingest.kinds.one_to_one import SKIP, one_to_one
from jingxin.ingest.schemas import Column, Kind, Record

__all__ = ["INDICATOR", "PEER_FIGURE", "REPORTED_VALUE"]

INDICATOR = Column("indicator", "指标代码", ("指标",), type="text", required=True)

PEER_FIGURE = Kind(
    "peer_figure",
    "全省及各市指标",
    "省经信厅 / 统计局",
    (
        INDICATOR,
        Column("region", "地区", ("地区代码", "行政区划代码", "市"), type="code", required=True),
        Column("period", "期别", ("年月",), type="period"),
        Column("value", "数值", ("绝对值", "累计"), type="number"),
        Column("growth_pct", "增速(%)", ("同比增长率", "增长率"), type="number"),
    ),
    one_to_one("peer_figure"),
    tables=("peer_figure",),
    example={
        "indicator": "value_added",
        "region": "330000",
        "period": "2016-12",
        "value": 14008.6,
        "growth_pct": 6.2,
    },
    doc="全省和兄弟地市公布的指标，用于排位和与全省比较。",
)


def _reported(rec: Record, ctx: Context) -> Any:
    value = rec.values.get("value")
    if value is None:
        ctx.issues.error(Reason.REQUIRED, "缺少数值", **rec.at())
        return SKIP
    return value


REPORTED_VALUE = Kind(
    "reported_value",
    "县区报送指标",
    "县区经信局",
    (
        INDICATOR,
        REGION,
        Column("period", "期别", ("年月",), type="period"),
        Column("value", "数值", ("累计", "本年累计"), type="number"),
    ),
    one_to_one("reported_value", {"value": _reported}),
    tables=("reported_value",),
    example={
        "indicator": "new_product_output",
        "region": "330502",
        "period": "2016-12",
        "value": 1234.5,
    },
    doc="县区报送的数量和金额（如新产品产值、基站数），每行一个县区一个指标。",
)
