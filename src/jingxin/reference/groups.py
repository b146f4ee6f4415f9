"""Industry groups: named sets of enterprises defined by code prefixes and/or flags."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib.resources import files
from pathlib import Path

from pydantic import BaseModel, Field, model_validator

from jingxin.errors import ConfigError

__all__ = ["IndustryGroup", "load_groups"]


class IndustryGroup(BaseModel):
    """One industry group.

    An enterprise belongs to the group when its industry code starts with one of
    ``prefixes`` or when it carries one of ``flags``.

    Examples
    --------
    >>> g = IndustryGroup(key="equipment", name="装备制造业", prefixes=["33", "34"])
    >>> g.contains("3411", set()), g.contains("1711", set())
    (True, False)
    """

    key: str
    name: str
    prefixes: list[str] = Field(default_factory=list)
    flags: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _not_empty(self) -> IndustryGroup:
        if not self.prefixes and not self.flags:
            raise ValueError(f"产业分组 {self.key!r} 既没有行业代码前缀也没有企业标志")
        return self

    def contains(self, industry_code: str, flags: set[str]) -> bool:
        """Whether an enterprise with this code and these flags is in the group."""
        return any(industry_code.startswith(p) for p in self.prefixes) or bool(
            flags.intersection(self.flags)
        )


@cache
def _default_text() -> str:
    return files("jingxin.reference").joinpath("data", "groups.toml").read_text(encoding="utf-8")


def load_groups(path: Path | None = None) -> dict[str, IndustryGroup]:
    """Read industry groups from ``path`` (default: the shipped ``groups.toml``).

    Examples
    --------
    >>> load_groups()["equipment"].name
    '装备制造业'
    """
    text = _default_text() if path is None else path.read_text(encoding="utf-8")
    try:
        raw = tomllib.loads(text)
        return {k: IndustryGroup(key=k, **v) for k, v in raw.items()}
    except (tomllib.TOMLDecodeError, ValueError, TypeError) as exc:
        where = path or "groups.toml"
        raise ConfigError(f"产业分组配置文件 {where} 无效：{exc}") from exc
