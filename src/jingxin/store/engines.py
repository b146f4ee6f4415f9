"""Engines that run the computation layer's Ibis expressions (issue #6).

The cube is one Ibis expression (``jingxin.indicators.cube``); an *engine* is where it runs.
``duckdb`` (the default) runs it inside the store's own DuckDB connection. ``spark`` runs
the same expression on Apache Spark (PySpark, local mode or a cluster), reading the store's
tables from Parquet files or from Hive metastore tables. Engines are looked up by name in
``ENGINES``; callers never branch on the engine.

Examples
--------
>>> sorted(ENGINES)
['duckdb', 'spark']
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ibis

from jingxin.config import Settings, get_settings
from jingxin.errors import ConfigError

if TYPE_CHECKING:
    from jingxin.store.db import Store

__all__ = [
    "ENGINES",
    "MATERIALIZERS",
    "connect_parquet",
    "export_parquet",
    "materialize",
    "open_engine",
    "register_engine",
]

EngineFactory = Callable[["Store", Sequence[str], Settings], AbstractContextManager[Any]]
ENGINES: dict[str, EngineFactory] = {}


def register_engine(name: str) -> Callable[[EngineFactory], EngineFactory]:
    """Register an engine factory under ``name`` (a value of ``JINGXIN_ENGINE``)."""

    def wrap(factory: EngineFactory) -> EngineFactory:
        ENGINES[name] = factory
        return factory

    return wrap


def open_engine(
    store: Store, tables: Sequence[str], engine: str | None = None
) -> AbstractContextManager[Any]:
    """An Ibis backend of ``engine`` (default: the setting) that holds ``tables`` of the store.

    Use it as a context manager; the backend is valid inside the ``with`` block.

    Raises
    ------
    ConfigError
        When the engine is unknown, or its software is not installed.
    """
    settings = get_settings()
    name = engine or settings.engine
    if name not in ENGINES:
        raise ConfigError(f"未知的计算引擎 {name!r}：可用引擎为 {'、'.join(sorted(ENGINES))}。")
    return ENGINES[name](store, tables, settings)


def export_parquet(store: Store, folder: Path, tables: Sequence[str]) -> dict[str, Path]:
    """Write ``tables`` of the store as ``folder/TABLE.parquet``; return the paths.

    This is how the store's data reaches another engine: a Spark cluster reads the files
    from shared storage (see docs/performance.md).
    """
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for t in tables:
        path = folder / f"{t}.parquet"
        quoted = str(path).replace("'", "''")
        store.con.execute(f"copy {t} to '{quoted}' (format parquet)")  # noqa: S608
        paths[t] = path
    return paths


def connect_parquet(engine: str, paths: dict[str, str | Path], **options: Any) -> Any:
    """A fresh Ibis backend of ``engine`` with each Parquet file of ``paths`` as a table.

    ``options`` go to the engine's session (Spark: ``master``). Used by the benchmarks and
    the parity test: the same files on both engines.
    """
    if engine not in _BACKENDS:
        raise ConfigError(f"未知的计算引擎 {engine!r}：可用引擎为 {'、'.join(sorted(_BACKENDS))}。")
    con = _BACKENDS[engine](options)
    for name, path in paths.items():
        con.read_parquet(str(path), table_name=name)
    return con


@register_engine("duckdb")
@contextmanager
def _duckdb(store: Store, tables: Sequence[str], settings: Settings) -> Iterator[Any]:
    """The store's own connection: no copy, the cube runs where the data is."""
    yield store.ibis


@register_engine("spark")
@contextmanager
def _spark(store: Store, tables: Sequence[str], settings: Settings) -> Iterator[Any]:
    """Spark reading the tables from the metastore, from Parquet, or from an export."""
    con = _spark_backend(settings.spark_master)
    if settings.spark_database:
        con.raw_sql(f"use {settings.spark_database}")
        yield con
        return
    if settings.spark_parquet:
        base = settings.spark_parquet.rstrip("/")
        for t in tables:
            con.read_parquet(f"{base}/{t}.parquet", table_name=t)
        yield con
        return
    with tempfile.TemporaryDirectory(prefix="jingxin-spark-") as tmp:
        for t, path in export_parquet(store, Path(tmp), tables).items():
            con.read_parquet(str(path), table_name=t)
        yield con


def _spark_backend(master: str) -> Any:
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise ConfigError(
            "计算引擎设为 spark，但未安装 PySpark：请运行 uv pip install 'jingxin[spark]'，"
            "并安装 Java 17（例如 apt-get install openjdk-17-jre-headless）。"
        ) from exc
    builder = SparkSession.builder.master(master).appName("jingxin")
    builder = builder.config("spark.ui.showConsoleProgress", "false")
    if master.startswith("local"):
        # One machine: a few shuffle partitions, not the cluster default of 200.
        builder = builder.config("spark.sql.shuffle.partitions", "4")
        builder = builder.config("spark.ui.enabled", "false")
        # The driver is the executor: the default heap of 1 GB runs out planning a year's
        # cube twice in one session (the cube is one large expression).
        builder = builder.config("spark.driver.memory", "2g")
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return ibis.pyspark.connect(session)


_BACKENDS: dict[str, Callable[[dict[str, Any]], Any]] = {
    "duckdb": lambda options: ibis.duckdb.connect(),
    "spark": lambda options: _spark_backend(options.get("master", get_settings().spark_master)),
}


# -- materialising intermediate results ---------------------------------------------------------
Materializer = Callable[[Any, Any, str], Any]
MATERIALIZERS: dict[str, Materializer] = {}
"""By Ibis backend name: compute an expression once into a temporary table of that engine."""


def materialize(con: Any, table: Any, name: str) -> Any:
    """``table`` computed once into the temporary table ``name`` of ``con``'s engine.

    Later expressions that read the result several times then read a table, instead of
    recomputing (or, on Spark, re-planning) the whole expression per reference. The table
    is replaced by the next call with the same name on the same backend. Engines without a
    materialiser get ``table`` back unchanged.
    """
    fn = MATERIALIZERS.get(con.name)
    if fn is None:
        return table
    # The engine may widen a type (a sum of integers as DECIMAL): keep the expression's.
    return fn(con, table, name).cast(table.schema())


def _duckdb_temp(con: Any, table: Any, name: str) -> Any:
    con.raw_sql(f'create or replace temp table "{name}" as {con.compile(table)}')
    return con.table(name)


def _spark_temp(con: Any, table: Any, name: str) -> Any:
    frame = con._session.sql(con.compile(table)).cache()
    frame.createOrReplaceTempView(name)
    return con.table(name)


MATERIALIZERS.update({"duckdb": _duckdb_temp, "pyspark": _spark_temp})
