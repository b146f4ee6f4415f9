"""The platform's code lists, each declared once: the key the store keeps, the Chinese
label a file or report shows, and the other ways senders write it.

The ingest kinds parse department files with these lists, the demo writes its files with
their labels, and :mod:`jingxin.tracking.catalogue` re-exports the tracking lists (project
categories and lists, pools, pool levels, exit reasons).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

__all__ = [
    "CAPACITY_CASES",
    "ENTERPRISE_SCALE",
    "ENTERPRISE_STATUS",
    "EXIT_REASONS",
    "INCIDENT_KINDS",
    "LAND_TENURE",
    "POLLUTANTS",
    "POOLS",
    "POOL_LEVELS",
    "PROJECT_CATEGORIES",
    "PROJECT_LISTS",
    "TARGET_BASIS",
    "TAX_TYPES",
    "CodeList",
    "Pool",
]


class CodeList(Mapping[str, str]):
    """A closed list of codes: key → Chinese label, plus other written forms of each.

    Parameters
    ----------
    what
        The list's Chinese name, for messages (``经营状态``).
    labels
        Key → label, in the order a template or message lists them.
    synonyms
        Key → other forms senders write for it (``停业`` for ``suspended``).
    keys_written
        Whether a file may also give the key itself (``above`` for 规上).

    Examples
    --------
    >>> s = CodeList("规模类型", {"above": "规上"}, {"above": ("规模以上",)}, keys_written=True)
    >>> s["above"], s.parse("规模以上"), s.parse("above"), s.parse("规下")
    ('规上', 'above', 'above', None)
    >>> s.written
    {'规上': 'above', '规模以上': 'above', 'above': 'above'}
    """

    def __init__(
        self,
        what: str,
        labels: Mapping[str, str],
        synonyms: Mapping[str, tuple[str, ...]] | None = None,
        *,
        keys_written: bool = False,
    ) -> None:
        self.what = what
        self._labels = dict(labels)
        self.synonyms = dict(synonyms or {})
        self.keys_written = keys_written
        written: dict[str, str] = {}
        for key, label in self._labels.items():
            written.setdefault(label, key)
            for other in self.synonyms.get(key, ()):
                written.setdefault(other, key)
        if keys_written:
            for key in self._labels:
                written.setdefault(key, key)
        self.written: dict[str, str] = written

    def __getitem__(self, key: str) -> str:
        return self._labels[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._labels)

    def __len__(self) -> int:
        return len(self._labels)

    def __repr__(self) -> str:
        return f"CodeList({self.what!r}, {self._labels!r})"

    def parse(self, text: object) -> str | None:
        """The key a written form stands for (spaces around it ignored), or ``None``."""
        if text is None:
            return None
        return self.written.get(str(text).strip())


# -- enterprises --------------------------------------------------------------------------------
ENTERPRISE_SCALE = CodeList(
    "规模类型",
    {"above": "规上", "below": "规下"},
    {"above": ("规模以上",), "below": ("规模以下",)},
    keys_written=True,
)

ENTERPRISE_STATUS = CodeList(
    "经营状态",
    {"operating": "在营", "suspended": "停产", "closed": "关闭", "deregistered": "注销"},
    {"operating": ("正常", "营业"), "suspended": ("停业",), "closed": ("关停",)},
)

# Safety and environment events; the keys are those the evaluation method's vetoes name.
# What a case of the capacity ledger is (淘汰落后产能和“低小散”整治台账).
CAPACITY_CASES = CodeList(
    "整治类别",
    {"backward": "淘汰落后产能", "small_scattered": "“低小散”整治"},
    {
        "backward": ("淘汰落后", "落后产能"),
        "small_scattered": ("低小散整治", "低小散", '"低小散"整治'),
    },
    keys_written=True,
)

INCIDENT_KINDS = CodeList(
    "事件类型",
    {
        "safety": "安全生产事故",
        "environment": "环境污染事件",
        "quality": "重大质量事故",
        "credit": "严重失信",
    },
    {
        "safety": ("安全事故",),
        "environment": ("环境违法", "环保处罚"),
        "credit": ("失信",),
    },
)

POLLUTANTS = CodeList(
    "污染物",
    {"cod": "化学需氧量", "nh3n": "氨氮", "so2": "二氧化硫", "nox": "氮氧化物"},
    {"cod": ("COD",), "so2": ("SO2",), "nox": ("NOX",)},
)

LAND_TENURE = CodeList(
    "用地方式",
    {"owned": "自有", "leased": "租赁"},
    {"owned": ("出让", "划拨", "自有土地"), "leased": ("租用", "承租")},
)

# 征收项目 of the tax bureau's records, stored as written.
TAX_TYPES: tuple[str, ...] = (
    "增值税",
    "企业所得税",
    "消费税",
    "城市维护建设税",
    "房产税",
    "城镇土地使用税",
    "印花税",
    "教育费附加",
    "地方教育附加",
    "个人所得税",
    "环境保护税",
    "资源税",
    "土地增值税",
    "车船税",
    "耕地占用税",
    "其他",
)

# -- targets, projects and pools (issue #5) ------------------------------------------------------
TARGET_BASIS = CodeList(
    "口径",
    {"value": "总量", "growth_pct": "增速", "rate_pct": "比率"},
    {
        "value": ("绝对值", "数值"),
        "growth_pct": ("增长率", "增幅"),
        "rate_pct": ("比例", "率"),
    },
    keys_written=True,
)

# Project categories a city configures.
PROJECT_CATEGORIES = CodeList(
    "项目类别",
    {
        "emerging": "新兴产业",
        "robot_replacement": "机器换人/技改",
        "smart_manufacturing": "智能制造",
        "big_good_high": "大好高",
        "zero_land": "零土地技改",
        "energy_saving": "节能技改",
    },
    keys_written=True,
)

# Named lists of projects (key → (中文名, the categories that make them up)).
PROJECT_LISTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "three_hundred": ("三百计划", ("emerging", "robot_replacement", "smart_manufacturing")),
}


@dataclass(frozen=True)
class Pool:
    """A named list of enterprises with entry and exit history."""

    key: str
    label: str
    levels: tuple[str, ...] = ()


POOLS: tuple[Pool, ...] = (
    Pool("tech_centre", "企业技术中心", ("national", "provincial", "municipal")),
    Pool("innovation_demonstration", "省级技术创新示范企业"),
    Pool("integration_management_pilot", "两化融合管理体系贯标试点"),
    Pool("three_famous", "省级“三名”培育试点企业"),
    Pool("small_to_above", "“小升规”培育企业"),
    Pool("hidden_champion", "“隐形冠军”培育库"),
    Pool("golden_elephant", "“金象”企业"),
    Pool("golden_bull", "“金牛”企业"),
    Pool("golden_cultivation", "“金象金牛”培育企业"),
    Pool("zombie", "“僵尸企业”档案"),
    Pool("g20_restricted", "G20 峰会期间停限产企业"),
    Pool("q4_increase", "四季度可增产企业"),
    Pool("key_energy_user", "重点用能企业"),
)

# Levels of pools that have them, as senders write them.
POOL_LEVELS = CodeList(
    "级别", {"national": "国家级", "provincial": "省级", "municipal": "市级"}, keys_written=True
)

# Why members leave a pool; other reasons are kept as written.
EXIT_REASONS = CodeList(
    "退出原因",
    {
        "disposed": "已处置",
        "graduated": "已升规",
        "restriction_lifted": "解除停限产",
        "closed": "关闭注销",
        "revoked": "撤销认定",
        "no_longer_eligible": "不再符合条件",
    },
    keys_written=True,
)
