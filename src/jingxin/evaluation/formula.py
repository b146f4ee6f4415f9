"""Indicator formulas (``value_added / land_mu``) compiled into Ibis expressions.

Only input columns, numbers, parentheses and ``+ - * /`` are allowed (checked by
``method.formula_names``). A division by zero gives null, not infinity, so that the
indicator's missing rule applies to it.
"""

from __future__ import annotations

import ast
from typing import Any

import ibis
import ibis.expr.types as ir

__all__ = ["compile_formula", "ratio_parts"]


def compile_formula(formula: str, table: ir.Table) -> Any:
    """The formula as a float64 Ibis expression over ``table``'s columns."""
    return _compile(ast.parse(formula, mode="eval").body, table).cast("float64")


def ratio_parts(formula: str, table: ir.Table) -> tuple[Any, Any]:
    """Numerator and denominator of a formula of the form ``a / b``."""
    body = ast.parse(formula, mode="eval").body
    if not (isinstance(body, ast.BinOp) and isinstance(body.op, ast.Div)):
        raise ValueError(f"公式 {formula!r} 不是 a / b 形式")
    return _compile(body.left, table).cast("float64"), _compile(body.right, table).cast("float64")


def _compile(node: ast.expr, t: ir.Table) -> Any:
    if isinstance(node, ast.Name):
        return t[node.id]
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
        return ibis.literal(float(node.value))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return -_compile(node.operand, t)
    if isinstance(node, ast.BinOp):
        a, b = _compile(node.left, t), _compile(node.right, t)
        if isinstance(node.op, ast.Add):
            return a + b
        if isinstance(node.op, ast.Sub):
            return a - b
        if isinstance(node.op, ast.Mult):
            return a * b
        if isinstance(node.op, ast.Div):
            return a / b.nullif(0)
    raise ValueError(f"公式中不允许 {ast.dump(node)}")  # method validation prevents this
