"""The store's lookups for ingest: the register, the crosswalks, a file's rows and keys.

A mixin of :class:`jingxin.store.Store` (these are the reads that validate a department
file against what is stored; they run inside the store, before any scope exists).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import duckdb
import pyarrow as pa

from jingxin.errors import InputError
from jingxin.store.errors import translate
from jingxin.store.schema import V1_SOURCE_TABLES

__all__ = ["LOADABLE_TABLES", "IngestLookups"]

LOADABLE_TABLES = (
    *V1_SOURCE_TABLES,
    "tax_paid",
    "grid_account",
    "meter_daily",
    "capacity_case",
    "land_parcel",
    "emission",
    "incident",
    "enterprise_annual",
    "evaluation_history",
    "unmatched_row",
    "project",
    "project_plan",
    "project_progress",
    "target",
    "pool_member",
)


class IngestLookups:
    """Reads of stored rows that an import checks against."""

    con: duckdb.DuckDBPyConnection
    path: str

    def arrow(self, sql: str, params: list[Any] | None = None) -> pa.Table:
        """Run a read query and return an Arrow table (for ``store/`` and tests only)."""
        try:
            return self.con.sql(sql, params=params or None).to_arrow_table()
        except duckdb.Error as exc:
            raise translate(self.path, exc) from exc

    def enterprises(self) -> dict[str, tuple[str, str]]:
        """Every registered enterprise: USCC → (name, county code)."""
        rows = self.con.execute("select uscc, name, region_code from enterprise").fetchall()
        return {r[0]: (r[1], r[2]) for r in rows}

    def aliases(self) -> dict[str, str]:
        """Analyst-confirmed keys (normalised names, old taxpayer IDs) → USCC."""
        return dict(self.con.execute("select alias, uscc from enterprise_alias").fetchall())

    def grid_accounts(self) -> dict[str, str]:
        """Power-grid account (户号) → USCC."""
        return dict(self.con.execute("select account, uscc from grid_account").fetchall())

    def has_foreign_data(self, demo_actor: str = "demo") -> bool:
        """Whether anything was loaded other than by the demo (which must never overwrite it)."""
        row = self.con.execute(
            "select count(*) from source_file where loaded_by <> ? and kind not like 'demo%'",
            [demo_actor],
        ).fetchall()[0]
        return bool(row and row[0])

    def file_id(self, kind: str, sha256: str) -> int | None:
        """The id of a file of ``kind`` with this content, if it was loaded before."""
        rows = self.con.execute(
            "select id from source_file where kind = ? and sha256 = ?", [kind, sha256]
        ).fetchall()
        return int(rows[0][0]) if rows else None

    def active_file(self, kind: str, period: str) -> int | None:
        """The active file of ``kind`` for ``period`` (the one a corrected file replaces)."""
        rows = self.con.execute(
            "select id from source_file where kind = ? and period = ? and status = 'active'",
            [kind, period],
        ).fetchall()
        return int(rows[0][0]) if rows else None

    def file_rows(self, tname: str, file_id: int) -> pa.Table:
        """The stored rows of ``tname`` that came from one file."""
        if tname not in LOADABLE_TABLES:
            raise InputError(f"表 {tname!r} 不是导入表。")
        return self.arrow(f"select * from {tname} where source_file_id = ?", [file_id])  # noqa: S608

    def stored_keys(self, tname: str, table: pa.Table, keys: Sequence[str]) -> pa.Table:
        """Rows of ``tname`` whose key equals a key in ``table``, with their source file."""
        if tname not in LOADABLE_TABLES:
            raise InputError(f"表 {tname!r} 不是导入表。")
        cols = ", ".join(f't."{k}"' for k in keys)
        on = " and ".join(f't."{k}" = i."{k}"' for k in keys)
        self.con.register("_probe", table.select(list(keys)))
        try:
            return self.con.sql(
                f"select {cols}, t.source_file_id, f.name as source_name from {tname} t "  # noqa: S608
                f"join source_file f on f.id = t.source_file_id "
                f"where exists (select 1 from _probe i where {on})"
            ).to_arrow_table()
        finally:
            self.con.unregister("_probe")

    def history(self, measure: str, usccs: Sequence[str], before: str) -> pa.Table:
        """Stored year-to-date values of a ``monthly_fact`` measure before a period."""
        from jingxin.store.schema import FACT_MEASURES

        if measure not in FACT_MEASURES:
            raise InputError(f"没有指标 {measure!r}。")
        self.con.register("_who", pa.table({"uscc": pa.array(list(usccs), pa.string())}))
        try:
            return self.con.sql(
                f'select uscc, period, "{measure}" as value from monthly_fact '  # noqa: S608
                "where period < ? and uscc in (select uscc from _who)",
                params=[before],
            ).to_arrow_table()
        finally:
            self.con.unregister("_who")

    def electricity_of(self, period: str) -> dict[str, float]:
        """Single-month electricity per enterprise in ``period``."""
        rows = self.con.execute(
            "select uscc, kwh from electricity where period = ?", [period]
        ).fetchall()
        return {r[0]: float(r[1]) for r in rows}
