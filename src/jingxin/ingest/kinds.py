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
            sheet=rec.sheet,
            row=rec.row,
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
        sheet=rec.sheet,
        row=rec.row,
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
                    sheet=rec.sheet,
                    row=rec.row,
                    column=rec.headers.get("scale"),
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
                    sheet=rec.sheet,
                    row=rec.row,
                    column=rec.headers.get("status"),
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
                        sheet=rec.sheet,
                        row=rec.row,
                        column=rec.headers.get(part + sfx),
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
            sheet=rec.sheet,
            row=rec.row,
        )
        return None
    if m is not None and not 1 <= int(m) <= 12:
        ctx.issues.error(
            Reason.RANGE,
            "期别(月)应为 1 到 12",
            sheet=rec.sheet,
            row=rec.row,
            column=rec.headers.get("month"),
            value=m,
        )
        return None
    if ctx.period and len(ctx.period) == 7 and period != ctx.period:
        ctx.issues.error(
            Reason.PERIOD,
            f"本行期别 {period} 与文件期别 {ctx.period} 不符",
            sheet=rec.sheet,
            row=rec.row,
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
                    sheet=rec.sheet,
                    row=rec.row,
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
                    sheet=rec.sheet,
                    row=rec.row,
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
                sheet=rec.sheet,
                row=rec.row,
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
                sheet=rec.sheet,
                row=rec.row,
                column=rec.headers.get("tenure"),
                value=v.get("tenure"),
            )
        if year is None or tenure is None or v.get("area_mu") is None:
            if v.get("area_mu") is None:
                ctx.issues.error(Reason.REQUIRED, "缺少面积", sheet=rec.sheet, row=rec.row)
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
        for header, tonnes in rec.series.get("by_pollutant", {}).items():
            pollutant = _POLLUTANTS[header.upper() if header.isascii() else header]
            if not ctx.once("emission", (code, year, pollutant), rec, "permit"):
                continue
            rows.append(
                {
                    "uscc": code,
                    "year": year,
                    "pollutant": pollutant,
                    "tonnes": tonnes,
                    "permit_no": permit,
                    **_prov(rec),
                }
            )
    t = _table(
        rows,
        {
            "uscc": pa.string(),
            "year": pa.int32(),
            "pollutant": pa.string(),
            "tonnes": pa.float64(),
            "permit_no": pa.string(),
        },
    )
    return Built({"emission": t}, keys={"emission": ("uscc", "year", "pollutant")})


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
        Column(
            "by_pollutant",
            "污染物列",
            (),
            type="number",
            dim="mass",
            unit="吨",
            minimum=0,
            pattern="(化学需氧量|COD|氨氮|二氧化硫|SO2|氮氧化物|NOX)",
            template=("化学需氧量(吨)", "氨氮(吨)", "二氧化硫(吨)", "氮氧化物(吨)"),
        ),
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
                sheet=rec.sheet,
                row=rec.row,
                column=rec.headers.get("kind"),
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
        for header, tonnes in rec.series.get("by_pollutant", {}).items():
            pollutant = _POLLUTANTS[header.upper() if header.isascii() else header]
            emissions.append(
                {
                    "uscc": code,
                    "year": year,
                    "pollutant": pollutant,
                    "tonnes": tonnes,
                    "permit_no": None,
                    **_prov(rec),
                }
            )
    tables = {
        "enterprise_annual": _table(
            rows,
            {"uscc": pa.string(), "year": pa.int32(), **{k: pa.float64() for k, *_ in _ANNUAL}},
        )
    }
    if emissions:
        tables["emission"] = _table(
            emissions,
            {
                "uscc": pa.string(),
                "year": pa.int32(),
                "pollutant": pa.string(),
                "tonnes": pa.float64(),
                "permit_no": pa.string(),
            },
        )
    return Built(
        tables,
        keys={"enterprise_annual": ("uscc", "year"), "emission": ("uscc", "year", "pollutant")},
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
        Column(
            "by_pollutant",
            "污染物列",
            (),
            type="number",
            dim="mass",
            unit="吨",
            minimum=0,
            pattern="(化学需氧量|COD|氨氮|二氧化硫|SO2|氮氧化物|NOX)",
            template=("化学需氧量(吨)", "氨氮(吨)", "二氧化硫(吨)", "氮氧化物(吨)"),
        ),
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
                ctx.issues.error(Reason.REQUIRED, "缺少数值", sheet=rec.sheet, row=rec.row)
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
