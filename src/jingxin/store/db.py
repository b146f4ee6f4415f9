"""The store: a DuckDB file with a versioned schema. Only this package touches DuckDB.

Loads are atomic (one transaction per source file), idempotent (the same content twice is
a no-op), and every loaded row keeps its provenance (source file and row). Changes made
through the platform are written to ``audit_log`` with who, when, before and after.
"""

from __future__ import annotations

import hashlib
from collections.abc import Hashable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import ibis
import pyarrow as pa

from jingxin.errors import DataError, InputError
from jingxin.reference import regions
from jingxin.store.audit import next_id, now, record_change, write_audit, write_audits
from jingxin.store.errors import opening_error, translate
from jingxin.store.lookups import LOADABLE_TABLES, IngestLookups
from jingxin.store.prepared import Builder, Prepared, compile_prepared
from jingxin.store.schema import MIGRATIONS, SCHEMA_VERSION
from jingxin.store.scope import Scope, scoped_table

__all__ = ["LoadResult", "Store", "table_sha256"]

# What goes with a file when a corrected file supersedes it, or a restore replaces it: its
# rows in every loadable table but the grid crosswalk. An account an analyst confirmed from a
# held row (``jingxin crosswalk confirm``) is stored with that row's file as provenance, yet
# it is a confirmation kept by its key, as the crosswalk file's own rows are (that file has
# no period and is never superseded): correcting the month's file must not take it back.
FILE_TABLES = tuple(t for t in LOADABLE_TABLES if t != "grid_account")


@dataclass(frozen=True)
class LoadResult:
    """What a load did: the source file's id, rows written per table, or that it was a repeat."""

    file_id: int
    rows: dict[str, int]
    repeated: bool
    superseded: int | None = None  # the earlier file of the same kind and period it replaced


def table_sha256(tables: Mapping[str, pa.Table]) -> str:
    """A content hash of named Arrow tables, stable across runs.

    Examples
    --------
    >>> t = pa.table({"a": [1, 2]})
    >>> table_sha256({"x": t}) == table_sha256({"x": pa.table({"a": [1, 2]})})
    True
    """
    h = hashlib.sha256()
    for name in sorted(tables):
        h.update(name.encode())
        sink = pa.BufferOutputStream()
        with pa.ipc.new_stream(sink, tables[name].schema) as writer:
            writer.write_table(tables[name])
        h.update(sink.getvalue().to_pybytes())
    return h.hexdigest()


class Store(IngestLookups):
    """A DuckDB-backed store.

    Parameters
    ----------
    path
        The DuckDB file, or ``":memory:"``.
    read_only
        Open without write access (for readers such as reports and the web).

    Examples
    --------
    >>> s = Store(":memory:")
    >>> s.schema_version() == SCHEMA_VERSION
    True
    >>> s.con.execute("select name from region where code = '330500'").fetchall()[0]
    ('湖州市',)
    """

    def __init__(self, path: str | Path = ":memory:", *, read_only: bool = False) -> None:
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        try:
            self.con = duckdb.connect(self.path, read_only=read_only)
        except duckdb.Error as exc:
            raise opening_error(self.path, exc) from exc
        self._ibis: Any = None
        self._columns: dict[str, tuple[str, ...]] | None = None
        self._tables: dict[str, Any] = {}  # name → unscoped Ibis table (schema read once)
        self._prepared: dict[tuple[Any, Scope], Prepared] = {}
        if not read_only:
            self.migrate()

    # -- schema ----------------------------------------------------------------------------
    def schema_version(self) -> int:
        """The schema version of this store (0 for an empty file)."""
        exists = self.con.execute(
            "select count(*) from information_schema.tables where table_name = 'schema_version'"
        ).fetchall()[0]
        if not exists or not exists[0]:
            return 0
        row = self.con.execute("select max(version) from schema_version").fetchall()[0]
        return int(row[0]) if row and row[0] is not None else 0

    def migrate(self) -> None:
        """Apply the migrations this store lacks, each in its own transaction."""
        self.con.execute(
            "create table if not exists schema_version "
            "(version integer primary key, name varchar, applied_at timestamp)"
        )
        current = self.schema_version()
        if current > SCHEMA_VERSION:
            raise DataError(
                f"数据库 {self.path} 的结构版本为 {current}，高于本程序支持的 {SCHEMA_VERSION}："
                "请升级 jingxin。"
            )
        for version, name, ddl in MIGRATIONS:
            if version <= current:
                continue
            with self.transaction():
                self.con.execute(ddl)
                if version == 1:
                    self._seed_regions()
                self.con.execute(
                    "insert into schema_version values (?, ?, ?)", [version, name, now()]
                )
        self._columns = None
        self._tables.clear()
        self._prepared.clear()

    def _seed_regions(self) -> None:
        rows = [(r.code, r.name, r.level, r.parent) for r in regions().values()]
        self.con.executemany("insert into region values (?, ?, ?, ?)", rows)

    # -- transactions and loads --------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """Run a block in one transaction: all of it is stored, or none."""
        self.con.execute("begin transaction")
        try:
            yield self.con
        except BaseException:
            self.con.execute("rollback")
            raise
        self.con.execute("commit")

    def load(
        self,
        kind: str,
        name: str,
        tables: Mapping[str, pa.Table],
        *,
        period: str | None = None,
        actor: str = "system",
        sha256: str | None = None,
        received_at: datetime | None = None,
        archive: str | None = None,
        supersede: bool = False,
        upsert: Mapping[str, Sequence[str]] | None = None,
    ) -> LoadResult:
        """Load one source's tables atomically, with provenance.

        Each table's rows get ``source_file_id`` and ``source_row`` (the table's own
        ``source_row`` column if it has one, else the 1-based row number); a ``source_sheet``
        column is kept when given. Loading content already loaded under the same kind is a
        no-op; ``sha256`` names the content (a raw file's hash), else the tables are hashed.

        With ``supersede``, an earlier active file of the same kind and period is replaced in
        the same transaction: its rows are deleted (not the grid accounts confirmed from its
        held rows, see ``FILE_TABLES``), it is marked ``superseded`` and the replacement is
        written to ``audit_log``. Tables named in ``upsert`` replace stored rows
        with the same key (for registers), each replaced row audited with before and after.
        """
        for tname in tables:
            if tname not in LOADABLE_TABLES:
                raise InputError(
                    f"不能导入到表 {tname!r}：可导入的表为 {', '.join(LOADABLE_TABLES)}。"
                )
        sha = sha256 or table_sha256(tables)
        prior = self.con.execute(
            "select id from source_file where kind = ? and sha256 = ?", [kind, sha]
        ).fetchall()
        if prior:
            return LoadResult(int(prior[0][0]), dict.fromkeys(tables, 0), repeated=True)
        total = sum(t.num_rows for t in tables.values())
        written: dict[str, int] = {}
        with self.transaction() as con:
            file_id = next_id(con, "source_file")
            at = now()
            con.execute(
                "insert into source_file (id, kind, name, sha256, period, rows, loaded_at, "
                "loaded_by, status, received_at, archive) "
                "values (?, ?, ?, ?, ?, ?, ?, ?, 'active', ?, ?)",
                [file_id, kind, name, sha, period, total, at, actor, received_at or at, archive],
            )
            replaced = None
            if supersede and period is not None:
                replaced = self._supersede(kind, period, file_id, actor)
            for tname, table in tables.items():
                keys = (upsert or {}).get(tname)
                if keys:
                    self._replace_keys(tname, table, keys, actor, name)
                written[tname] = self.insert_rows(tname, table, file_id)
            record_change(
                con,
                "supersede" if replaced is not None else "load",
                tables,
                period=period,
                file_id=file_id,
            )
        return LoadResult(file_id, written, repeated=False, superseded=replaced)

    def _supersede(self, kind: str, period: str, file_id: int, actor: str) -> int | None:
        old = self.con.execute(
            "select id, name, rows from source_file "
            "where kind = ? and period = ? and status = 'active' and id <> ?",
            [kind, period, file_id],
        ).fetchall()
        if not old:
            return None
        old_id = int(old[0][0])
        for tname in FILE_TABLES:
            self.con.execute(f"delete from {tname} where source_file_id = ?", [old_id])  # noqa: S608
        self.con.execute(
            "update source_file set status = 'superseded', superseded_by = ? where id = ?",
            [file_id, old_id],
        )
        self._audit(
            actor,
            "supersede: 更正文件替换原文件",
            "source_file",
            {"kind": kind, "period": period},
            {"id": old_id, "name": old[0][1], "rows": old[0][2]},
            {"id": file_id},
        )
        return old_id

    def _replace_keys(
        self, tname: str, table: pa.Table, keys: Sequence[str], actor: str, source: str
    ) -> None:
        """Delete stored rows that ``table`` replaces; audit those whose values change."""
        on = " and ".join(f't."{k}" = i."{k}"' for k in keys)
        self.con.register("_keys", table)
        before = self.con.sql(
            f"select t.* from {tname} t where exists (select 1 from _keys i where {on})"  # noqa: S608
        ).to_arrow_table()
        self.con.execute(
            f"delete from {tname} t where exists (select 1 from _keys i where {on})"  # noqa: S608
        )
        self.con.unregister("_keys")
        if not before.num_rows:
            return
        skip = {"source_file_id", "source_row", "source_sheet"}
        cols = [c for c in table.column_names if c not in skip and c in before.column_names]
        incoming = {tuple(r[k] for k in keys): r for r in table.select(cols).to_pylist()}
        entries = []
        for old in before.to_pylist():
            key = tuple(old[k] for k in keys)
            new = incoming.get(key, {})
            if all(old[c] == new.get(c) for c in cols):
                continue
            entries.append(
                [
                    actor,
                    f"update: 由文件 {source} 更新",
                    tname,
                    {k: old[k] for k in keys},
                    old,
                    new,
                ]
            )
        if entries:
            write_audits(self.con, entries)

    def _audit(
        self,
        actor: str,
        action: str,
        tname: str,
        key: Mapping[str, Any],
        before: Any,
        after: Any,
    ) -> None:
        write_audit(self.con, actor, action, tname, key, before, after)

    def insert_rows(self, tname: str, table: pa.Table, file_id: int) -> int:
        """Insert rows of a loadable table from one source file, with their provenance."""
        if "source_row" not in table.column_names:
            table = table.append_column("source_row", pa.array(range(1, table.num_rows + 1)))
        table = table.append_column(
            "source_file_id", pa.array([file_id] * table.num_rows, pa.int32())
        )
        cols = ", ".join(f'"{c}"' for c in table.column_names)
        self.con.register("_incoming", table)
        try:
            self.con.execute(f"insert into {tname} ({cols}) select {cols} from _incoming")  # noqa: S608
        except duckdb.ConstraintException as exc:
            # The transaction is aborted now: the caller's rollback also drops the view.
            raise InputError(f"导入表 {tname} 时发现重复或冲突的记录：{exc}") from exc
        self.con.unregister("_incoming")
        return int(table.num_rows)

    def replace(
        self,
        tname: str,
        table: pa.Table,
        where: Mapping[str, Sequence[Any]] | None = None,
        *,
        derived: tuple[int, int] | None = None,
    ) -> None:
        """Replace derived rows (such as the cube) with ``table``, atomically.

        ``where`` maps columns to the values whose rows are replaced (``{"period":
        ["2016-11", "2016-12"]}``); without it every row of the table is. ``derived``
        ``(year, data_version)`` records, in the same transaction, that the table's rows of
        that year are now those of that data version (``derived_state``).
        """
        known = self.columns().get(tname)
        if known is None:
            raise InputError(f"数据库中没有表 {tname!r}。")
        clauses, params = [], []
        for col, values in (where or {}).items():
            if col not in known:
                raise InputError(f"表 {tname} 没有列 {col!r}。")
            values = list(values)
            clauses.append(f'"{col}" in ({", ".join("?" for _ in values)})' if values else "false")
            params.extend(values)
        cond = " and ".join(clauses) or "true"
        with self.transaction() as con:
            con.execute(f"delete from {tname} where {cond}", params)  # noqa: S608
            cols = ", ".join(f'"{c}"' for c in table.column_names)
            con.register("_derived", table)
            # On failure the transaction is aborted and its rollback drops the view too.
            con.execute(f"insert into {tname} ({cols}) select {cols} from _derived")  # noqa: S608
            con.unregister("_derived")
            if derived is not None:
                con.execute(
                    "insert or replace into derived_state values (?, ?, ?, ?)",
                    [tname, derived[0], derived[1], now()],
                )

    # -- audited corrections ------------------------------------------------------------------
    def correct(
        self,
        tname: str,
        key: Mapping[str, Any],
        changes: Mapping[str, Any],
        *,
        actor: str,
        reason: str,
    ) -> None:
        """Change one stored row through the platform, recording before and after.

        Raises
        ------
        InputError
            When no row or more than one row matches ``key``, or a column is unknown.
        """
        if tname not in LOADABLE_TABLES:
            raise InputError(f"表 {tname!r} 不能修改。")
        known = {r[0] for r in self.con.execute(f"describe {tname}").fetchall()}
        unknown = [c for c in (*key, *changes) if c not in known]
        if unknown:
            raise InputError(f"表 {tname} 没有列 {unknown!r}。")
        where = " and ".join(f'"{c}" = ?' for c in key)
        params = list(key.values())
        with self.transaction() as con:
            before = con.sql(f"select * from {tname} where {where}", params=params).to_arrow_table()  # noqa: S608
            if before.num_rows != 1:
                raise InputError(
                    f"表 {tname} 中按 {dict(key)!r} 找到 {before.num_rows} 行，应为 1 行。"
                )
            sets = ", ".join(f'"{c}" = ?' for c in changes)
            con.execute(f"update {tname} set {sets} where {where}", [*changes.values(), *params])  # noqa: S608
            after = con.sql(f"select * from {tname} where {where}", params=params).to_arrow_table()  # noqa: S608
            self._audit(
                actor,
                f"correct: {reason}",
                tname,
                key,
                before.to_pylist()[0],
                after.to_pylist()[0],
            )
            period = before.to_pylist()[0].get("period")
            record_change(con, "correct", [tname], period=str(period) if period else None)

    # -- reading ------------------------------------------------------------------------------
    @property
    def ibis(self) -> Any:
        """An Ibis backend over this store's connection (the computation layer's entry)."""
        if self._ibis is None:
            self._ibis = ibis.duckdb.from_connection(self.con)
        return self._ibis

    def columns(self) -> dict[str, tuple[str, ...]]:
        """Every table of the store and its column names, in order."""
        if self._columns is None:
            rows = self.con.execute(
                "select table_name, column_name from information_schema.columns "
                "where table_schema = 'main' order by table_name, ordinal_position"
            ).fetchall()
            cols: dict[str, list[str]] = {}
            for t, c in rows:
                cols.setdefault(t, []).append(c)
            self._columns = {t: tuple(c) for t, c in cols.items()}
        return self._columns

    def table(self, name: str, scope: Scope) -> Any:
        """The Ibis table ``name`` with the rows ``scope`` may see: the read boundary.

        Every read of the platform starts here (or in a named query of ``store/``), so the
        county filter lives in one place (:mod:`jingxin.store.scope`).

        Examples
        --------
        >>> s = Store(":memory:")
        >>> s.run(s.table("region", Scope.city()).filter(lambda t: t.code == "330500")).to_pylist()
        [{'code': '330500', 'name': '湖州市', 'level': '地级市', 'parent': '330000'}]
        >>> s.table("enterprise", None)
        Traceback (most recent call last):
        ...
        TypeError: 读取表 'enterprise' 须给出 Scope（可见范围），实际为 None。
        """
        return scoped_table(self._table, name, self.columns(), scope)

    def _table(self, name: str) -> Any:
        if name not in self._tables:
            self._tables[name] = self.ibis.table(name)
        return self._tables[name]

    def prepared(self, key: Hashable, scope: Scope, build: Builder, **values: Any) -> pa.Table:
        """Run the read ``build(scope)`` returns, compiled once per ``key`` and scope
        (:mod:`jingxin.store.prepared`), with ``values`` bound to its parameters."""
        if not isinstance(scope, Scope):
            raise TypeError(f"预编译查询须给出 Scope（可见范围），实际为 {scope!r}。")
        query = self._prepared.get((key, scope))
        if query is None:
            expr, params = build(scope)
            query = self._prepared[(key, scope)] = compile_prepared(expr, params)
        try:
            return query.run(self.con, values)
        except duckdb.Error as exc:
            raise translate(self.path, exc) from exc

    def backend(self, scope: Scope) -> Any:
        """The store's whole Ibis backend, for computations over the whole city only.

        The cube and the evaluation are computed over every enterprise of the city and
        read the tables directly; a county's scope cannot have them (fail closed).
        """
        if not isinstance(scope, Scope) or not scope.is_city:
            raise TypeError(f"整库计算只能在全市范围（Scope.city()）内进行，实际为 {scope!r}。")
        return self.ibis

    def reader(self, scope: Scope) -> Any:
        """An Ibis backend on a connection of its own to the same database (a DuckDB
        cursor), for a long read over the whole city in another thread: it reads what is
        committed and leaves the store's own connection to others. Whole city only, as
        :meth:`backend` (fail closed); close it with ``.disconnect()``."""
        if not isinstance(scope, Scope) or not scope.is_city:
            raise TypeError(f"整库计算只能在全市范围（Scope.city()）内进行，实际为 {scope!r}。")
        return ibis.duckdb.from_connection(self.con.cursor())

    @staticmethod
    def interrupt(reader: Any) -> None:
        """Stop the query a :meth:`reader` is running (nothing when it runs none or is
        closed): the store cannot close while a cursor of its connection is busy."""
        try:
            reader.con.interrupt()
        except (duckdb.Error, AttributeError):
            pass

    def run(self, expr: Any) -> pa.Table:
        """Execute an Ibis expression built on :meth:`table` and return an Arrow table."""
        try:
            result: pa.Table = self.ibis.to_pyarrow(expr)
        except duckdb.Error as exc:
            raise translate(self.path, exc) from exc
        return result

    def scalar(self, expr: Any) -> Any:
        """Execute an Ibis scalar expression and return its Python value."""
        try:
            return self.ibis.to_pyarrow(expr).as_py()
        except duckdb.Error as exc:
            raise translate(self.path, exc) from exc

    def close(self) -> None:
        """Close the connection."""
        self.con.close()
