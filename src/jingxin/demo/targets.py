"""The targets file: published figures that the demo's records must reproduce.

Only the tables the generator calibrates are typed here; the rest of the file is kept as
raw data for the parts of the platform that own them.
"""

from __future__ import annotations

import tomllib
from importlib.resources import files
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from jingxin.errors import InputError

__all__ = ["DEFAULT_TARGETS", "Targets", "load_targets"]

DEFAULT_TARGETS = "huzhou-2016.toml"


class _M(BaseModel):
    model_config = ConfigDict(extra="allow")


class ValueGrowth(_M):
    value: float
    growth_pct: float


class Meta(_M):
    city_code: str
    city_name: str
    province_name: str
    province_cities: int
    year: int
    counties: list[str]


class PreviousYear(_M):
    value_added: float


class AboveScale(_M):
    value_added: ValueGrowth
    export_delivery: ValueGrowth
    profit_and_tax: ValueGrowth
    profit: ValueGrowth
    previous_year_published: PreviousYear


class IndustrialUse(_M):
    value: float
    growth_pct: float
    province_rank_growth: int
    above_province_avg_pp: float


class Electricity(_M):
    industrial_use: IndustrialUse


class GroupVA(_M):
    value: float | None = None
    growth_pct: float | None = None
    share_pct: float | None = None
    share_change_pp: float | None = None


class Group(_M):
    value_added: GroupVA


class NewProducts(_M):
    output: ValueGrowth
    output_rate_pct: float
    contribution_pct: float
    province_rank_value: int
    province_rank_growth: int
    provincial_new_product_filings: int
    provincial_new_product_filings_rank: int
    new_product_appraisals: int
    provincial_excellent_new_products: int
    first_of_kind_equipment: int
    zhejiang_made_premium: int


class Targets(_M):
    """A parsed targets file.

    Examples
    --------
    >>> t = load_targets()
    >>> t.meta.city_name, t.above_scale.value_added.value
    ('湖州市', 828.3)
    """

    meta: Meta
    above_scale: AboveScale
    electricity: Electricity
    groups: dict[str, Group]
    new_products: NewProducts
    raw: dict[str, Any] = {}


def load_targets(path: Path | str | None = None) -> Targets:
    """Read and check a targets file (default: the shipped Huzhou 2016 file).

    Raises
    ------
    InputError
        Naming the file and the missing or malformed key, in Chinese.
    """
    if path is None:
        text = files("jingxin.demo").joinpath("targets", DEFAULT_TARGETS).read_text("utf-8")
        where = DEFAULT_TARGETS
    else:
        p = Path(path)
        if not p.is_file():
            raise InputError(f"目标文件 {p} 不存在。")
        text, where = p.read_text(encoding="utf-8"), str(p)
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"目标文件 {where} 不是有效的 TOML：{exc}") from exc
    try:
        return Targets(**raw, raw=raw)
    except ValidationError as exc:
        problems = "；".join(
            f"{'.'.join(str(x) for x in e['loc'])}（{e['msg']}）" for e in exc.errors()[:8]
        )
        raise InputError(f"目标文件 {where} 缺少或写错了这些项：{problems}") from exc
