"""The builder of one-to-one sources: each row of the file becomes one row of one table.

The table's columns come from the store (:mod:`jingxin.store.catalog`), each filled from
the file's column of the same name. A few store columns have a standard rule:

* ``uscc``: a valid credit code of an enterprise in the register;
* ``region_code``: a county (or city, province) from the file's ``region`` column, as a
  GB/T 2260 code or a name;
* ``year``: the row's year, else the file's (``--period``);
* ``period``: the row's period, else the file's.

A kind passes a resolver for any other column that needs a rule (a code list, a default).
A row whose resolver fails (the error is reported) is not stored, nor a row whose key the
file already had (``duplicate``). A ``check`` sees the rows kept, for rules across rows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final

from jingxin.ingest.context import Context
from jingxin.ingest.kinds.common import built, choice, file_year, prov, table
from jingxin.ingest.schemas import Built, Record
from jingxin.reference.vocabulary import CodeList
from jingxin.store.catalog import PROVENANCE, columns, primary_key

__all__ = ["SKIP", "Resolver", "coded", "one_to_one"]


class _Skip:
    """The row cannot be stored (its problem is reported already)."""

    def __repr__(self) -> str:
        return "SKIP"


SKIP: Final = _Skip()

Resolver = Callable[[Record, Context], Any]
Check = Callable[[list[dict[str, Any]], list[Record], Context], None]

# Store column → the file column it is read from, where the names differ.
FILE_KEY = {"region_code": "region"}


def _uscc(rec: Record, ctx: Context) -> Any:
    code = ctx.uscc(rec, "uscc")
    return SKIP if code is None else code


def _region(rec: Record, ctx: Context) -> Any:
    code = ctx.region(rec, "region")
    return SKIP if code is None else code


def _year(rec: Record, ctx: Context) -> Any:
    year = file_year(ctx, rec)
    return SKIP if year is None else year


def _period(rec: Record, ctx: Context) -> Any:
    period = rec.values.get("period") or ctx.period
    return SKIP if period is None else period


_STANDARD: dict[str, Resolver] = {
    "uscc": _uscc,
    "region_code": _region,
    "year": _year,
    "period": _period,
}


def coded(
    key: str,
    codes: CodeList,
    *,
    default: str | None = None,
    required: bool = False,
    shown: str = "",
) -> Resolver:
    """A resolver for a cell naming a code of ``codes`` (an error listing the labels, or
    ``shown``, if unknown). A blank cell is an error when ``required``, else ``default``."""

    def resolve(rec: Record, ctx: Context) -> Any:
        if not required and not rec.values.get(key):
            return default
        found = choice(rec, ctx, key, codes, shown=shown, required=required)
        return SKIP if found is None else found

    return resolve


def one_to_one(
    name: str,
    resolvers: Mapping[str, Resolver] | None = None,
    *,
    upsert: bool = False,
    check: Check | None = None,
) -> Callable[[list[Record], Context], Built]:
    """A builder that turns each record into one row of the store table ``name``.

    Parameters
    ----------
    name
        The store table; its columns and primary key are read from the store's schema.
    resolvers
        Store column → how to get its value from a record, where the standard rules (see
        the module) or "the file's column of the same name" do not apply. A resolver
        returns :data:`SKIP` to drop the row after reporting why.
    upsert
        Whether rows replace stored rows of the same key (registers), audited.
    check
        Called with the rows kept, the records and the context, for rules across rows.

    Examples
    --------
    >>> build = one_to_one("price_index")
    >>> from jingxin.ingest.issues import Issues
    >>> from jingxin.store import Store
    >>> ctx = Context(Store(":memory:"), Issues("f.csv"), period="2016-06")
    >>> rec = Record(None, 2, {"division": "17", "ppi": 98.6}, {})
    >>> build([rec], ctx).tables["price_index"].to_pylist()
    [{'division': '17', 'period': '2016-06', 'ppi': 98.6, 'source_row': 2, 'source_sheet': None}]
    """
    own = dict(resolvers or {})
    store_cols = [c for c in columns(name) if c not in ("source_file_id", *PROVENANCE)]
    key = primary_key(name)
    get = {c: own.get(c) or _STANDARD.get(c) or _column(c) for c in store_cols}
    dup_at = FILE_KEY.get(key[0], key[0]) if key else ""

    def build(records: list[Record], ctx: Context) -> Built:
        rows = []
        for rec in records:
            row = {c: resolve(rec, ctx) for c, resolve in get.items()}
            if any(v is SKIP for v in row.values()):
                continue
            if "uscc" in row and "uscc" not in own and not ctx.known(rec, row["uscc"], "uscc"):
                continue
            if key and not ctx.once(name, tuple(row[k] for k in key), rec, dup_at):
                continue
            rows.append({**row, **prov(rec)})
        if check is not None:
            check(rows, records, ctx)
        return built({name: table(rows, name)}, upsert=upsert)

    return build


def _column(name: str) -> Resolver:
    def resolve(rec: Record, ctx: Context) -> Any:
        return rec.values.get(name)

    return resolve
