"""Chinese phrasing of figures the way the bureau writes them."""

from __future__ import annotations

__all__ = ["change", "changes", "fmt", "gap", "share_change"]


def fmt(x: float | int | None, decimals: int = 1) -> str:
    """A number as printed, or '—' when missing.

    Examples
    --------
    >>> fmt(828.3), fmt(None), fmt(3, 0)
    ('828.3', '—', '3')
    """
    if x is None:
        return "—"
    return f"{round(x, decimals) + 0.0:.{decimals}f}"  # + 0.0 turns -0.0 into 0.0


def change(pct: float | None, decimals: int = 1) -> str:
    """'增长6.2%' or '下降1.3%'.

    Examples
    --------
    >>> change(6.2), change(-1.34)
    ('增长6.2%', '下降1.3%')
    """
    if pct is None:
        return "增速不可比"
    word = "增长" if pct >= 0 else "下降"
    return f"{word}{fmt(abs(pct), decimals)}%"


def gap(pp: float | None, decimals: int = 2) -> str:
    """'高于全省平均2.99个百分点' or '低于…'.

    Examples
    --------
    >>> gap(2.99), gap(-0.5, 1)
    ('高于全省平均2.99个百分点', '低于全省平均0.5个百分点')
    """
    if pp is None:
        return "与全省平均不可比"
    word = "高于" if pp >= 0 else "低于"
    return f"{word}全省平均{fmt(abs(pp), decimals)}个百分点"


def share_change(pp: float | None) -> str:
    """'提高0.4个百分点' or '下降1.1个百分点'.

    Examples
    --------
    >>> share_change(-1.1)
    '下降1.1个百分点'
    """
    if pp is None:
        return "变化不可比"
    return f"{'提高' if pp >= 0 else '下降'}{fmt(abs(pp))}个百分点"


def changes(pcts: list[float | None]) -> str:
    """'增长7.2%、5.6%和5.8%' when all move the same way, else each with its own verb.

    Examples
    --------
    >>> changes([7.2, 5.6, 5.8])
    '增长7.2%、5.6%和5.8%'
    >>> changes([7.2, -1.0])
    '增长7.2%和下降1.0%'
    """
    parts = [change(p) for p in pcts]
    if all(p is not None and p >= 0 for p in pcts) or all(p is not None and p < 0 for p in pcts):
        parts = [parts[0]] + [x[2:] for x in parts[1:]]
    if len(parts) == 1:
        return parts[0]
    return "、".join(parts[:-1]) + "和" + parts[-1]
