"""The store's tables as the migrations declare them: columns, Arrow types, primary keys.

The schema is stated once, in :data:`jingxin.store.schema.MIGRATIONS`. Code that builds
rows for a table (the ingest kinds) asks this module for the table's Arrow schema and key
instead of restating them. The migrations are applied once to an empty in-memory DuckDB
and its metadata read; the result is cached for the life of the process.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import duckdb
import pyarrow as pa

from jingxin.store.schema import MIGRATIONS

__all__ = ["PROVENANCE", "arrow_schema", "columns", "load_schema", "primary_key", "tables"]

# Columns the store fills itself when a file's rows are loaded (``Store.insert_rows``).
_STORE_FILLED = ("source_file_id",)

# Provenance columns a builder gives each row: the 1-based row and the worksheet.
PROVENANCE = ("source_row", "source_sheet")

_SCALARS: dict[str, pa.DataType] = {
    "VARCHAR": pa.string(),
    "JSON": pa.string(),
    "INTEGER": pa.int32(),
    "BIGINT": pa.int64(),
    "SMALLINT": pa.int16(),
    "DOUBLE": pa.float64(),
    "FLOAT": pa.float32(),
    "BOOLEAN": pa.bool_(),
    "DATE": pa.date32(),
    "TIMESTAMP": pa.timestamp("us"),
}


@dataclass(frozen=True)
class _Table:
    columns: tuple[tuple[str, str], ...]  # (name, DuckDB type), in DDL order
    key: tuple[str, ...]


def _arrow_type(duck: str) -> pa.DataType:
    """The Arrow type of a DuckDB column type.

    >>> _arrow_type("VARCHAR[]")
    ListType(list<item: string>)
    """
    if duck.endswith("[]"):
        return pa.list_(_arrow_type(duck[:-2]))
    try:
        return _SCALARS[duck]
    except KeyError:
        raise TypeError(
            f"列类型 {duck!r} 没有对应的 Arrow 类型：请在 jingxin/store/catalog.py 中补充。"
        ) from None


@cache
def _catalog() -> dict[str, _Table]:
    con = duckdb.connect(":memory:")
    try:
        for _, _, ddl in MIGRATIONS:
            con.execute(ddl)
        cols: dict[str, list[tuple[str, str]]] = {}
        for t, c, typ in con.execute(
            "select table_name, column_name, data_type from duckdb_columns() "
            "where schema_name = 'main' order by table_name, column_index"
        ).fetchall():
            cols.setdefault(t, []).append((c, typ))
        keys = {
            t: tuple(names)
            for t, names in con.execute(
                "select table_name, constraint_column_names from duckdb_constraints() "
                "where schema_name = 'main' and constraint_type = 'PRIMARY KEY'"
            ).fetchall()
        }
    finally:
        con.close()
    return {t: _Table(tuple(c), keys.get(t, ())) for t, c in cols.items()}


def _table(name: str) -> _Table:
    try:
        return _catalog()[name]
    except KeyError:
        raise KeyError(f"数据库结构中没有表 {name!r}。") from None


def tables() -> tuple[str, ...]:
    """Every table the migrations create, by name.

    >>> "enterprise" in tables()
    True
    """
    return tuple(sorted(_catalog()))


def columns(table: str) -> tuple[str, ...]:
    """The column names of ``table``, in the order of its DDL.

    >>> columns("grid_account")
    ('account', 'account_name', 'uscc', 'source_file_id', 'source_row', 'source_sheet')
    """
    return tuple(c for c, _ in _table(table).columns)


def arrow_schema(table: str) -> pa.Schema:
    """The Arrow schema of ``table``: every column, DuckDB types mapped to Arrow ones.

    >>> arrow_schema("enterprise").field("flags").type
    ListType(list<item: string>)
    >>> str(arrow_schema("project").field("planned_start").type)
    'date32[day]'
    """
    return pa.schema([(c, _arrow_type(t)) for c, t in _table(table).columns])


def load_schema(table: str) -> pa.Schema:
    """The schema of the rows a source gives ``table``: every column but those the store
    fills on load (``source_file_id``), provenance (``source_row`` int32, ``source_sheet``
    string) last.

    >>> load_schema("price_index").names
    ['division', 'period', 'ppi', 'source_row', 'source_sheet']
    """
    full = arrow_schema(table)
    skip = (*_STORE_FILLED, *PROVENANCE)
    fields = [f for f in full if f.name not in skip]
    return pa.schema([*fields, *(full.field(p) for p in PROVENANCE if p in full.names)])


def primary_key(table: str) -> tuple[str, ...]:
    """The primary key of ``table`` (empty when it has none), from DuckDB's constraints.

    >>> primary_key("emission")
    ('uscc', 'year', 'pollutant')
    >>> primary_key("unmatched_row")
    ()
    """
    return _table(table).key
