"""企业名录 (市场监管局 / 统计局): the register of enterprises, their scale by year and their
status history. New enterprises are added and known ones updated by credit code (audited).
"""

from __future__ import annotations

from typing import Any

from jingxin.ingest.context import Context
from jingxin.ingest.issues import Reason
from jingxin.ingest.kinds.common import NAME, REGION, USCC, built, file_year, prov, table
from jingxin.ingest.schemas import Built, Column, Kind, Record
from jingxin.reference.tables import INDUSTRY_EDITION
from jingxin.reference.vocabulary import ENTERPRISE_SCALE, ENTERPRISE_STATUS

__all__ = ["REGISTER"]


def _flags(text: object) -> list[str]:
    parts = str(text or "").replace("，", ",").replace("、", ",").split(",")
    return [f.strip() for f in parts if f.strip()]


def _build_register(records: list[Record], ctx: Context) -> Built:
    ent: list[dict[str, Any]] = []
    scale: list[dict[str, Any]] = []
    status: list[dict[str, Any]] = []
    for rec in records:
        code = ctx.uscc(rec, "uscc")
        region = ctx.region(rec, "region")
        industry = ctx.industry(rec, "industry")
        v = rec.values
        if code is None or region is None or industry is None:
            continue
        if not ctx.once("enterprise", (code,), rec, "uscc"):
            continue
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
                "flags": _flags(v.get("flags")),
                **prov(rec),
            }
        )
        if v.get("scale") is not None:
            s = ENTERPRISE_SCALE.parse(v["scale"])
            year = file_year(ctx, rec)
            if s is None:
                above, below = ENTERPRISE_SCALE.values()
                ctx.issues.error(
                    Reason.TYPE,
                    f"规模类型应为“{above}”或“{below}”",
                    **rec.at("scale"),
                    value=v["scale"],
                )
            elif year is not None:
                scale.append({"uscc": code, "year": year, "scale": s, **prov(rec)})
        if v.get("status") is not None:
            st = ENTERPRISE_STATUS.parse(v["status"])
            since = v.get("status_from")
            if st is None:
                *first, last = ENTERPRISE_STATUS.values()
                ctx.issues.error(
                    Reason.TYPE,
                    f"状态应为 {'、'.join(first)} 或 {last}",
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
                        **prov(rec),
                    }
                )
    tables = {"enterprise": table(ent, "enterprise")}
    if scale:
        tables["enterprise_scale"] = table(scale, "enterprise_scale")
    if status:
        tables["enterprise_status"] = table(status, "enterprise_status")
    return built(tables, upsert=True)


REGISTER = Kind(
    "register",
    "企业名录",
    "市场监管局 / 统计局",
    (
        USCC,
        Column("name", "企业名称", NAME.aliases, required=True),
        REGION,
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
        Column("scale", "规模类型", ("规模", "是否规上"), choices=tuple(ENTERPRISE_SCALE.values())),
        Column("status", "经营状态", ("状态",), choices=tuple(ENTERPRISE_STATUS.values())),
        Column("status_from", "状态日期", ("状态起始日期",), type="date"),
        Column("status_reason", "状态原因", ("原因",)),
    ),
    _build_register,
    tables=("enterprise", "enterprise_scale", "enterprise_status"),
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
