"""供电公司: monthly electricity by meter account (用电量) and the crosswalk of accounts to
enterprises (用电户号对照表). An enterprise's accounts are summed; an account the crosswalk
does not know is held with a suggestion.
"""

from __future__ import annotations

from typing import Any

from jingxin.ingest.context import Context
from jingxin.ingest.issues import Reason
from jingxin.ingest.kinds.common import USCC, built, held, prov, table
from jingxin.ingest.kinds.one_to_one import one_to_one
from jingxin.ingest.schemas import Built, Column, Kind, Record

__all__ = ["ELECTRICITY", "GRID_ACCOUNT"]


def _build_electricity(records: list[Record], ctx: Context) -> Built:
    sums: dict[tuple[str, str], list[Any]] = {}
    kept = []
    for rec in records:
        account, name = rec.values.get("account"), rec.values.get("account_name")
        series = dict(rec.series.get("kwh_by_month", {}))
        if rec.values.get("kwh") is not None:
            period = rec.values.get("period") or ctx.period
            if period is None:
                ctx.issues.error(
                    Reason.REQUIRED,
                    "缺少年月：请填写年月列，或导入时用 --period 指定",
                    **rec.at(),
                )
                continue
            series[period] = rec.values["kwh"]
        if not ctx.once("grid_row", (account,), rec, "account"):
            continue
        code = ctx.grid_accounts.get(str(account)) if account else None
        if code is None and rec.values.get("uscc"):
            code = ctx.uscc(rec, "uscc")
        if code is None:
            confirmed, suggestion = ctx.match_name(name)
            # a name confirmed before suggests its enterprise: a new account or taxpayer id
            # under it is still held, for a person to confirm (`confirm NAME` then suffices)
            suggestion = confirmed or suggestion
            for period, kwh in series.items():
                kept.append(
                    held(
                        rec,
                        "electricity",
                        str(name or account),
                        suggestion,
                        {"account": account, "period": period, "kwh": kwh},
                        ctx,
                    )
                )
            continue
        for period, kwh in series.items():
            if kwh is None:
                continue
            if ctx.period and len(ctx.period) == 7 and period != ctx.period:
                ctx.issues.error(
                    Reason.PERIOD,
                    f"电量月份 {period} 与文件期别 {ctx.period} 不符",
                    **rec.at(),
                    value=period,
                )
                continue
            acc = sums.setdefault((code, period), [0.0, rec])
            acc[0] += kwh
    rows = [
        {"uscc": u, "period": p, "kwh": total, **prov(rec)}
        for (u, p), (total, rec) in sorted(sums.items())
    ]
    return built({"electricity": table(rows, "electricity")}, unmatched=kept)


ELECTRICITY = Kind(
    "electricity",
    "用电量",
    "供电公司",
    (
        Column("account", "户号", ("用电户号", "客户编号", "户 号"), type="code", required=True),
        Column("account_name", "户名", ("用电户名", "客户名称", "用户名称")),
        Column("uscc", "统一社会信用代码", USCC.aliases, type="uscc"),
        Column("period", "年月", ("期别", "月份", "电费年月"), type="period"),
        Column(
            "kwh",
            "用电量",
            ("电量", "月用电量"),
            type="number",
            dim="electricity",
            unit="千瓦时",
            minimum=0,
        ),
        Column(
            "kwh_by_month",
            "电量YYYYMM",
            (),
            type="number",
            dim="electricity",
            unit="千瓦时",
            minimum=0,
            pattern=r"电量(\d{6})",
        ),
    ),
    _build_electricity,
    tables=("electricity", "unmatched_row"),
    at_least_one_of=("kwh", "kwh_by_month"),
    example={
        "account": "3300123456",
        "account_name": "湖州示例纺织有限公司",
        "period": "2016-06",
        "kwh": 1234567,
    },
    doc="供电公司按户号导出的月用电量（千瓦时）；户号经对照表对应到企业，一企多户合并。",
)


def _account_name(rec: Record, ctx: Context) -> Any:
    return rec.values.get("account_name") or ""


GRID_ACCOUNT = Kind(
    "grid_account",
    "用电户号对照表",
    "供电公司 / 经信局",
    (
        ELECTRICITY.column("account"),
        ELECTRICITY.column("account_name"),
        USCC,
    ),
    one_to_one("grid_account", {"account_name": _account_name}, upsert=True),
    tables=("grid_account",),
    period="none",
    example={
        "account": "3300123456",
        "account_name": "湖州示例纺织有限公司",
        "uscc": "91330502MA2B00000N",
    },
    doc="户号与企业的对应关系（一企可多户）。",
)
