"""How a corrected file's rows differ from those of the file it replaces.

:func:`diff_table` compares the stored rows of the earlier file with the new file's rows by
the table's primary key; :func:`diff_rows` flattens the result into one row per changed
cell, added row and removed row (the report's 更正对比 sheet), and :func:`diff_lines` says it
in a few Chinese lines for the console. Values are in the store's units (万元, 万千瓦时 …).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

from jingxin.ingest.schemas import Kind

__all__ = ["LISTED", "TableDiff", "column_labels", "diff_lines", "diff_rows", "diff_table"]

# How many changed, added and removed rows a diff keeps (each); the counts are always whole.
LISTED = 1000

_PROVENANCE = {"source_file_id", "source_row", "source_sheet"}


@dataclass
class TableDiff:
    """How a corrected file's rows differ from those of the file it replaces.

    ``examples`` holds each changed row's key and ``{column: {"原值": a, "新值": b}}``;
    ``added_keys`` and ``removed_keys`` the keys of rows only in the new or the old file.
    """

    added: int = 0
    removed: int = 0
    changed: int = 0
    examples: list[dict[str, Any]] = field(default_factory=list)
    added_keys: list[str] = field(default_factory=list)
    removed_keys: list[str] = field(default_factory=list)


def diff_table(old: pa.Table, new: pa.Table, keys: tuple[str, ...]) -> TableDiff:
    """The difference between ``old`` and ``new`` rows of one table, by ``keys``.

    Examples
    --------
    >>> old = pa.table({"k": ["a", "b"], "v": [1.0, 2.0]})
    >>> new = pa.table({"k": ["a", "c"], "v": [1.5, 3.0]})
    >>> d = diff_table(old, new, ("k",))
    >>> (d.added, d.removed, d.changed, d.added_keys, d.removed_keys)
    (1, 1, 1, ['c'], ['b'])
    >>> d.examples
    [{'key': 'a', 'v': {'原值': 1.0, '新值': 1.5}}]
    """
    cols = [c for c in new.column_names if c not in _PROVENANCE]
    o = {tuple(r[k] for k in keys): r for r in old.select(cols).to_pylist()}
    n = {tuple(r[k] for k in keys): r for r in new.select(cols).to_pylist()}
    added = sorted(n.keys() - o.keys(), key=repr)
    removed = sorted(o.keys() - n.keys(), key=repr)
    d = TableDiff(
        added=len(added),
        removed=len(removed),
        added_keys=[_key(k) for k in added[:LISTED]],
        removed_keys=[_key(k) for k in removed[:LISTED]],
    )
    for k in sorted(n.keys() & o.keys(), key=repr):
        changed = {c: (o[k][c], n[k][c]) for c in cols if o[k][c] != n[k][c]}
        if changed:
            d.changed += 1
            if len(d.examples) < LISTED:
                d.examples.append(
                    {"key": _key(k), **{c: {"原值": a, "新值": b} for c, (a, b) in changed.items()}}
                )
    return d


def _key(k: tuple[Any, ...]) -> str:
    return "/".join(map(str, k))


def diff_rows(diff: Mapping[str, TableDiff], labels: Mapping[str, str]) -> list[list[Any]]:
    """One row per changed cell, added row and removed row: 表, 变化, 关键字段, 列, 原值, 新值.

    ``labels`` maps a store column to the Chinese label shown for it.

    Examples
    --------
    >>> d = {"t": TableDiff(1, 0, 1, [{"key": "a", "v": {"原值": 1, "新值": 2}}], ["b"])}
    >>> diff_rows(d, {"v": "数值"})
    [['t', '变更', 'a', '数值', 1, 2], ['t', '新增', 'b', None, None, None]]
    """
    out: list[list[Any]] = []
    for table, d in diff.items():
        for ex in d.examples:
            for col, change in ex.items():
                if col != "key":
                    out.append(
                        [
                            table,
                            "变更",
                            ex["key"],
                            labels.get(col, col),
                            change["原值"],
                            change["新值"],
                        ]
                    )
        out += [[table, "新增", k, None, None, None] for k in d.added_keys]
        out += [[table, "删除", k, None, None, None] for k in d.removed_keys]
    return out


def diff_lines(
    diff: Mapping[str, TableDiff], labels: Mapping[str, str], examples: int = 3
) -> list[str]:
    """The difference in a few Chinese lines: counts per table, then a few changed values.

    Examples
    --------
    >>> d = {"t": TableDiff(0, 1, 1, [{"key": "a", "v": {"原值": 1.0, "新值": 2.5}}], [], ["b"])}
    >>> for line in diff_lines(d, {"v": "数值"}):
    ...     print(line)
    t：新增 0 行，删除 1 行，变更 1 行
      a 数值：1 → 2.5
      删除：b
    """
    lines = []
    for table, d in diff.items():
        lines.append(f"{table}：新增 {d.added} 行，删除 {d.removed} 行，变更 {d.changed} 行")
        for ex in d.examples[:examples]:
            cells = [
                f"{labels.get(c, c)}：{_show(v['原值'])} → {_show(v['新值'])}"
                for c, v in ex.items()
                if c != "key"
            ]
            lines.append(f"  {ex['key']} {'；'.join(cells)}")
        if d.added_keys:
            lines.append(f"  新增：{'、'.join(d.added_keys[:examples])}{_more(d.added, examples)}")
        if d.removed_keys:
            shown = "、".join(d.removed_keys[:examples])
            lines.append(f"  删除：{shown}{_more(d.removed, examples)}")
    return lines


def _more(n: int, shown: int) -> str:
    return f" 等 {n} 行" if n > shown else ""


def _show(value: Any) -> str:
    """A value as the console shows it: numbers without trailing zeros, blank as （空）.

    >>> _show(850.0), _show(0.12345678), _show(None), _show("甲")
    ('850', '0.1235', '（空）', '甲')
    """
    if value is None:
        return "（空）"
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".")
    return str(value)


def column_labels(kind: Kind) -> dict[str, str]:
    """Store column → the Chinese label of the kind's column that fills it (上年同期 marked).

    >>> from jingxin.ingest.kinds import STATS_MONTHLY
    >>> labels = column_labels(STATS_MONTHLY)
    >>> labels["gross_output"], labels["gross_output_prior"]
    ('工业总产值(当年价格)', '上年同期工业总产值(当年价格)')
    """
    return {
        c.key: ("上年同期" if c.qualifier == "prior_ytd" else "") + c.label for c in kind.columns
    }
