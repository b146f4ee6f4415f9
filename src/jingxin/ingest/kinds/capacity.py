"""各县区经信局: the ledger of eliminated backward capacity (淘汰落后产能) and of the
"低小散" (low-end, small, scattered) workshops put right, case by case.

Each row is one case: an enterprise or a workshop (a workshop need not be registered: its
credit code may be blank), its county, the day it was completed, the capacity as written
and the energy it frees (吨标准煤). The green-development figures of the summary are counted
and summed from these cases (the cube's ``backward_capacity_enterprises``,
``backward_capacity_energy`` and ``small_scattered_cases``); a county that sends its list
no longer needs to report the totals.
"""

from __future__ import annotations

from typing import Any

from jingxin.ingest.context import Context
from jingxin.ingest.issues import Reason
from jingxin.ingest.kinds.common import REGION, USCC
from jingxin.ingest.kinds.one_to_one import SKIP, coded, one_to_one
from jingxin.ingest.schemas import Column, Kind, Record
from jingxin.reference.vocabulary import CAPACITY_CASES

__all__ = ["CAPACITY_CASE"]


def _optional_uscc(rec: Record, ctx: Context) -> Any:
    """A workshop may have no credit code; a code given must be valid and registered."""
    if rec.values.get("uscc") is None:
        return None
    code = ctx.uscc(rec, "uscc")
    if code is None or not ctx.known(rec, code, "uscc"):
        return SKIP
    return code


def _closed_on(rec: Record, ctx: Context) -> Any:
    day = rec.values.get("closed_on")
    if day is None:
        return SKIP
    if ctx.period and str(day.year) != ctx.period[:4]:
        ctx.issues.error(
            Reason.PERIOD,
            f"完成日期不在文件年度 {ctx.period[:4]} 年内：台账按年度报送",
            **rec.at("closed_on"),
            value=rec.typed("closed_on"),
        )
        return SKIP
    return day


def _one_year(rows: list[dict[str, Any]], records: list[Record], ctx: Context) -> None:
    """The ledger's year is the file's: given with --period, else its completion dates'."""
    if ctx.period or not rows:
        return
    years = sorted({r["closed_on"].year for r in rows})
    if len(years) == 1:
        ctx.period = str(years[0])
        return
    ctx.issues.error(
        Reason.PERIOD,
        f"台账含多个年度的完成日期（{'、'.join(map(str, years))}）：台账按年度报送，"
        "请分年度报送，或导入时用 --period 指定年度",
    )


CAPACITY_CASE = Kind(
    "capacity_case",
    "淘汰落后产能和“低小散”整治台账",
    "各县区经信局",
    (
        Column("case_id", "台账编号", ("编号", "序号编号", "案件编号"), type="code", required=True),
        Column(
            "kind",
            "类别",
            ("整治类别", "类型"),
            required=True,
            choices=tuple(CAPACITY_CASES.values()),
        ),
        Column(
            "name", "企业（作坊）名称", ("企业名称", "作坊名称", "单位名称", "名称"), required=True
        ),
        Column("uscc", USCC.label, USCC.aliases, type="uscc", note="作坊无代码可不填"),
        REGION,
        Column(
            "closed_on",
            "完成日期",
            ("关停日期", "淘汰日期", "整治完成日期", "日期"),
            type="date",
            required=True,
        ),
        Column("capacity", "淘汰产能", ("淘汰落后产能", "产能", "设备及产能")),
        Column(
            "energy_freed",
            "腾出用能",
            ("腾出用能空间", "节能量", "腾出能耗"),
            type="number",
            dim="energy",
            unit="吨标准煤",
            minimum=0,
        ),
        Column("measure", "整治方式", ("处置方式", "措施")),
    ),
    one_to_one(
        "capacity_case",
        {
            "kind": coded(
                "kind", CAPACITY_CASES, required=True, shown="、".join(CAPACITY_CASES.values())
            ),
            "uscc": _optional_uscc,
            "closed_on": _closed_on,
        },
        check=_one_year,
    ),
    tables=("capacity_case",),
    period="year",
    example={
        "case_id": "WX-2016-001",
        "kind": "淘汰落后产能",
        "name": "湖州示例印染有限公司",
        "uscc": "91330502MA2B00000N",
        "region": "吴兴区",
        "closed_on": "2016-06-30",
        "capacity": "印染生产线 2 条（3,000 万米/年）",
        "energy_freed": 1250,
        "measure": "关停",
    },
    doc="淘汰落后产能和“低小散”整治的逐家台账（企业或作坊、完成日期、产能、腾出用能），"
    "年度总结的绿色发展数字由台账计数、加总。",
)
