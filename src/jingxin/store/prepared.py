"""Queries compiled once and run many times with bound values (a prepared read).

Compiling an Ibis expression to SQL costs a few milliseconds of Python each time; a page
that reads a dozen tables about one enterprise spends most of its time there, not in
DuckDB. A :class:`Prepared` query is built once per scope from the read boundary
(:meth:`jingxin.store.Store.table`) with :func:`ibis.param` placeholders, compiled once,
and then run with the values bound by DuckDB as parameters (never pasted into the SQL).

The scope is part of what is prepared: :meth:`jingxin.store.Store.prepare` keys its cache
by the caller's key *and* the scope, and hands the scope to the builder, so a query
prepared for one county is never run for another.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import duckdb
import ibis
import pyarrow as pa

__all__ = ["Prepared", "compile_prepared"]

_MARK = "\u27e6{}\u27e7"  # ⟦name⟧: a string no identifier or value of the store contains


@dataclass(frozen=True)
class Prepared:
    """One compiled read: its SQL with ``$name`` parameters and the Arrow schema of its
    result (as :meth:`jingxin.store.Store.run` would give it)."""

    sql: str
    names: frozenset[str]
    schema: pa.Schema

    def run(self, con: duckdb.DuckDBPyConnection, values: Mapping[str, Any]) -> pa.Table:
        """Run the query on ``con`` with ``values`` bound to its parameters."""
        if set(values) != self.names:
            raise TypeError(f"预编译查询需要参数 {sorted(self.names)}，实际给出 {sorted(values)}。")
        table = con.sql(self.sql, params=dict(values)).to_arrow_table()
        return table.cast(self.schema) if table.schema != self.schema else table


def compile_prepared(expr: Any, params: Mapping[str, Any]) -> Prepared:
    """Compile ``expr`` whose string parameters ``params`` (name → :func:`ibis.param`)
    become DuckDB's ``$name`` placeholders.

    Each parameter must appear in the SQL as its own quoted literal; a parameter the
    compiler folded away or duplicated in an unexpected form is refused rather than run
    with a wrong value.
    """
    for name in params:
        if not name.isidentifier():
            raise ValueError(f"参数名 {name!r} 无效。")
    marks = {p: _MARK.format(name) for name, p in params.items()}
    sql = str(ibis.to_sql(expr, dialect="duckdb", params=marks))
    for name in params:
        literal = f"'{_MARK.format(name)}'"
        if literal not in sql:
            raise ValueError(f"参数 {name!r} 未出现在编译后的查询中。")
        sql = sql.replace(literal, f"${name}")
    if "\u27e6" in sql:
        raise ValueError("编译后的查询中仍有未替换的参数标记。")
    return Prepared(sql, frozenset(params), expr.schema().to_pyarrow())


Builder = Callable[[Any], tuple[Any, Mapping[str, Any]]]
