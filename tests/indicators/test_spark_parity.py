"""The same cube on Spark as on DuckDB, from the same Parquet files (issue #6).

PySpark runs in local mode (it needs Java 17). Every cell is compared: keys, counts and
ranks exactly, amounts and percentages to a relative 1e-9, NULL only equal to NULL.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from jingxin.indicators import build_cube, compute_cube, read_cube
from jingxin.indicators.cube import CUBE_INPUTS
from jingxin.store import Store
from jingxin.store.engines import connect_parquet
from tests.indicators.cells import assert_same_cells, tiny_tables

pytestmark = pytest.mark.slow

MASTER = "local[2]"


@pytest.fixture(scope="module")
def parquet(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str | Path]:
    folder = tmp_path_factory.mktemp("parquet")
    for name, table in tiny_tables().items():
        pq.write_table(table, folder / f"{name}.parquet")
    return {t: folder / f"{t}.parquet" for t in CUBE_INPUTS}


def test_every_cell_equal_on_both_engines(parquet: dict[str, str | Path]) -> None:
    year = 2016
    duck = build_cube(connect_parquet("duckdb", parquet), year).to_pyarrow()
    spark = build_cube(connect_parquet("spark", parquet, master=MASTER), year).to_pyarrow()

    assert duck.num_rows > 10_000
    assert assert_same_cells(duck, spark) == duck.num_rows
    # Ranks, growth, province gap and ratios are there to compare, not all NULL.
    for col in ("county_rank_growth", "province_rank_value", "above_province_pp", "change_pp"):
        assert duck[col].null_count < duck.num_rows, col


def test_compute_cube_with_spark_engine_stores_the_same_cube(tmp_path: Path) -> None:
    store = Store(tmp_path / "spark.duckdb")
    store.load("test", "tiny", {k: v for k, v in tiny_tables().items() if k != "region"})
    compute_cube(store, 2016, months=[12], engine="spark")
    on_spark = read_cube(store, 2016)
    compute_cube(store, 2016, months=[12])

    assert set(on_spark["period"].to_pylist()) == {"2016-12"}
    assert assert_same_cells(on_spark, read_cube(store, 2016)) == on_spark.num_rows
    assert isinstance(on_spark, pa.Table)
