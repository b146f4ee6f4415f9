"""Typed settings: one place for every setting, its default and its help.

Settings come from the environment (prefix ``JINGXIN_``) and, in development, from a
``.env`` file. Each field's ``description`` is its one-line help; a test checks that the
README's settings table lists every field with that help.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["Settings", "get_settings", "settings_override"]


class Settings(BaseSettings):
    """Platform settings, validated at start-up.

    Examples
    --------
    >>> Settings(db_path=Path("x.duckdb")).db_path.name
    'x.duckdb'
    """

    model_config = SettingsConfigDict(env_prefix="JINGXIN_", env_file=".env", extra="ignore")

    db_path: Path = Field(
        default=Path("data/jingxin.duckdb"),
        description="DuckDB file that holds the store.",
    )
    out_dir: Path = Field(
        default=Path("out"),
        description="Folder where reports are written.",
    )
    env: str = Field(
        default="development",
        description="Deployment environment: development or production.",
    )
    seed: int = Field(
        default=2016,
        description="Seed of the demo data generator (same seed, same records).",
    )
    engine: Literal["duckdb", "spark"] = Field(
        default="duckdb",
        description="Engine that computes the indicator cube: duckdb (inside the store) or spark.",
    )
    spark_master: str = Field(
        default="local[*]",
        description="Spark master URL when the engine is spark: local[*], spark://HOST:7077, yarn.",
    )
    spark_parquet: str = Field(
        default="",
        description=(
            "Folder or URI where Spark reads the store's tables as TABLE.parquet; "
            "empty: export them from the store to a temporary folder first."
        ),
    )
    spark_database: str = Field(
        default="",
        description="Hive metastore database that holds the store's tables for Spark.",
    )


_override: list[Settings] = []


def get_settings() -> Settings:
    """Return the settings in force (the innermost override, else from the environment)."""
    return _override[-1] if _override else Settings()


@contextmanager
def settings_override(**changes: object) -> Iterator[Settings]:
    """Use changed settings inside a ``with`` block, without touching globals.

    Examples
    --------
    >>> with settings_override(seed=7) as s:
    ...     get_settings().seed
    7
    """
    current = get_settings().model_copy(update=changes)
    _override.append(current)
    try:
        yield current
    finally:
        _override.pop()
