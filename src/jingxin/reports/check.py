"""Compare computed figures with a targets file at the published precision."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

__all__ = ["SPINE_TABLES", "FigureCheck", "compare"]

# The targets tables of the spine (issue #2); the others are the tracked figures (issue #5).
SPINE_TABLES = ("meta", "above_scale", "electricity", "groups", "new_products")


@dataclass(frozen=True)
class FigureCheck:
    """One published figure against the computed one."""

    path: str
    target: Any
    computed: Any
    ok: bool


def _decimals(x: float) -> int:
    exp = Decimal(repr(x)).as_tuple().exponent
    return max(0, -exp) if isinstance(exp, int) else 0


def _same(target: Any, computed: Any) -> bool:
    if computed is None:
        return False
    if isinstance(target, bool) or isinstance(target, str | list):
        return bool(target == computed)
    if isinstance(target, int):  # counts and ranks, or a rate published without decimals
        return isinstance(computed, int | float) and round(float(computed)) == target
    if isinstance(target, float):
        d = _decimals(target)
        return isinstance(computed, int | float) and round(float(computed), d) == round(target, d)
    return bool(target == computed)


def _leaves(node: Any, prefix: str) -> list[tuple[str, Any]]:
    if isinstance(node, dict):
        out: list[tuple[str, Any]] = []
        for k, v in node.items():
            out += _leaves(v, f"{prefix}.{k}" if prefix else str(k))
        return out
    return [(prefix, node)]


def _get(tree: Any, path: str) -> Any:
    node = tree
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def compare(
    targets: dict[str, Any], computed: dict[str, Any], tables: tuple[str, ...] | None = None
) -> list[FigureCheck]:
    """Every figure of ``tables`` (default: all) in the targets, with the computed value and
    a verdict.

    Floats match when the computed value, rounded to as many decimals as the target is
    written with, equals the target.

    Examples
    --------
    >>> [c.ok for c in compare({"a": {"x": 6.2, "n": 2}}, {"a": {"x": 6.2049, "n": 2}}, ("a",))]
    [True, True]
    >>> compare({"a": {"x": 2.99}}, {"a": {"x": 2.996}}, ("a",))[0].ok
    False
    >>> compare({"a": {"pct": 154}}, {"a": {"pct": 153.99999}})[0].ok
    True
    """
    out = []
    for table in tables if tables is not None else tuple(targets):
        for path, target in _leaves(targets.get(table, {}), table):
            got = _get(computed, path)
            out.append(FigureCheck(path, target, got, _same(target, got)))
    return out
