"""供电公司: monthly electricity by meter account (用电量), daily readings by meter
(日用电量) and the crosswalk of accounts to enterprises (用电户号对照表). An enterprise's
accounts are summed; a monthly row whose account the crosswalk does not know is held with a
suggestion. Daily readings are read as columns (:mod:`jingxin.ingest.columnar`) and kept by
meter: a meter the crosswalk does not know yet counts once it is added.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from jingxin.ingest.columnar import ColumnChecks, read_columns
from jingxin.ingest.context import Context
from jingxin.ingest.issues import Reason
from jingxin.ingest.kinds.common import USCC, built, held, prov, table
from jingxin.ingest.kinds.one_to_one import one_to_one
from jingxin.ingest.schemas import Built, Column, Kind, Record
from jingxin.store.catalog import load_schema

__all__ = ["ELECTRICITY", "GRID_ACCOUNT", "METER_DAILY"]


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


UNKNOWN_LISTED = 50  # meters the crosswalk lacks, named one by one; the rest are counted


def _read_daily(path: Path, ctx: Context) -> Built | None:
    cols = read_columns(path, METER_DAILY, ctx)
    if cols is None:
        return None
    if not cols.count:
        ctx.issues.error(Reason.EMPTY, "文件没有数据行")
        return None
    checks = ColumnChecks(cols, ctx)
    account = checks.required("account")
    day = checks.dates("day")
    kwh = checks.amounts("kwh")
    month = pc.strftime(day, format="%Y-%m")
    months = sorted(m for m in pc.unique(month).to_pylist() if m)
    if ctx.period and len(ctx.period) == 7:
        checks.report(
            "day",
            pc.not_equal(month, ctx.period),
            Reason.PERIOD,
            f"日期不在文件期别 {ctx.period} 内：日用电量按月报送，一个文件一个月",
        )
    elif len(months) > 1:
        ctx.issues.error(
            Reason.PERIOD,
            f"文件含多个月份（{'、'.join(months[:6])}）：日用电量按月报送，一个文件一个月；"
            "或导入时用 --period 指定月份",
        )
    elif months:
        ctx.period = months[0]
    rows = pa.table(
        {
            "account": account,
            "day": day,
            "kwh": kwh,
            "source_row": cols.rows,
            "source_sheet": pa.array([cols.sheet] * cols.count, pa.string()),
        }
    )
    checks.duplicates(("account", "day"), rows, "同一户号同一日期的电量")
    if ctx.issues.has_errors():
        return None
    known = pa.array(list(ctx.grid_accounts), pa.string())
    unknown = pc.unique(pc.filter(rows["account"], pc.invert(pc.is_in(rows["account"], known))))
    for a in unknown.to_pylist()[:UNKNOWN_LISTED]:
        ctx.issues.warn(
            Reason.UNMATCHED,
            "户号不在用电户号对照表中：读数已保存，对照表补充该户号后计入所属企业",
            value=a,
        )
    if len(unknown) > UNKNOWN_LISTED:
        ctx.issues.warn(
            Reason.UNMATCHED,
            f"另有 {len(unknown) - UNKNOWN_LISTED} 个户号不在用电户号对照表中（读数已保存）",
        )
    # the table has no index (tens of millions of rows): its key is checked here and
    # against the store (another file's readings of the same meter and day)
    rows = rows.cast(load_schema("meter_daily"))
    return Built({"meter_daily": rows}, keys={"meter_daily": ("account", "day")})


def _records_unused(records: list[Record], ctx: Context) -> Built:
    raise TypeError("日用电量按列读取（read），不逐行构建")


METER_DAILY = Kind(
    "meter_daily",
    "日用电量",
    "供电公司",
    (
        ELECTRICITY.column("account"),
        ELECTRICITY.column("account_name"),
        Column(
            "day", "日期", ("抄表日期", "用电日期", "数据日期", "日 期"), type="date", required=True
        ),
        Column(
            "kwh",
            "日用电量",
            ("当日电量", "日电量", "用电量", "电量"),
            type="number",
            dim="electricity",
            unit="千瓦时",
            minimum=0,
            required=True,
        ),
    ),
    _records_unused,
    tables=("meter_daily",),
    example={
        "account": "3300123456",
        "account_name": "湖州示例纺织有限公司",
        "day": "2016-02-15",
        "kwh": 41235,
    },
    read=_read_daily,
    doc="供电公司按户号导出的每日用电量（千瓦时），一个文件一个月；"
    "用于节后复工复产和限产影响分析。户号经对照表对应到企业。",
)
