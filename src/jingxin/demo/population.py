"""The demo's enterprises: who they are, where, in which industry, how big, which sample."""

from __future__ import annotations

import random
import tomllib
from dataclasses import dataclass
from importlib.resources import files

import numpy as np
import numpy.typing as npt

from jingxin import uscc
from jingxin.reference import region_name

__all__ = [
    "CONTINUING",
    "ENTRANT",
    "EXIT",
    "SMALL",
    "Population",
    "county_profile",
    "draw_population",
]

# Sample roles: above-scale both years, entered the sample this year, left it this year
# (above-scale last year only), below scale both years.
CONTINUING, ENTRANT, EXIT, SMALL = 0, 1, 2, 3

# Industry affinity for product-level flags (a division's firms are this many times as
# likely to carry the flag as the average firm).
_AFFINITY = {
    "high_tech": {
        "27": 2.2,
        "39": 2.4,
        "40": 2.2,
        "35": 1.8,
        "38": 1.7,
        "26": 1.4,
        "34": 1.3,
        "36": 1.2,
        "17": 0.45,
        "30": 0.35,
        "31": 0.5,
        "21": 0.35,
        "20": 0.3,
        "22": 0.4,
    },
    "strategic_emerging": {
        "27": 2.6,
        "39": 2.6,
        "38": 2.0,
        "35": 1.8,
        "40": 2.0,
        "26": 1.2,
        "34": 1.2,
        "17": 0.3,
        "30": 0.25,
        "21": 0.2,
        "20": 0.2,
        "22": 0.3,
    },
    "high_end_equipment": {},
}

_WORDS = (
    "华",
    "宏",
    "鑫",
    "泰",
    "恒",
    "盛",
    "达",
    "丰",
    "瑞",
    "隆",
    "兴",
    "昌",
    "源",
    "聚",
    "金",
    "天",
    "永",
    "佳",
    "嘉",
    "新",
    "远",
    "博",
    "通",
    "益",
    "荣",
    "富",
    "康",
    "振",
    "东",
    "明",
    "正",
    "航",
    "安",
    "德",
    "信",
    "诚",
    "发",
    "万",
    "利",
    "宇",
    "辰",
    "星",
    "汇",
    "力",
    "美",
)
_TRADES = {
    "17": "纺织",
    "175": "印染",
    "171": "纺织",
    "178": "无纺布",
    "176": "印染",
    "20": "木业",
    "204": "竹业",
    "21": "家具",
    "22": "纸业",
    "26": "化工",
    "27": "药业",
    "28": "化纤",
    "29": "塑业",
    "30": "建材",
    "301": "水泥",
    "31": "钢铁",
    "33": "金属制品",
    "34": "机械",
    "343": "电梯",
    "35": "装备",
    "36": "汽车部件",
    "37": "轨道装备",
    "38": "电气",
    "384": "电源",
    "381": "电机",
    "383": "线缆",
    "39": "电子",
    "40": "仪器",
}


@dataclass
class Population:
    """Enterprises of the demo city as parallel arrays."""

    uscc: list[str]
    name: list[str]
    county: npt.NDArray[np.str_]
    industry: npt.NDArray[np.str_]
    flags: list[list[str]]
    role: npt.NDArray[np.int8]
    size: npt.NDArray[np.float64]  # relative size, heavy-tailed
    platform: list[str | None]
    founded_year: npt.NDArray[np.int32]
    land_mu: npt.NDArray[np.float64]

    @property
    def n(self) -> int:
        return len(self.uscc)

    def division(self) -> npt.NDArray[np.str_]:
        return np.array([c[:2] for c in self.industry])


def county_profile(
    city_code: str, counties: list[str]
) -> dict[str, tuple[float, dict[str, float]]]:
    """County → (share of value added, industry weights) for a city (generic if unknown)."""
    pkg = files("jingxin.demo").joinpath("profiles")
    try:
        raw = tomllib.loads(pkg.joinpath(f"{city_code}.toml").read_text("utf-8"))["counties"]
    except FileNotFoundError:
        raw = {}
    default = tomllib.loads(pkg.joinpath("default.toml").read_text("utf-8"))["default"]
    out = {}
    for c in counties:
        spec = raw.get(c, {"va_share": 1.0 / len(counties), "industries": default["industries"]})
        out[c] = (float(spec["va_share"]), {k: float(w) for k, w in spec["industries"].items()})
    total = sum(s for s, _ in out.values())
    return {c: (s / total, ind) for c, (s, ind) in out.items()}


def draw_population(
    rng: np.random.Generator,
    pyrng: random.Random,
    counties: list[str],
    profile: dict[str, tuple[float, dict[str, float]]],
    n_above: int,
    year: int,
    flag_shares: dict[str, float],
    equipment_prefixes: list[str],
    n_platforms: int,
) -> Population:
    """Draw the city's enterprises: continuing, entrants, exits and small firms."""
    n_entrant = round(0.08 * n_above)
    n_cont = n_above - n_entrant
    n_exit = round(0.06 * n_cont)
    n_small = round(2.5 * n_above)
    role = np.concatenate(
        [
            np.full(n_cont, CONTINUING),
            np.full(n_entrant, ENTRANT),
            np.full(n_exit, EXIT),
            np.full(n_small, SMALL),
        ]
    ).astype(np.int8)
    n = len(role)
    shares = np.array([profile[c][0] for c in counties])
    county = np.array(counties)[rng.choice(len(counties), size=n, p=shares)]
    industry = np.empty(n, dtype=object)
    for c in counties:
        idx = np.flatnonzero(county == c)
        codes = list(profile[c][1])
        w = np.array([profile[c][1][k] for k in codes])
        industry[idx] = np.array(codes)[rng.choice(len(codes), size=len(idx), p=w / w.sum())]
    industry = industry.astype(str)
    size = rng.lognormal(0.0, 1.15, n)
    size[role == ENTRANT] *= 0.45
    size[role == EXIT] *= 0.3
    size[role == SMALL] = rng.lognormal(-2.6, 0.8, n_small)
    division = np.array([c[:2] for c in industry])
    flags = _draw_flags(rng, division, industry, size, role, flag_shares, equipment_prefixes)
    founded = np.where(
        role == ENTRANT, rng.integers(year - 8, year - 1, n), rng.integers(1985, year - 2, n)
    ).astype(np.int32)
    land = np.round(np.clip(size * 45 * rng.lognormal(0, 0.5, n), 1.5, 2500), 1).astype(np.float64)
    seen: set[str] = set()
    ids, names = [], []
    for i in range(n):
        code = uscc.make(str(county[i]), pyrng)
        while code in seen:
            code = uscc.make(str(county[i]), pyrng)
        seen.add(code)
        ids.append(code)
        names.append(_name(pyrng, str(county[i]), str(industry[i])))
    platforms = _platform_names(counties, n_platforms)
    platform: list[str | None] = []
    for i in range(n):
        mine = [p for c, p in platforms if c == county[i]]
        platform.append(pyrng.choice(mine) if mine and pyrng.random() < 0.6 else None)
    return Population(ids, names, county, industry, flags, role, size, platform, founded, land)


def _draw_flags(
    rng: np.random.Generator,
    division: npt.NDArray[np.str_],
    industry: npt.NDArray[np.str_],
    size: npt.NDArray[np.float64],
    role: npt.NDArray[np.int8],
    flag_shares: dict[str, float],
    equipment_prefixes: list[str],
) -> list[list[str]]:
    """Flags with probabilities whose size-weighted share approximates the published share."""
    n = len(division)
    flags: list[list[str]] = [[] for _ in range(n)]
    above = role != SMALL
    equipment = np.array([any(c.startswith(p) for p in equipment_prefixes) for c in industry])
    for flag, share in flag_shares.items():
        aff = np.array([_AFFINITY.get(flag, {}).get(d, 1.0) for d in division])
        eligible = equipment if flag == "high_end_equipment" else np.ones(n, bool)
        w = size * above
        base = float((w * eligible).sum())
        target = share * float(w.sum())
        if flag == "high_end_equipment":
            target = share * base
        lo, hi = 0.0, 50.0
        for _ in range(60):
            mid = (lo + hi) / 2
            p = np.minimum(0.97, mid * aff) * eligible
            lo, hi = (mid, hi) if float((w * p).sum()) < target else (lo, mid)
        p = np.minimum(0.97, hi * aff) * eligible
        hit = rng.random(n) < p
        for i in np.flatnonzero(hit):
            flags[i].append(flag)
    return flags


def _name(pyrng: random.Random, county: str, industry: str) -> str:
    place = region_name(county).rstrip("区县市")
    trade = _TRADES.get(industry[:3]) or _TRADES.get(industry[:2]) or "实业"
    brand = pyrng.choice(_WORDS) + pyrng.choice(_WORDS)
    form = pyrng.choice(("有限公司", "有限公司", "有限公司", "股份有限公司", "有限责任公司"))
    return f"{place}{brand}{trade}{form}" if pyrng.random() < 0.7 else f"浙江{brand}{trade}{form}"


def _platform_names(counties: list[str], n: int) -> list[tuple[str, str]]:
    kinds = ("经济开发区", "高新技术产业园区", "工业园区", "产业集聚区")
    out = []
    for k in range(n):
        c = counties[k % len(counties)]
        out.append((c, region_name(c).rstrip("区县市") + kinds[(k // len(counties)) % len(kinds)]))
    return out
