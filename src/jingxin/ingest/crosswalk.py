"""Held rows and the analyst's confirmations: a name (or other key) that no crosswalk knew is
matched to an enterprise only when a person says so; then the held rows are stored."""

from __future__ import annotations

from typing import Any

from jingxin import uscc as uscc_mod
from jingxin.errors import InputError
from jingxin.ingest.context import normalise_name
from jingxin.store import Store
from jingxin.store.held import add_alias, release, unmatched

__all__ = ["confirm", "held_rows"]


def held_rows(store: Store) -> list[dict[str, Any]]:
    """Unresolved held rows, each with its file, row, name and suggested enterprise."""
    return unmatched(store)


def confirm(store: Store, name: str, code: str | None, actor: str) -> int:
    """Confirm that ``name`` is enterprise ``code`` (or its suggestion when ``code`` is None):
    record the alias and store every held row under that name. Returns rows stored."""
    key = normalise_name(name)
    rows = [r for r in unmatched(store) if normalise_name(str(r["name"])) == key]
    if not rows:
        raise InputError(f"没有名称为“{name}”的待确认记录。")
    if code is None:
        suggestions = {r["suggestion"] for r in rows}
        if len(suggestions) != 1 or None in suggestions:
            raise InputError(f"“{name}”没有唯一的建议企业：请用 --uscc 指定统一社会信用代码。")
        code = str(suggestions.pop())
    reason = uscc_mod.check_reason(code)
    if reason is not None:
        raise InputError(f"统一社会信用代码 {code} 无效：{reason}。")
    if code not in store.enterprises():
        raise InputError(f"企业 {code} 不在企业名录中。")
    add_alias(store, key, code, actor)
    return release(store, rows, code, actor)
