"""What the sources share: the columns many of them have (credit code, name, county), store
tables built from the store's own schema, provenance, the file's year, held rows and
code-list values.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import pyarrow as pa

from jingxin.ingest.context import Context
from jingxin.ingest.issues import Reason
from jingxin.ingest.schemas import Built, Column, Record
from jingxin.reference.vocabulary import CodeList
from jingxin.store.catalog import load_schema, primary_key

__all__ = [
    "NAME",
    "REGION",
    "USCC",
    "built",
    "choice",
    "file_year",
    "fmt",
    "held",
    "prov",
    "split_list",
    "table",
]

USCC = Column(
    "uscc",
    "统一社会信用代码",
    ("社会信用代码", "信用代码", "统一代码", "统一社会信用代码(组织机构代码)", "USCC"),
    type="uscc",
    required=True,
)
NAME = Column(
    "name", "企业名称", ("单位详细名称", "单位名称", "企业(单位)名称", "纳税人名称", "名称")
)
REGION = Column(
    "region",
    "县（市、区）",
    ("县(市、区)", "县市区", "县区", "区县", "所在地区", "行政区划代码", "地区"),
    type="code",
    required=True,
)


def table(rows: list[dict[str, Any]], name: str) -> pa.Table:
    """``rows`` as the store table ``name``: its columns and Arrow types as the migrations
    declare them (:func:`jingxin.store.catalog.load_schema`), a missing value NULL."""
    return pa.Table.from_pylist(rows, schema=load_schema(name))


def built(
    tables: Mapping[str, pa.Table],
    *,
    upsert: bool = False,
    unmatched: list[dict[str, Any]] | None = None,
) -> Built:
    """What a source's records become: ``tables`` with their primary keys from the store
    (for conflicts and diffs), each replacing stored rows of the same key when ``upsert``
    (registers), and the held rows' ``unmatched`` table when there are any."""
    tables = dict(tables)
    if unmatched:
        tables["unmatched_row"] = _unmatched_table(unmatched)
    keys = {t: primary_key(t) for t in tables if primary_key(t)}
    return Built(tables, upsert=dict(keys) if upsert else {}, keys=keys, unmatched=unmatched or [])


def prov(rec: Record) -> dict[str, Any]:
    """The record's provenance columns: its 1-based row and its worksheet."""
    return {"source_row": rec.row, "source_sheet": rec.sheet}


def file_year(ctx: Context, rec: Record, key: str = "year") -> int | None:
    """The record's year, else the file's (``--period``); an error when neither is given."""
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


def held(
    rec: Record,
    target: str,
    name: str,
    suggestion: str | None,
    payload: dict[str, Any],
    ctx: Context,
) -> dict[str, Any]:
    """A row held for an analyst because no key named its enterprise, with a warning."""
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
        **prov(rec),
    }


def _unmatched_table(rows: list[dict[str, Any]]) -> pa.Table:
    out = [
        {**r, "payload": json.dumps(r["payload"], ensure_ascii=False, default=str)} for r in rows
    ]
    return table(out, "unmatched_row")


def choice(
    rec: Record,
    ctx: Context,
    key: str,
    codes: CodeList,
    *,
    shown: str = "",
    required: bool = False,
) -> str | None:
    """The key of a code list a cell names (its label, another written form, or the key);
    an error listing the labels (or ``shown``) if unknown, or if blank and ``required``."""
    text = rec.values.get(key)
    if text is None and not required:
        return None
    found = codes.parse(text)
    if found is None:
        ctx.issues.error(
            Reason.TYPE,
            f"{codes.what}应为：" + (shown or "、".join(codes.values())),
            **rec.at(key),
            value=text,
        )
    return found


def split_list(text: object) -> list[str]:
    """A cell listing several values (``、``, ``,``, ``;`` and their full-width forms).

    >>> split_list("三百计划，大好高; 技改")
    ['三百计划', '大好高', '技改']
    """
    parts = str(text or "").replace("，", "、").replace(",", "、").replace(";", "、")
    return [p.strip() for p in parts.replace("；", "、").split("、") if p.strip()]


def fmt(x: float) -> str:
    """A number for a message: thousands separated, no trailing zeros.

    >>> fmt(6560000.0), fmt(12.5), fmt(0.1 + 0.2)
    ('6,560,000', '12.5', '0.3')
    """
    return f"{x:,.4f}".rstrip("0").rstrip(".")
