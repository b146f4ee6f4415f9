"""经信委: enterprise pools (企业名单: 小升规培育, 隐形冠军, 技术中心, 僵尸企业 ...), their
entries and exits, updated by pool, enterprise and entry date (audited).
"""

from __future__ import annotations

from typing import Any

from jingxin.ingest.context import Context
from jingxin.ingest.issues import Reason
from jingxin.ingest.kinds.common import NAME, USCC, built, choice, prov, table
from jingxin.ingest.schemas import Built, Column, Kind, Record
from jingxin.reference.vocabulary import EXIT_REASONS, POOL_LEVELS, POOLS, CodeList

__all__ = ["POOL"]

_POOL_NAMES = CodeList("名单", {p.key: p.label for p in POOLS}, keys_written=True)


def _build_pool(records: list[Record], ctx: Context) -> Built:
    levels = {p.key: p.levels for p in POOLS}
    rows: list[dict[str, Any]] = []
    for rec in records:
        v = rec.values
        pool = choice(rec, ctx, "pool", _POOL_NAMES)
        code = ctx.uscc(rec, "uscc")
        level = choice(rec, ctx, "level", POOL_LEVELS) if v.get("level") else None
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
                # a reason not in the list is kept as written
                "exit_reason": EXIT_REASONS.written.get(str(why), str(why))
                if why is not None
                else None,
                **prov(rec),
            }
        )
    return built({"pool_member": table(rows, "pool_member")}, upsert=True)


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
            choices=tuple(_POOL_NAMES.values()),
        ),
        USCC,
        NAME,
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
    tables=("pool_member",),
    enterprise_name="name",
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
