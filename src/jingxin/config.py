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

from pydantic import Field, ValidationError, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from jingxin.errors import ConfigError

__all__ = ["DEV_SECRET", "Settings", "get_settings", "settings_override"]

# The development key: known to everyone, so refused outside development.
DEV_SECRET = "development-only-not-secret"  # noqa: S105 - refused outside development


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

    secret_key: str = Field(
        default=DEV_SECRET,
        description=(
            "Secret key that signs the web platform's session tokens; must be set (32+ random "
            "characters) outside development."
        ),
    )
    session_hours: float = Field(
        default=8.0,
        gt=0,
        le=24 * 30,
        description="How long a web sign-in lasts, in hours (then the user signs in again).",
    )
    cookie_secure: bool = Field(
        default=False,
        description="Send the session cookie only over HTTPS (set true behind a TLS proxy).",
    )
    county_map: Path | None = Field(
        default=None,
        description=(
            "GeoJSON file of the counties' boundaries for the counties page's map, supplied by "
            "the deployment (features with an adcode or name property); none: a tile map."
        ),
    )
    warn_pp: tuple[float, float, float] = Field(
        default=(0.0, -5.0, -10.0),
        description=(
            "Target warnings by points behind time progress: at or above the first 绿, then 蓝, "
            "橙, and below the third 红 (JSON list, e.g. [0,-5,-10])."
        ),
    )

    @model_validator(mode="after")
    def _secret_outside_development(self) -> Settings:
        if self.env != "development" and self.secret_key == DEV_SECRET:
            raise ValueError(
                "JINGXIN_SECRET_KEY 未设置：开发环境以外必须设置自己的密钥（32 个以上随机字符），"
                "例如 python -c 'import secrets; print(secrets.token_urlsafe(32))'。"
            )
        if self.env != "development" and len(self.secret_key) < 32:
            raise ValueError("JINGXIN_SECRET_KEY 太短：开发环境以外至少 32 个字符。")
        a, b, c = self.warn_pp
        if not a >= b >= c:
            raise ValueError(
                f"JINGXIN_WARN_PP 应由高到低排列（如 [0,-5,-10]），实际为 {list(self.warn_pp)}。"
            )
        return self


_override: list[Settings] = []


def get_settings() -> Settings:
    """Return the settings in force (the innermost override, else from the environment)."""
    if _override:
        return _override[-1]
    try:
        return Settings()
    except ValidationError as exc:
        problems = "；".join(
            str(e["msg"]).removeprefix("Value error, ")
            if e["type"] == "value_error"
            else f"JINGXIN_{'_'.join(str(p) for p in e['loc']).upper()}：{e['msg']}"
            for e in exc.errors()
        )
        raise ConfigError(f"设置有误：{problems}") from None


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
