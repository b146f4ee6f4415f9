"""税务局: taxes paid into the treasury (入库税收), one row per payment in 元 or a column per
征收项目 in 万元. A taxpayer ID that is no credit code is resolved through confirmed
aliases, or the row is held with a suggestion.
"""

from __future__ import annotations

from typing import Any

from jingxin.ingest.context import Context
from jingxin.ingest.issues import Reason
from jingxin.ingest.kinds.common import built, held, prov, table
from jingxin.ingest.schemas import Built, Column, Kind, Record
from jingxin.reference.vocabulary import TAX_TYPES

__all__ = ["TAX"]


def _build_tax(records: list[Record], ctx: Context) -> Built:
    sums: dict[tuple[str, str, str], list[Any]] = {}
    kept = []
    for rec in records:
        v = rec.values
        taxpayer = v.get("uscc")
        code = None
        if taxpayer is not None:
            code = ctx.aliases.get(taxpayer)
            if code is None:
                code = ctx.uscc(rec, "uscc") if len(taxpayer) == 18 else None
        period = ctx.period
        if v.get("paid_on") is not None:
            period = f"{v['paid_on'].year:04d}-{v['paid_on'].month:02d}"
        if period is None or len(period) != 7:
            ctx.issues.error(
                Reason.REQUIRED,
                "缺少入库日期：请填写入库日期，或导入时用 --period 指定年月",
                **rec.at(),
            )
            continue
        amounts = dict(rec.series.get("by_type", {}))
        if v.get("amount") is not None:
            tax_type = v.get("tax_type") or "其他"
            amounts[tax_type] = (amounts.get(tax_type) or 0.0) + v["amount"]
        if code is None:
            confirmed, suggestion = ctx.match_name(v.get("name"))
            # a name confirmed before suggests its enterprise: a new account or taxpayer id
            # under it is still held, for a person to confirm (`confirm NAME` then suffices)
            suggestion = confirmed or suggestion
            for t, a in amounts.items():
                kept.append(
                    held(
                        rec,
                        "tax_paid",
                        str(v.get("name") or taxpayer),
                        suggestion,
                        {"period": period, "tax_type": t, "amount": a, "taxpayer": taxpayer},
                        ctx,
                    )
                )
            continue
        if not ctx.known(rec, code, "uscc"):
            continue
        for t, a in amounts.items():
            if a is None:
                continue
            acc = sums.setdefault((code, period, t), [0.0, rec])
            acc[0] += a
    rows = [
        {"uscc": u, "period": p, "tax_type": t, "amount": a, **prov(rec)}
        for (u, p, t), (a, rec) in sorted(sums.items())
    ]
    return built({"tax_paid": table(rows, "tax_paid")}, unmatched=kept)


TAX = Kind(
    "tax",
    "入库税收",
    "税务局",
    (
        Column(
            "uscc",
            "纳税人识别号",
            ("统一社会信用代码", "识别号", "税号"),
            type="code",
            required=True,
        ),
        Column("name", "纳税人名称", ("企业名称", "企业(单位)名称", "单位名称", "纳税人全称")),
        Column("tax_type", "征收项目", ("税种",), choices=TAX_TYPES),
        Column("paid_on", "入库日期", ("入(退)库日期", "入库时间"), type="date"),
        Column(
            "amount",
            "实缴金额",
            ("实缴(退)金额", "实缴额", "入库金额", "税额"),
            type="number",
            dim="money",
            unit="元",
        ),
        Column(
            "by_type",
            "税种列",
            (),
            type="number",
            dim="money",
            unit="万元",
            pattern="(" + "|".join(TAX_TYPES) + ")",
        ),
    ),
    _build_tax,
    tables=("tax_paid", "unmatched_row"),
    enterprise_name="name",
    at_least_one_of=("amount", "by_type"),
    example={
        "uscc": "91330502MA2B00000N",
        "name": "湖州示例纺织有限公司",
        "tax_type": "增值税",
        "paid_on": "2016-06-15",
        "amount": 310520.00,
    },
    doc="税务局入库税收明细（每行一笔，元），或按税种分列的汇总表（万元，需 --period）。退库为负数。",
)
