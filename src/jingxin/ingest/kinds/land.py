"""自然资源局: land held (土地使用), one row per certificate or lease contract. An owner
(权利人) without a credit code is matched by name through confirmed aliases, or the row is
held with a suggestion.
"""

from __future__ import annotations

from typing import Any

from jingxin.ingest.context import Context
from jingxin.ingest.issues import Reason
from jingxin.ingest.kinds.common import USCC, built, file_year, held, prov, table
from jingxin.ingest.schemas import Built, Column, Kind, Record
from jingxin.reference.vocabulary import LAND_TENURE

__all__ = ["LAND"]


def _tenure_text() -> str:
    """``自有（出让、划拨、自有土地）或 租赁（租用、承租）``: what a tenure cell may say."""
    parts = []
    for key, label in LAND_TENURE.items():
        others = LAND_TENURE.synonyms.get(key, ())
        parts.append(f"{label}（{'、'.join(others)}）" if others else label)
    return "或 ".join(parts)


def _build_land(records: list[Record], ctx: Context) -> Built:
    rows: list[dict[str, Any]] = []
    kept: list[dict[str, Any]] = []
    for rec in records:
        v = rec.values
        year = file_year(ctx, rec)
        tenure = LAND_TENURE.parse(v.get("tenure") or LAND_TENURE["owned"])
        if tenure is None:
            ctx.issues.error(
                Reason.TYPE,
                f"{LAND_TENURE.what}应为 {_tenure_text()}",
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
                kept.append(held(rec, "land_parcel", v["owner"], suggestion, payload, ctx))
                continue
        if code is None or not ctx.known(rec, code, "uscc"):
            continue
        rows.append({**payload, "uscc": code, **prov(rec)})
    return built({"land_parcel": table(rows, "land_parcel")}, unmatched=kept)


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
        Column("uscc", "统一社会信用代码", USCC.aliases, type="uscc"),
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
            choices=tuple(LAND_TENURE.written),
        ),
        Column("year", "年度", ("统计年度",), type="year"),
    ),
    _build_land,
    tables=("land_parcel", "unmatched_row"),
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
