"""The department sources the platform reads, declared as data: columns with Chinese
headers and aliases, types and units, and how rows become store rows.

A builder receives parsed records (values already in the store's units) and the import's
:class:`~jingxin.ingest.context.Context`; it reports row problems into ``ctx.issues`` and
returns the tables to load. Rows whose enterprise cannot be told from a usable key are not
dropped: they are held in ``unmatched_row`` with a suggestion for an analyst.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from jingxin.ingest.context import Context
from jingxin.ingest.issues import Reason
from jingxin.ingest.schemas import Built, Column, Kind, Record
from jingxin.reference.tables import INDUSTRY_EDITION
from jingxin.store.schema import FACT_MEASURES
from jingxin.tracking.catalogue import (
    EXIT_REASONS,
    POOL_LEVELS,
    POOLS,
    PROJECT_CATEGORIES,
    PROJECT_LISTS,
)

__all__ = ["KINDS", "get_kind"]

_USCC = Column(
    "uscc",
    "统一社会信用代码",
    ("社会信用代码", "信用代码", "统一代码", "统一社会信用代码(组织机构代码)", "USCC"),
    type="uscc",
    required=True,
)
_NAME = Column(
    "name", "企业名称", ("单位详细名称", "单位名称", "企业(单位)名称", "纳税人名称", "名称")
)
_PROV = {"source_row": pa.int32(), "source_sheet": pa.string()}


def _table(rows: list[dict[str, Any]], schema: dict[str, pa.DataType]) -> pa.Table:
    full = pa.schema({**schema, **_PROV})
    return pa.Table.from_pylist(rows, schema=full)


def _prov(rec: Record) -> dict[str, Any]:
    return {"source_row": rec.row, "source_sheet": rec.sheet}


def _file_year(ctx: Context, rec: Record, key: str = "year") -> int | None:
    year = rec.values.get(key)
    if year is None and ctx.period:
        year = int(ctx.period[:4])
    if year is None:
        ctx.issues.error(
            Reason.REQUIRED,
            "缺少年度：请在文件中填写年度列，或导入时用 --period 指定",
            **rec.at(),
        )
    return int(year) if year is not None else None


def _held(
    rec: Record,
    target: str,
    name: str,
    suggestion: str | None,
    payload: dict[str, Any],
    ctx: Context,
) -> dict[str, Any]:
    hint = f"疑似企业 {suggestion}（{ctx.enterprises[suggestion][0]}），" if suggestion else ""
    ctx.issues.warn(
        Reason.UNMATCHED,
        f"无法确定所属企业：{hint}该行已暂存，待分析人员确认对应关系"
        "（jingxin crosswalk confirm）后入库",
        **rec.at(),
        value=name,
    )
    return {
        "target": target,
        "name": name,
        "suggestion": suggestion,
        "payload": payload,
        **_prov(rec),
    }


_UNMATCHED_SCHEMA = {
    "target": pa.string(),
    "name": pa.string(),
    "suggestion": pa.string(),
    "payload": pa.string(),
}


def _unmatched_table(rows: list[dict[str, Any]]) -> pa.Table:
    import json

    out = [
        {**r, "payload": json.dumps(r["payload"], ensure_ascii=False, default=str)} for r in rows
    ]
    return _table(out, _UNMATCHED_SCHEMA)


# -- 企业名录 ------------------------------------------------------------------------------------
_SCALE = {
    "规上": "above",
    "规模以上": "above",
    "规下": "below",
    "规模以下": "below",
    "above": "above",
    "below": "below",
}
_STATUS = {
    "在营": "operating",
    "正常": "operating",
    "营业": "operating",
    "停产": "suspended",
    "停业": "suspended",
    "关闭": "closed",
    "关停": "closed",
    "注销": "deregistered",
}


def _build_register(records: list[Record], ctx: Context) -> Built:
    ent, scale, status = [], [], []
    for rec in records:
        code = ctx.uscc(rec, "uscc")
        region = ctx.region(rec, "region")
        industry = ctx.industry(rec, "industry")
        v = rec.values
        if code is None or region is None or industry is None:
            continue
        if not ctx.once("enterprise", (code,), rec, "uscc"):
            continue
        flags = [
            f
            for f in str(v.get("flags") or "").replace("，", ",").replace("、", ",").split(",")
            if f.strip()
        ]
        ent.append(
            {
                "uscc": code,
                "name": v["name"],
                "region_code": region,
                "platform": v.get("platform"),
                "industry_code": industry,
                "industry_edition": INDUSTRY_EDITION,
                "founded": v.get("founded"),
                "land_mu": v.get("land_mu"),
                "flags": [f.strip() for f in flags],
                **_prov(rec),
            }
        )
        if v.get("scale") is not None:
            s = _SCALE.get(str(v["scale"]))
            year = _file_year(ctx, rec)
            if s is None:
                ctx.issues.error(
                    Reason.TYPE,
                    "规模类型应为“规上”或“规下”",
                    **rec.at("scale"),
                    value=v["scale"],
                )
            elif year is not None:
                scale.append({"uscc": code, "year": year, "scale": s, **_prov(rec)})
        if v.get("status") is not None:
            st = _STATUS.get(str(v["status"]))
            since = v.get("status_from")
            if st is None:
                ctx.issues.error(
                    Reason.TYPE,
                    "状态应为 在营、停产、关闭 或 注销",
                    **rec.at("status"),
                    value=v["status"],
                )
            elif since is None:
                ctx.issues.error(
                    Reason.REQUIRED, "填写了状态时应同时填写状态日期", sheet=rec.sheet, row=rec.row
                )
            else:
                status.append(
                    {
                        "uscc": code,
                        "valid_from": since,
                        "status": st,
                        "reason": v.get("status_reason"),
                        **_prov(rec),
                    }
                )
    tables = {
        "enterprise": _table(
            ent,
            {
                "uscc": pa.string(),
                "name": pa.string(),
                "region_code": pa.string(),
                "platform": pa.string(),
                "industry_code": pa.string(),
                "industry_edition": pa.string(),
                "founded": pa.date32(),
                "land_mu": pa.float64(),
                "flags": pa.list_(pa.string()),
            },
        ),
    }
    if scale:
        tables["enterprise_scale"] = _table(
            scale, {"uscc": pa.string(), "year": pa.int32(), "scale": pa.string()}
        )
    if status:
        tables["enterprise_status"] = _table(
            status,
            {
                "uscc": pa.string(),
                "valid_from": pa.date32(),
                "status": pa.string(),
                "reason": pa.string(),
            },
        )
    return Built(
        tables,
        upsert={
            "enterprise": ("uscc",),
            "enterprise_scale": ("uscc", "year"),
            "enterprise_status": ("uscc", "valid_from"),
        },
        keys={
            "enterprise": ("uscc",),
            "enterprise_scale": ("uscc", "year"),
            "enterprise_status": ("uscc", "valid_from"),
        },
    )


REGISTER = Kind(
    "register",
    "企业名录",
    "市场监管局 / 统计局",
    (
        _USCC,
        Column("name", "企业名称", _NAME.aliases, required=True),
        Column(
            "region",
            "县（市、区）",
            ("县(市、区)", "县市区", "县区", "区县", "所在地区", "行政区划代码", "地区"),
            type="code",
            required=True,
        ),
        Column(
            "industry",
            "行业代码",
            ("国民经济行业代码", "行业小类代码", "行业小类"),
            type="code",
            required=True,
            note="GB/T 4754-2017 小类，4 位",
        ),
        Column("founded", "成立日期", ("开业日期", "注册日期"), type="date"),
        Column(
            "land_mu", "用地面积", ("占地面积",), type="number", dim="area", unit="亩", minimum=0
        ),
        Column("platform", "所属平台", ("所属园区", "园区", "产业平台")),
        Column("flags", "产业标记", ("标记",), note="如 strategic_emerging、high_tech，用顿号分隔"),
        Column("year", "年度", ("年份",), type="year"),
        Column("scale", "规模类型", ("规模", "是否规上"), choices=("规上", "规下")),
        Column("status", "经营状态", ("状态",), choices=("在营", "停产", "关闭", "注销")),
        Column("status_from", "状态日期", ("状态起始日期",), type="date"),
        Column("status_reason", "状态原因", ("原因",)),
    ),
    _build_register,
    period="none",
    example={
        "uscc": "91330502MA2B00000N",
        "name": "湖州示例纺织有限公司",
        "region": "吴兴区",
        "industry": "1713",
        "founded": "2008-05-12",
        "land_mu": 50.03,
        "platform": "吴兴高新区",
        "year": 2016,
        "scale": "规上",
    },
    doc="企业名录及其变更：新企业写入，已有企业按信用代码更新（留痕）。",
)


# -- 规上工业月报 (B204-1 + 财务状况, trimmed wide export) -------------------------------------------
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


def _measure_columns() -> tuple[Column, ...]:
    cols = []
    for key, (label, aliases, dim, unit) in _MEASURE_LABELS.items():
        cols.append(
            Column(
                key,
                label,
                aliases,
                type="number",
                dim=dim,
                unit=unit,
                qualifier="ytd",
            )
        )
        cols.append(
            Column(
                f"{key}_prior",
                label,
                aliases,
                type="number",
                dim=dim,
                unit=unit,
                qualifier="prior_ytd",
            )
        )
    return tuple(cols)


def _build_stats(records: list[Record], ctx: Context) -> Built:
    rows = []
    for rec in records:
        v = rec.values
        code = ctx.uscc(rec, "uscc")
        if code is None or not ctx.known(rec, code, "uscc"):
            continue
        period = _row_period(rec, ctx)
        if period is None or not ctx.once("monthly_fact", (code, period), rec, "uscc"):
            continue
        for part, whole in (
            ("value_added", "gross_output"),
            ("export_delivery", "sales_output"),
            ("new_product_output", "gross_output"),
        ):
            for sfx in ("", "_prior"):
                a, b = v.get(part + sfx), v.get(whole + sfx)
                if a is not None and b is not None and a > b + 1e-9:
                    lab = _MEASURE_LABELS
                    ctx.issues.error(
                        Reason.CROSS_FIELD,
                        f"{lab[part][0]}（{a:g} 万元）不应大于{lab[whole][0]}（{b:g} 万元）",
                        **rec.at(part + sfx),
                        value=a,
                    )
        rows.append(
            {
                "uscc": code,
                "period": period,
                **{m: v.get(m) for m in FACT_MEASURES},
                **{f"{m}_prior": v.get(f"{m}_prior") for m in FACT_MEASURES},
                **_prov(rec),
            }
        )
    schema = {
        "uscc": pa.string(),
        "period": pa.string(),
        **{m: pa.float64() for m in FACT_MEASURES},
        **{f"{m}_prior": pa.float64() for m in FACT_MEASURES},
    }
    # keep the store's column order
    order = {"uscc": pa.string(), "period": pa.string()}
    for m in FACT_MEASURES:
        order[m] = schema[m]
        order[f"{m}_prior"] = schema[f"{m}_prior"]
    return Built({"monthly_fact": _table(rows, order)}, keys={"monthly_fact": ("uscc", "period")})


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
        _USCC,
        _NAME,
        Column("year", "期别(年)", ("年份", "年"), type="year"),
        Column("month", "期别(月)", ("月份", "月"), type="int"),
        *_measure_columns(),
    ),
    _build_stats,
    at_least_one_of=("gross_output", "value_added", "revenue"),
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


# -- 电量 (grid) ----------------------------------------------------------------------------------
def _build_electricity(records: list[Record], ctx: Context) -> Built:
    sums: dict[tuple[str, str], list[Any]] = {}
    held = []
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
            _, suggestion = ctx.match_name(name)
            for period, kwh in series.items():
                held.append(
                    _held(
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
        {"uscc": u, "period": p, "kwh": total, **_prov(rec)}
        for (u, p), (total, rec) in sorted(sums.items())
    ]
    tables = {
        "electricity": _table(
            rows, {"uscc": pa.string(), "period": pa.string(), "kwh": pa.float64()}
        )
    }
    if held:
        tables["unmatched_row"] = _unmatched_table(held)
    return Built(tables, keys={"electricity": ("uscc", "period")}, unmatched=held)


ELECTRICITY = Kind(
    "electricity",
    "用电量",
    "供电公司",
    (
        Column("account", "户号", ("用电户号", "客户编号", "户 号"), type="code", required=True),
        Column("account_name", "户名", ("用电户名", "客户名称", "用户名称")),
        Column("uscc", "统一社会信用代码", _USCC.aliases, type="uscc"),
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
    at_least_one_of=("kwh", "kwh_by_month"),
    example={
        "account": "3300123456",
        "account_name": "湖州示例纺织有限公司",
        "period": "2016-06",
        "kwh": 1234567,
    },
    doc="供电公司按户号导出的月用电量（千瓦时）；户号经对照表对应到企业，一企多户合并。",
)


def _build_grid_account(records: list[Record], ctx: Context) -> Built:
    rows = []
    for rec in records:
        code = ctx.uscc(rec, "uscc")
        account = rec.values.get("account")
        if code is None or not ctx.known(rec, code, "uscc"):
            continue
        if not ctx.once("grid_account", (account,), rec, "account"):
            continue
        rows.append(
            {
                "account": account,
                "account_name": rec.values.get("account_name") or "",
                "uscc": code,
                **_prov(rec),
            }
        )
    t = _table(rows, {"account": pa.string(), "account_name": pa.string(), "uscc": pa.string()})
    return Built(
        {"grid_account": t},
        upsert={"grid_account": ("account",)},
        keys={"grid_account": ("account",)},
    )


GRID_ACCOUNT = Kind(
    "grid_account",
    "用电户号对照表",
    "供电公司 / 经信局",
    (
        ELECTRICITY.column("account"),
        ELECTRICITY.column("account_name"),
        _USCC,
    ),
    _build_grid_account,
    period="none",
    example={
        "account": "3300123456",
        "account_name": "湖州示例纺织有限公司",
        "uscc": "91330502MA2B00000N",
    },
    doc="户号与企业的对应关系（一企可多户）。",
)


# -- 入库税收 (tax) -------------------------------------------------------------------------------
_TAX_TYPES = (
    "增值税",
    "企业所得税",
    "消费税",
    "城市维护建设税",
    "房产税",
    "城镇土地使用税",
    "印花税",
    "教育费附加",
    "地方教育附加",
    "个人所得税",
    "环境保护税",
    "资源税",
    "土地增值税",
    "车船税",
    "耕地占用税",
    "其他",
)


def _build_tax(records: list[Record], ctx: Context) -> Built:
    sums: dict[tuple[str, str, str], list[Any]] = {}
    held = []
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
            _, suggestion = ctx.match_name(v.get("name"))
            for t, a in amounts.items():
                held.append(
                    _held(
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
        {"uscc": u, "period": p, "tax_type": t, "amount": a, **_prov(rec)}
        for (u, p, t), (a, rec) in sorted(sums.items())
    ]
    tables = {
        "tax_paid": _table(
            rows,
            {
                "uscc": pa.string(),
                "period": pa.string(),
                "tax_type": pa.string(),
                "amount": pa.float64(),
            },
        )
    }
    if held:
        tables["unmatched_row"] = _unmatched_table(held)
    return Built(tables, keys={"tax_paid": ("uscc", "period", "tax_type")}, unmatched=held)


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
        Column("tax_type", "征收项目", ("税种",), choices=_TAX_TYPES),
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
            pattern="(" + "|".join(_TAX_TYPES) + ")",
        ),
    ),
    _build_tax,
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


# -- 土地 (land) --------------------------------------------------------------------------------
_TENURE = {
    "自有": "owned",
    "出让": "owned",
    "划拨": "owned",
    "自有土地": "owned",
    "租赁": "leased",
    "租用": "leased",
    "承租": "leased",
}


def _build_land(records: list[Record], ctx: Context) -> Built:
    rows, held = [], []
    for rec in records:
        v = rec.values
        year = _file_year(ctx, rec)
        tenure = _TENURE.get(str(v.get("tenure") or "自有"))
        if tenure is None:
            ctx.issues.error(
                Reason.TYPE,
                "用地方式应为 自有（出让、划拨）或 租赁",
                **rec.at("tenure"),
                value=v.get("tenure"),
            )
        if year is None or tenure is None or v.get("area_mu") is None:
            if v.get("area_mu") is None:
                ctx.issues.error(Reason.REQUIRED, "缺少面积", **rec.at())
            continue
        if not ctx.once("land_parcel", (v["certificate"], year), rec, "certificate"):
            continue
        code = ctx.uscc(rec, "uscc") if v.get("uscc") else None
        payload = {
            "certificate": v["certificate"],
            "year": year,
            "owner_name": v["owner"],
            "area_mu": v["area_mu"],
            "tenure": tenure,
        }
        if code is None and v.get("uscc") is None:
            code, suggestion = ctx.match_name(v["owner"])
            if code is None:
                held.append(_held(rec, "land_parcel", v["owner"], suggestion, payload, ctx))
                continue
        if code is None or not ctx.known(rec, code, "uscc"):
            continue
        rows.append({**payload, "uscc": code, **_prov(rec)})
    tables = {
        "land_parcel": _table(
            rows,
            {
                "certificate": pa.string(),
                "year": pa.int32(),
                "owner_name": pa.string(),
                "area_mu": pa.float64(),
                "tenure": pa.string(),
                "uscc": pa.string(),
            },
        )
    }
    if held:
        tables["unmatched_row"] = _unmatched_table(held)
    return Built(tables, keys={"land_parcel": ("certificate", "year")}, unmatched=held)


LAND = Kind(
    "land",
    "土地使用",
    "自然资源局",
    (
        Column(
            "certificate",
            "不动产权证号",
            ("土地证号", "权证号", "证书号", "租赁合同编号"),
            type="code",
            required=True,
        ),
        Column(
            "owner", "权利人", ("土地使用权人", "承租人", "企业名称", "单位名称"), required=True
        ),
        Column("uscc", "统一社会信用代码", _USCC.aliases, type="uscc"),
        Column(
            "area_mu",
            "面积",
            ("土地面积", "用地面积", "宗地面积", "使用权面积"),
            type="number",
            dim="area",
            unit="平方米",
            minimum=0,
        ),
        Column(
            "tenure",
            "用地方式",
            ("权利性质", "取得方式", "土地性质"),
            choices=("自有", "出让", "划拨", "租赁"),
        ),
        Column("year", "年度", ("统计年度",), type="year"),
    ),
    _build_land,
    period="year",
    example={
        "certificate": "浙(2016)湖州市不动产权第0012345号",
        "owner": "湖州示例纺织有限公司",
        "uscc": "91330502MA2B00000N",
        "area_mu": 33353.5,
        "tenure": "出让",
        "year": 2016,
    },
    doc="不动产权证或租赁合同，每证一行，面积默认平方米（表头注明“亩”则按亩）。",
)


# -- 排污 (emission) ------------------------------------------------------------------------------
_POLLUTANTS = {
    "化学需氧量": "cod",
    "COD": "cod",
    "氨氮": "nh3n",
    "二氧化硫": "so2",
    "SO2": "so2",
    "氮氧化物": "nox",
    "NOX": "nox",
}


# Emissions by pollutant: one column per pollutant, in the environment bureau's file and in
# the 亩均 collection form alike.
_POLLUTANT_COLUMNS = Column(
    "by_pollutant",
    "污染物列",
    (),
    type="number",
    dim="mass",
    unit="吨",
    minimum=0,
    pattern="(化学需氧量|COD|氨氮|二氧化硫|SO2|氮氧化物|NOX)",
    template=("化学需氧量(吨)", "氨氮(吨)", "二氧化硫(吨)", "氮氧化物(吨)"),
)
_EMISSION_SCHEMA = {
    "uscc": pa.string(),
    "year": pa.int32(),
    "pollutant": pa.string(),
    "tonnes": pa.float64(),
    "permit_no": pa.string(),
}
_EMISSION_KEY = ("uscc", "year", "pollutant")


def _emission_rows(
    rec: Record, ctx: Context, code: str, year: int, permit: str | None, column: str
) -> list[dict[str, Any]]:
    """The record's pollutant columns as ``emission`` rows (blank stays NULL, not 0)."""
    out = []
    for header, tonnes in rec.series.get("by_pollutant", {}).items():
        pollutant = _POLLUTANTS[header.upper() if header.isascii() else header]
        if not ctx.once("emission", (code, year, pollutant), rec, column):
            continue
        out.append(
            {
                "uscc": code,
                "year": year,
                "pollutant": pollutant,
                "tonnes": tonnes,
                "permit_no": permit,
                **_prov(rec),
            }
        )
    return out


def _build_emission(records: list[Record], ctx: Context) -> Built:
    rows = []
    for rec in records:
        v = rec.values
        permit = v["permit"]
        code = str(permit)[:18]
        rec.values["_permit_uscc"] = code
        if ctx.uscc(rec, "_permit_uscc") is None:
            continue
        if not ctx.known(rec, code, "permit"):
            continue
        year = _file_year(ctx, rec)
        if year is None:
            continue
        rows += _emission_rows(rec, ctx, code, year, permit, "permit")
    return Built({"emission": _table(rows, _EMISSION_SCHEMA)}, keys={"emission": _EMISSION_KEY})


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
        _POLLUTANT_COLUMNS,
    ),
    _build_emission,
    period="year",
    at_least_one_of=("by_pollutant",),
    example={"permit": "91330502MA2B00000N001P", "name": "湖州示例纺织有限公司", "year": 2016},
    doc="排污许可执行报告中的年排放量（吨），每个污染物一列；空白表示未报告（不同于 0）。",
)


# -- 事故与处罚 (incidents) ------------------------------------------------------------------------
_INCIDENT = {
    "安全生产事故": "safety",
    "安全事故": "safety",
    "环境污染事件": "environment",
    "环境违法": "environment",
    "环保处罚": "environment",
    "重大质量事故": "quality",
    "失信": "credit",
    "严重失信": "credit",
}


def _build_incident(records: list[Record], ctx: Context) -> Built:
    rows = []
    for rec in records:
        v = rec.values
        code = ctx.uscc(rec, "uscc")
        kind = _INCIDENT.get(str(v.get("kind")))
        if kind is None:
            ctx.issues.error(
                Reason.TYPE,
                "事件类型应为：" + "、".join(_INCIDENT),
                **rec.at("kind"),
                value=v.get("kind"),
            )
        if code is None or kind is None or not ctx.known(rec, code, "uscc"):
            continue
        if not ctx.once("incident", (code, v["occurred"], kind), rec, "uscc"):
            continue
        rows.append(
            {
                "uscc": code,
                "occurred": v["occurred"],
                "kind": kind,
                "severity": v.get("severity"),
                "note": v.get("note"),
                **_prov(rec),
            }
        )
    t = _table(
        rows,
        {
            "uscc": pa.string(),
            "occurred": pa.date32(),
            "kind": pa.string(),
            "severity": pa.string(),
            "note": pa.string(),
        },
    )
    return Built({"incident": t}, keys={"incident": ("uscc", "occurred", "kind")})


INCIDENT = Kind(
    "incident",
    "安全环保事件",
    "应急管理局 / 生态环境局",
    (
        _USCC,
        _NAME,
        Column("occurred", "发生日期", ("日期", "处罚日期"), type="date", required=True),
        Column("kind", "事件类型", ("类型",), required=True, choices=tuple(_INCIDENT)),
        Column("severity", "等级", ("事故等级",)),
        Column("note", "说明", ("备注", "情况说明")),
    ),
    _build_incident,
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


# -- 亩均数据采集表 -------------------------------------------------------------------------------
_ANNUAL = (
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


def _build_annual(records: list[Record], ctx: Context) -> Built:
    rows = []
    emissions = []
    for rec in records:
        code = ctx.uscc(rec, "uscc")
        if code is None or not ctx.known(rec, code, "uscc"):
            continue
        year = _file_year(ctx, rec)
        if year is None or not ctx.once("enterprise_annual", (code, year), rec, "uscc"):
            continue
        rows.append(
            {
                "uscc": code,
                "year": year,
                **{k: rec.values.get(k) for k, *_ in _ANNUAL},
                **_prov(rec),
            }
        )
        emissions += _emission_rows(rec, ctx, code, year, None, "uscc")
    tables = {
        "enterprise_annual": _table(
            rows,
            {"uscc": pa.string(), "year": pa.int32(), **{k: pa.float64() for k, *_ in _ANNUAL}},
        )
    }
    if emissions:
        tables["emission"] = _table(emissions, _EMISSION_SCHEMA)
    return Built(
        tables,
        keys={"enterprise_annual": ("uscc", "year"), "emission": _EMISSION_KEY},
    )


MUJUN = Kind(
    "mujun",
    "亩均效益数据采集表",
    "县区经信局 / 亩均办",
    (
        _USCC,
        _NAME,
        Column("region", "县（市、区）", REGISTER.column("region").aliases),
        Column("scale", "规模类型", ("规模",), choices=("规上", "规下")),
        Column("year", "年度", ("年份", "评价年度"), type="year"),
        *(
            Column(k, label, aliases, type="number", dim=dim, unit=unit, minimum=0)
            for k, label, aliases, dim, unit in _ANNUAL
        ),
        _POLLUTANT_COLUMNS,
    ),
    _build_annual,
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


# -- 价格指数, 兄弟地市, 县区报送 ------------------------------------------------------------------
def _build_ppi(records: list[Record], ctx: Context) -> Built:
    rows = []
    for rec in records:
        div = ctx.industry(rec, "division", digits=2)
        period = rec.values.get("period") or ctx.period
        if div is None or period is None:
            continue
        if ctx.once("price_index", (div, period), rec, "division"):
            rows.append({"division": div, "period": period, "ppi": rec.values["ppi"], **_prov(rec)})
    t = _table(rows, {"division": pa.string(), "period": pa.string(), "ppi": pa.float64()})
    return Built({"price_index": t}, keys={"price_index": ("division", "period")})


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
    _build_ppi,
    example={"division": "17", "period": "2016-06", "ppi": 98.6},
    doc="分行业大类的工业生产者出厂价格指数（1-本月，上年同期=100），用于可比价增速。",
)


def _build_peer(records: list[Record], ctx: Context) -> Built:
    rows = []
    for rec in records:
        region = ctx.region(rec, "region")
        period = rec.values.get("period") or ctx.period
        if region is None or period is None:
            continue
        key = (rec.values["indicator"], region, period)
        if ctx.once("peer_figure", key, rec, "indicator"):
            rows.append(
                {
                    "indicator": key[0],
                    "region_code": region,
                    "period": period,
                    "value": rec.values.get("value"),
                    "growth_pct": rec.values.get("growth_pct"),
                    **_prov(rec),
                }
            )
    t = _table(
        rows,
        {
            "indicator": pa.string(),
            "region_code": pa.string(),
            "period": pa.string(),
            "value": pa.float64(),
            "growth_pct": pa.float64(),
        },
    )
    return Built({"peer_figure": t}, keys={"peer_figure": ("indicator", "region_code", "period")})


PEER_FIGURE = Kind(
    "peer_figure",
    "全省及各市指标",
    "省经信厅 / 统计局",
    (
        Column("indicator", "指标代码", ("指标",), type="text", required=True),
        Column("region", "地区", ("地区代码", "行政区划代码", "市"), type="code", required=True),
        Column("period", "期别", ("年月",), type="period"),
        Column("value", "数值", ("绝对值", "累计"), type="number"),
        Column("growth_pct", "增速(%)", ("同比增长率", "增长率"), type="number"),
    ),
    _build_peer,
    example={
        "indicator": "value_added",
        "region": "330000",
        "period": "2016-12",
        "value": 14008.6,
        "growth_pct": 6.2,
    },
    doc="全省和兄弟地市公布的指标，用于排位和与全省比较。",
)


def _build_reported(records: list[Record], ctx: Context) -> Built:
    rows = []
    for rec in records:
        region = ctx.region(rec, "region")
        period = rec.values.get("period") or ctx.period
        if region is None or period is None or rec.values.get("value") is None:
            if rec.values.get("value") is None:
                ctx.issues.error(Reason.REQUIRED, "缺少数值", **rec.at())
            continue
        key = (rec.values["indicator"], region, period)
        if ctx.once("reported_value", key, rec, "indicator"):
            rows.append(
                {
                    "indicator": key[0],
                    "region_code": region,
                    "period": period,
                    "value": rec.values["value"],
                    **_prov(rec),
                }
            )
    t = _table(
        rows,
        {
            "indicator": pa.string(),
            "region_code": pa.string(),
            "period": pa.string(),
            "value": pa.float64(),
        },
    )
    return Built(
        {"reported_value": t}, keys={"reported_value": ("indicator", "region_code", "period")}
    )


REPORTED_VALUE = Kind(
    "reported_value",
    "县区报送指标",
    "县区经信局",
    (
        Column("indicator", "指标代码", ("指标",), type="text", required=True),
        Column(
            "region", "县（市、区）", REGISTER.column("region").aliases, type="code", required=True
        ),
        Column("period", "期别", ("年月",), type="period"),
        Column("value", "数值", ("累计", "本年累计"), type="number"),
    ),
    _build_reported,
    example={
        "indicator": "new_product_output",
        "region": "330502",
        "period": "2016-12",
        "value": 1234.5,
    },
    doc="县区报送的数量和金额（如新产品产值、基站数），每行一个县区一个指标。",
)


# -- 项目清单, 重点项目进度, 年度目标, 企业名单 (issue #5) ----------------------------------------------
def _choice(
    rec: Record, ctx: Context, key: str, mapping: dict[str, str], what: str, shown: tuple[str, ...]
) -> str | None:
    """A value mapped through ``mapping`` (Chinese name or key → key); an error naming the
    ``shown`` values if unknown."""
    text = rec.values.get(key)
    if text is None:
        return None
    found = mapping.get(str(text).strip())
    if found is None:
        ctx.issues.error(
            Reason.TYPE,
            f"{what}应为：" + "、".join(shown),
            **rec.at(key),
            value=text,
        )
    return found


def _both(names: dict[str, str]) -> dict[str, str]:
    """Key → key and Chinese name → key."""
    return {**{k: k for k in names}, **{v: k for k, v in names.items()}}


def _split_list(text: object) -> list[str]:
    parts = str(text or "").replace("，", "、").replace(",", "、").replace(";", "、")
    return [p.strip() for p in parts.replace("；", "、").split("、") if p.strip()]


def _fmt(x: float) -> str:
    """A number for a message: thousands separated, no trailing zeros.

    >>> _fmt(6560000.0), _fmt(12.5), _fmt(0.1 + 0.2)
    ('6,560,000', '12.5', '0.3')
    """
    return f"{x:,.4f}".rstrip("0").rstrip(".")


def _replaced_rows(ctx: Context, kind: str, period: str | None, table: str) -> list[dict[str, Any]]:
    """Rows of ``table`` from the active file this file would replace (same kind and period)."""
    if period is None:
        return []
    old = ctx.store.active_file(kind, period)
    if old is None:
        return []
    rows: list[dict[str, Any]] = ctx.store.file_rows(table, old).to_pylist()
    return rows


def _guard_other_counties(
    ctx: Context, kind: str, period: str | None, regions_here: set[str], lost: dict[str, str]
) -> None:
    """A file replaces the earlier file of its kind and period as a whole: refuse it when that
    would drop rows of counties this file does not cover (a county's file replacing
    another's), instead of losing them."""
    if period is None:
        return
    gone = sorted({r for r in lost.values() if r not in regions_here})
    if gone:
        from jingxin.reference import region_name

        names = "、".join(region_name(r) for r in gone)
        ctx.issues.error(
            Reason.CONFLICT,
            f"期别 {period} 已有一份文件包含{names}的项目（{len(lost)} 行）；本文件会整体替换它，"
            "这些县区的数据将被删除：请由市经信局汇总各县区后报送，或在更正文件中保留这些行",
            value=period,
        )


_CATEGORIES = _both(PROJECT_CATEGORIES)
_LISTS = _both({k: v[0] for k, v in PROJECT_LISTS.items()})


def _build_project(records: list[Record], ctx: Context) -> Built:
    projects, plans = [], []
    regions_here: set[str] = set()
    for rec in records:
        v = rec.values
        pid = str(v["project_id"])
        region = ctx.region(rec, "region")
        category = _choice(
            rec, ctx, "category", _CATEGORIES, "项目类别", tuple(PROJECT_CATEGORIES.values())
        )
        lists = []
        for item in _split_list(v.get("lists")):
            key = _LISTS.get(item)
            if key is None:
                ctx.issues.error(
                    Reason.TYPE,
                    "所属清单应为："
                    + "、".join(n for n, _ in PROJECT_LISTS.values())
                    + "（多个用顿号分隔）",
                    **rec.at("lists"),
                    value=item,
                )
                continue
            lists.append(key)
        code = ctx.uscc(rec, "uscc") if v.get("uscc") is not None else None
        if code is not None and not ctx.known(rec, code, "uscc"):
            code = None
        start, end = v.get("planned_start"), v.get("planned_completion")
        if start is not None and end is not None and end < start:
            ctx.issues.error(
                Reason.CROSS_FIELD,
                f"计划竣工日期（{end}）不应早于计划开工日期（{start}）",
                **rec.at("planned_completion"),
                value=end,
            )
        if region is None or category is None or not ctx.once("project", (pid,), rec, "project_id"):
            continue
        regions_here.add(region)
        projects.append(
            {
                "project_id": pid,
                "name": v["name"],
                "category": category,
                "lists": lists,
                "region_code": region,
                "uscc": code,
                "planned_total": v.get("planned_total"),
                "introduced": v.get("introduced"),
                "planned_start": start,
                "planned_completion": end,
                **_prov(rec),
            }
        )
        if v.get("annual_plan") is not None:
            year = _file_year(ctx, rec)
            if year is not None:
                plans.append(
                    {"project_id": pid, "year": year, "annual_plan": v["annual_plan"], **_prov(rec)}
                )
    years = {p["year"] for p in plans}
    period = ctx.period or (str(years.pop()) if len(years) == 1 else None)
    lost = {
        r["project_id"]: r["region_code"]
        for r in _replaced_rows(ctx, "project", period, "project")
        if r["project_id"] not in {p["project_id"] for p in projects}
    }
    _guard_other_counties(ctx, "project", period, regions_here, lost)
    tables = {
        "project": _table(
            projects,
            {
                "project_id": pa.string(),
                "name": pa.string(),
                "category": pa.string(),
                "lists": pa.list_(pa.string()),
                "region_code": pa.string(),
                "uscc": pa.string(),
                "planned_total": pa.float64(),
                "introduced": pa.date32(),
                "planned_start": pa.date32(),
                "planned_completion": pa.date32(),
            },
        ),
        "project_plan": _table(
            plans, {"project_id": pa.string(), "year": pa.int32(), "annual_plan": pa.float64()}
        ),
    }
    keys: dict[str, tuple[str, ...]] = {
        "project": ("project_id",),
        "project_plan": ("project_id", "year"),
    }
    return Built(tables, upsert=keys, keys=keys)


PROJECT = Kind(
    "project",
    "项目清单",
    "县区经信局",
    (
        Column(
            "project_id",
            "项目代码",
            ("项目编号", "项目编码", "备案代码"),
            type="code",
            required=True,
        ),
        Column("name", "项目名称", ("项目", "名称"), required=True),
        Column(
            "category",
            "项目类别",
            ("类别", "项目类型"),
            required=True,
            choices=tuple(PROJECT_CATEGORIES.values()),
        ),
        Column("lists", "所属清单", ("清单", "所属计划"), note="如 三百计划，多个用顿号分隔"),
        Column(
            "region", "县（市、区）", REGISTER.column("region").aliases, type="code", required=True
        ),
        Column("uscc", "统一社会信用代码", _USCC.aliases, type="uscc", note="项目业主，已知时填写"),
        Column(
            "planned_total",
            "总投资",
            ("计划总投资", "项目总投资"),
            type="number",
            dim="money",
            unit="万元",
            minimum=0,
        ),
        Column("introduced", "引进/备案日期", ("引进日期", "备案日期", "签约日期"), type="date"),
        Column("planned_start", "计划开工日期", ("计划开工时间",), type="date"),
        Column("planned_completion", "计划竣工日期", ("计划竣工时间",), type="date"),
        Column("year", "年度", ("计划年度",), type="year"),
        Column(
            "annual_plan",
            "年度计划投资",
            ("本年计划投资", "年度计划"),
            type="number",
            dim="money",
            unit="万元",
            minimum=0,
        ),
    ),
    _build_project,
    period="year",
    example={
        "project_id": "2016-330502-34-03-000001",
        "name": "年产 10 万吨高档面料技改项目",
        "category": "机器换人/技改",
        "lists": "三百计划",
        "region": "吴兴区",
        "uscc": "91330502MA2B00000N",
        "planned_total": 12000,
        "introduced": "2015-11-20",
        "planned_start": "2016-03-01",
        "planned_completion": "2017-06-30",
        "year": 2016,
        "annual_plan": 5000,
    },
    doc="县区报送的项目清单及年度计划投资：按项目代码新增或更新（留痕）。",
)


def _build_progress(records: list[Record], ctx: Context) -> Built:
    known = {
        r["project_id"]: r
        for r in ctx.store.arrow("select project_id, region_code from project").to_pylist()
    }
    rows = []
    for rec in records:
        v = rec.values
        pid = str(v["project_id"])
        if pid not in known:
            ctx.issues.error(
                Reason.UNKNOWN_ENTERPRISE,
                "项目不在项目清单中：请先导入项目清单（jingxin import project）或核对项目代码",
                **rec.at("project_id"),
                value=pid,
            )
            continue
        period = v.get("period") or (ctx.period if ctx.period and len(ctx.period) == 7 else None)
        if period is None:
            ctx.issues.error(
                Reason.REQUIRED,
                "缺少期别：请填写期别列（如 2016-06），或导入时用 --period 指定",
                **rec.at(),
            )
            continue
        if ctx.period and len(ctx.period) == 7 and period != ctx.period:
            ctx.issues.error(
                Reason.PERIOD,
                f"本行期别 {period} 与文件期别 {ctx.period} 不符",
                **rec.at("period"),
                value=period,
            )
            continue
        ytd = v.get("ytd_invested")
        for month, value in rec.series.get("ytd_by_month", {}).items():
            if value is None:
                continue
            if int(month) != int(period[5:]):
                ctx.issues.error(
                    Reason.PERIOD,
                    f"列名中的月份（1-{int(month)}月）与期别 {period} 不符",
                    **rec.at(),
                    value=value,
                )
            ytd = value if ytd is None else ytd
        if ytd is None:
            ctx.issues.error(
                Reason.REQUIRED,
                "缺少 1-N月完成投资",
                **rec.at("ytd_invested"),
            )
            continue
        start, end = v.get("actual_start"), v.get("actual_completion")
        if start is not None and end is not None and end < start:
            ctx.issues.error(
                Reason.CROSS_FIELD,
                f"实际竣工日期（{end}）不应早于实际开工日期（{start}）",
                **rec.at("actual_completion"),
                value=end,
            )
            continue
        if not ctx.once("project_progress", (pid, period), rec, "project_id"):
            continue
        rows.append(
            {
                "project_id": pid,
                "period": period,
                "ytd_invested": ytd,
                "actual_start": start,
                "actual_completion": end,
                "note": v.get("note"),
                **_prov(rec),
            }
        )
    periods = {r["period"] for r in rows}
    file_period = ctx.period or (next(iter(periods)) if len(periods) == 1 else None)
    here = {r["project_id"] for r in rows}
    lost = {
        r["project_id"]: known.get(r["project_id"], {}).get("region_code", "")
        for r in _replaced_rows(ctx, "project_progress", file_period, "project_progress")
        if r["project_id"] not in here
    }
    _guard_other_counties(
        ctx, "project_progress", file_period, {known[p]["region_code"] for p in here}, lost
    )
    _check_progress(ctx, rows)
    t = _table(
        rows,
        {
            "project_id": pa.string(),
            "period": pa.string(),
            "ytd_invested": pa.float64(),
            "actual_start": pa.date32(),
            "actual_completion": pa.date32(),
            "note": pa.string(),
        },
    )
    return Built({"project_progress": t}, keys={"project_progress": ("project_id", "period")})


def _check_progress(ctx: Context, rows: list[dict[str, Any]]) -> None:
    """1-N月 never decreases within a year (against the stored reports of other months,
    a late report included) unless the file is a correction; completion never precedes the
    start reported earlier."""
    if not rows:
        return
    years = sorted({r["period"][:4] for r in rows})
    stored = ctx.store.arrow(
        "select project_id, period, ytd_invested, actual_start from project_progress "
        "where period >= ? and period <= ?",
        [f"{years[0]}-01", f"{years[-1]}-12"],
    ).to_pylist()
    by: dict[str, list[dict[str, Any]]] = {}
    for s in stored:
        by.setdefault(s["project_id"], []).append(s)
    for r in rows:
        own = [s for s in by.get(r["project_id"], []) if s["period"][:4] == r["period"][:4]]
        before = [s for s in own if s["period"] < r["period"]]
        after = [s for s in own if s["period"] > r["period"]]
        where = {
            "sheet": r["source_sheet"],
            "row": r["source_row"],
            "column": "1-N月完成投资",
            "value": r["ytd_invested"],
        }
        problems = []
        if before:
            prev = max(before, key=lambda s: s["period"])
            if r["ytd_invested"] < prev["ytd_invested"] - 1e-6:
                problems.append(
                    f"1-N月完成投资（{_fmt(r['ytd_invested'])} 万元）小于已报送的 "
                    f"{prev['period']} 累计（{_fmt(prev['ytd_invested'])} 万元）"
                )
        if after:
            nxt = min(after, key=lambda s: s["period"])
            if r["ytd_invested"] > nxt["ytd_invested"] + 1e-6:
                problems.append(
                    f"1-N月完成投资（{_fmt(r['ytd_invested'])} 万元）大于已报送的 "
                    f"{nxt['period']} 累计（{_fmt(nxt['ytd_invested'])} 万元）"
                )
        for msg in problems:
            if ctx.correction:
                ctx.issues.warn(Reason.DECREASING, msg + "：已按更正处理", **where)
            else:
                ctx.issues.error(
                    Reason.DECREASING, msg + "：如为更正，请导入时加 --correction", **where
                )
        starts = [s["actual_start"] for s in before if s["actual_start"] is not None]
        end = r["actual_completion"]
        if end is not None and r["actual_start"] is None and starts and end < min(starts):
            ctx.issues.error(
                Reason.CROSS_FIELD,
                f"实际竣工日期（{end}）不应早于此前报送的实际开工日期（{min(starts)}）",
                sheet=r["source_sheet"],
                row=r["source_row"],
                column="实际竣工日期",
                value=end,
            )


PROJECT_PROGRESS = Kind(
    "project_progress",
    "重点项目进度",
    "县区经信局",
    (
        PROJECT.column("project_id"),
        Column("name", "项目名称", ("项目", "名称")),
        Column("period", "期别", ("年月", "报告期"), type="period"),
        Column(
            "ytd_invested",
            "1-N月完成投资",
            ("1-本月完成投资", "年初至报告期累计完成投资", "本年累计完成投资", "累计完成投资"),
            type="number",
            dim="money",
            unit="万元",
            minimum=0,
        ),
        Column(
            "ytd_by_month",
            "1-M月完成投资",
            (),
            type="number",
            dim="money",
            unit="万元",
            minimum=0,
            pattern=r"1[-—–～~至到](\d{1,2})月(?:累计)?完成投资",
        ),
        Column("actual_start", "实际开工日期", ("开工日期", "实际开工时间"), type="date"),
        Column("actual_completion", "实际竣工日期", ("竣工日期", "实际竣工时间"), type="date"),
        Column("note", "形象进度", ("进展情况", "备注")),
    ),
    _build_progress,
    at_least_one_of=("ytd_invested", "ytd_by_month"),
    example={
        "project_id": "2016-330502-34-03-000001",
        "name": "年产 10 万吨高档面料技改项目",
        "period": "2016-06",
        "ytd_invested": 2350,
        "actual_start": "2016-03-15",
        "note": "主体厂房结顶",
    },
    doc="县区每月报送的重点项目 1-N月累计完成投资与开工、竣工情况；同一期别的更正文件整体替换原文件。",
)


_BASIS = {
    "value": "value",
    "总量": "value",
    "绝对值": "value",
    "数值": "value",
    "growth_pct": "growth_pct",
    "增速": "growth_pct",
    "增长率": "growth_pct",
    "增幅": "growth_pct",
    "rate_pct": "rate_pct",
    "比率": "rate_pct",
    "比例": "rate_pct",
    "率": "rate_pct",
}


def _build_target(records: list[Record], ctx: Context) -> Built:
    from jingxin.reference import region_name, regions
    from jingxin.tracking.catalogue import is_additive_target

    rows = []
    for rec in records:
        v = rec.values
        region = ctx.region(rec, "region")
        year = _file_year(ctx, rec)
        basis = (
            _choice(rec, ctx, "basis", _BASIS, "口径", ("总量", "增速", "比率"))
            if v.get("basis")
            else "value"
        )
        if region is None or year is None or basis is None:
            continue
        key = (str(v["indicator"]), region, year, basis)
        if ctx.once("target", key, rec, "indicator"):
            rows.append(
                {
                    "indicator": key[0],
                    "region_code": region,
                    "year": year,
                    "basis": basis,
                    "value": v["value"],
                    **_prov(rec),
                }
            )
    # Decomposition: where a file holds a city's additive target and its counties', they add up.
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
                f"{_fmt(city['value'])}，{len(values)} 个县区目标合计 {_fmt(total)}，相差 "
                f"{_fmt(total - city['value'])}；该指标可加总，各县区目标之和应等于全市目标",
                sheet=city["source_sheet"],
                row=city["source_row"],
                column=records[0].headers.get("value"),
                value=city["value"],
            )
    t = _table(
        rows,
        {
            "indicator": pa.string(),
            "region_code": pa.string(),
            "year": pa.int32(),
            "basis": pa.string(),
            "value": pa.float64(),
        },
    )
    return Built({"target": t}, keys={"target": ("indicator", "region_code", "year", "basis")})


TARGET = Kind(
    "target",
    "年度目标",
    "市经信委",
    (
        Column("indicator", "指标代码", ("指标",), type="text", required=True),
        Column(
            "region",
            "县（市、区）",
            (*REGISTER.column("region").aliases, "地区", "地区代码"),
            type="code",
            required=True,
            note="全市目标填市（如 湖州市），分解目标填县区",
        ),
        Column("year", "年度", ("目标年度",), type="year"),
        Column(
            "basis",
            "口径",
            ("目标口径", "目标类型"),
            choices=("总量", "增速", "比率"),
            note="默认 总量；增速、比率单位为 %",
        ),
        Column("value", "目标值", ("目标", "年度目标"), type="number", required=True),
    ),
    _build_target,
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


_POOL_NAMES = _both({p.key: p.label for p in POOLS})
_LEVEL_NAMES = _both(POOL_LEVELS)
_EXIT_NAMES = _both(EXIT_REASONS)


def _build_pool(records: list[Record], ctx: Context) -> Built:
    levels = {p.key: p.levels for p in POOLS}
    rows = []
    for rec in records:
        v = rec.values
        pool = _choice(rec, ctx, "pool", _POOL_NAMES, "名单", tuple(p.label for p in POOLS))
        code = ctx.uscc(rec, "uscc")
        level = (
            _choice(rec, ctx, "level", _LEVEL_NAMES, "级别", tuple(POOL_LEVELS.values()))
            if v.get("level")
            else None
        )
        if pool is not None and level is not None and level not in levels[pool]:
            allowed = "、".join(POOL_LEVELS[x] for x in levels[pool]) or "空白"
            ctx.issues.error(
                Reason.TYPE,
                f"该名单的级别应为：{allowed}",
                **rec.at("level"),
                value=v.get("level"),
            )
            continue
        entered, exited = v["entered"], v.get("exited")
        if exited is not None and exited < entered:
            ctx.issues.error(
                Reason.CROSS_FIELD,
                f"退出日期（{exited}）不应早于列入日期（{entered}）",
                **rec.at("exited"),
                value=exited,
            )
            continue
        why = v.get("exit_reason")
        if why is not None and exited is None:
            ctx.issues.error(
                Reason.CROSS_FIELD,
                "填写了退出原因但没有退出日期",
                **rec.at("exited"),
            )
            continue
        if pool is None or code is None or not ctx.known(rec, code, "uscc"):
            continue
        if not ctx.once("pool_member", (pool, code, entered), rec, "uscc"):
            continue
        rows.append(
            {
                "pool": pool,
                "uscc": code,
                "entered": entered,
                "level": level,
                "reason": v.get("reason"),
                "exited": exited,
                "exit_reason": _EXIT_NAMES.get(str(why), str(why)) if why is not None else None,
                **_prov(rec),
            }
        )
    t = _table(
        rows,
        {
            "pool": pa.string(),
            "uscc": pa.string(),
            "entered": pa.date32(),
            "level": pa.string(),
            "reason": pa.string(),
            "exited": pa.date32(),
            "exit_reason": pa.string(),
        },
    )
    keys: dict[str, tuple[str, ...]] = {"pool_member": ("pool", "uscc", "entered")}
    return Built({"pool_member": t}, upsert=keys, keys=keys)


POOL = Kind(
    "pool",
    "企业名单",
    "经信委",
    (
        Column(
            "pool",
            "名单",
            ("名单名称", "名单类别", "培育库"),
            required=True,
            choices=tuple(p.label for p in POOLS),
        ),
        _USCC,
        _NAME,
        Column(
            "entered", "列入日期", ("认定日期", "入库日期", "列入时间"), type="date", required=True
        ),
        Column("level", "级别", ("认定级别",), choices=tuple(POOL_LEVELS.values())),
        Column("reason", "列入原因", ("认定依据", "列入依据")),
        Column("exited", "退出日期", ("出库日期", "退出时间"), type="date"),
        Column(
            "exit_reason",
            "退出原因",
            ("出库原因",),
            note="如 " + "、".join(EXIT_REASONS.values()),
        ),
    ),
    _build_pool,
    period="none",
    example={
        "pool": "“小升规”培育企业",
        "uscc": "91330502MA2B00000N",
        "name": "湖州示例纺织有限公司",
        "entered": "2016-03-01",
        "reason": "营业收入接近规上标准且增长",
    },
    doc="企业名单（小升规培育、隐形冠军、技术中心、僵尸企业等）的列入与退出，按名单、企业和列入日期更新（留痕）。",
)


KINDS: dict[str, Kind] = {
    k.key: k
    for k in (
        REGISTER,
        STATS_MONTHLY,
        GRID_ACCOUNT,
        ELECTRICITY,
        TAX,
        LAND,
        EMISSION,
        INCIDENT,
        MUJUN,
        PRICE_INDEX,
        PEER_FIGURE,
        REPORTED_VALUE,
        PROJECT,
        PROJECT_PROGRESS,
        TARGET,
        POOL,
    )
}


def get_kind(key: str) -> Kind:
    """The source called ``key``; an error listing the known ones otherwise."""
    from jingxin.errors import InputError

    try:
        return KINDS[key]
    except KeyError:
        known = "、".join(f"{k}（{v.label}）" for k, v in KINDS.items())
        raise InputError(f"未知的文件类型 {key!r}：可用的类型为 {known}。") from None
