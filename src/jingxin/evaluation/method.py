"""The evaluation method as data: a TOML file per year, validated with pydantic.

A method lists cohorts (规上, 规下, optionally split by county or industry group), each with
indicators (formula over the input columns, direction, weight, benchmark, cap, missing
rule), plus exemptions, the classification rule, vetoes and the policy table. The rules
follow the published schemes collected in the domain notes (see docs/evaluation.md).

The method's text and a hash of its canonical form are stored with every result, so a
result can be reproduced years later from the same inputs.
"""

from __future__ import annotations

import ast
import hashlib
import json
import re
import tomllib
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from jingxin.errors import ConfigError

__all__ = [
    "INPUT_COLUMNS",
    "Benchmark",
    "Classification",
    "Cohort",
    "Exemption",
    "Indicator",
    "InputRules",
    "LoadedMethod",
    "Method",
    "Policy",
    "Veto",
    "formula_names",
    "load_method",
    "parse_method",
    "preset_names",
]

INPUT_COLUMNS: dict[str, str] = {
    "land_mu": "用地面积(亩)",
    "taxes": "实缴税金(万元)",
    "revenue": "营业收入(万元)",
    "value_added": "工业增加值(万元)",
    "rd_expense": "R&D经费支出(万元)",
    "employees": "年平均职工人数(人)",
    "energy_tce": "综合能耗(吨标煤)",
    "electricity": "用电量(万千瓦时)",
    "emissions": "主要污染物排放量(吨)",
    "cod": "化学需氧量(吨)",
    "nh3n": "氨氮(吨)",
    "so2": "二氧化硫(吨)",
    "nox": "氮氧化物(吨)",
}
"""Columns a formula may use, with their Chinese labels (as in the bureau's 采集表)."""

_KEY = re.compile(r"^[a-z][a-z0-9_]*$")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class InputRules(_Model):
    """How inputs are assembled: which pollutants and taxes count, who is out of scope."""

    pollutants: list[str] = Field(default_factory=lambda: ["cod", "nh3n", "so2", "nox"])
    tax_types: list[str] = Field(default_factory=list)
    """征收项目 that count as 实缴税金; empty means all of them."""
    exclude_status: list[str] = Field(default_factory=lambda: ["closed", "deregistered"])
    """Enterprises whose status at 31 December is one of these are not evaluated."""


class Benchmark(_Model):
    """The value an indicator is divided by (基准值).

    ``fixed``: ``value`` as published. ``prev_mean`` / ``current_mean``: ``k`` × the
    cohort's mean last year / this year. ``best``: ``k`` × the cohort's best value this
    year (``k`` = 1 unless a sensitivity run moves it).
    ``mean`` says whether a mean is over enterprises (arithmetic) or is the aggregate ratio
    (Σ numerator ÷ Σ denominator, for formulas of the form ``a / b``).
    """

    mode: Literal["fixed", "prev_mean", "current_mean", "best"]
    value: float | None = Field(default=None, gt=0)
    k: float = Field(default=1.0, gt=0)
    mean: Literal["enterprises", "aggregate"] = "enterprises"

    @model_validator(mode="after")
    def _check(self) -> Benchmark:
        if self.mode == "fixed" and self.value is None:
            raise ValueError("基准值方式为 fixed 时必须给出 value（正数）")
        if self.mode != "fixed" and self.value is not None:
            raise ValueError(f"基准值方式为 {self.mode} 时不应给出 value")
        return self


class Indicator(_Model):
    """One scored indicator: ``score = value / benchmark × weight`` (higher is better).

    For ``direction = "lower"`` the score is ``(2 − value / benchmark) × weight``. Scores
    are floored at 0 and, with ``cap``, limited to ``cap × weight``. ``missing`` says what a
    missing value (no data, or a zero denominator) gives: ``zero`` points, the cohort's
    average score on this item (``cohort_mean``), or ``not_evaluable`` (not graded).
    """

    key: str
    name: str
    unit: str = ""
    formula: str
    direction: Literal["higher", "lower"] = "higher"
    weight: float = Field(gt=0)
    benchmark: Benchmark
    cap: float | None = Field(default=None, gt=0)
    missing: Literal["zero", "cohort_mean", "not_evaluable"] = "zero"

    @model_validator(mode="after")
    def _check(self) -> Indicator:
        if not _KEY.match(self.key):
            raise ValueError(f"指标键 {self.key!r} 只能用小写字母、数字和下划线")
        formula_names(self.formula)
        if self.benchmark.mean == "aggregate" and not _is_ratio(self.formula):
            raise ValueError(
                f"指标 {self.key} 的公式 {self.formula!r} 不是 a / b 形式，不能取合计比"
            )
        return self


class Classification(_Model):
    """Classes from best to worst, by rank percentile (inclusive upper bounds) or by score.

    ``percentile``: with rank ``p`` (1 = best, ties share the better rank) of ``N`` graded
    enterprises, the class is the first whose cut-off ``c`` has ``p / N <= c``; the last
    class takes the rest. ``score``: the first class whose threshold the total reaches.
    """

    mode: Literal["percentile", "score"] = "percentile"
    classes: list[str] = Field(default_factory=lambda: ["A", "B", "C", "D"])
    names: dict[str, str] = Field(default_factory=dict)
    cutoffs: list[float] = Field(default_factory=list)
    thresholds: list[float] = Field(default_factory=list)

    @model_validator(mode="after")
    def _check(self) -> Classification:
        n = len(self.classes)
        if n < 2 or len(set(self.classes)) != n:
            raise ValueError(f"等级 {self.classes!r} 至少两个且不能重复")
        bounds = self.cutoffs if self.mode == "percentile" else self.thresholds
        other = self.thresholds if self.mode == "percentile" else self.cutoffs
        name = "cutoffs" if self.mode == "percentile" else "thresholds"
        if len(bounds) != n - 1:
            raise ValueError(f"{name} 应有 {n - 1} 个值（等级数减一），实际为 {len(bounds)} 个")
        if other:
            raise ValueError(f"分类方式为 {self.mode} 时只用 {name}")
        if self.mode == "percentile":
            if any(not 0 < c <= 1 for c in bounds) or sorted(bounds) != bounds:
                raise ValueError(f"cutoffs {bounds!r} 应在 (0, 1] 内且递增")
        elif sorted(bounds, reverse=True) != bounds:
            raise ValueError(f"thresholds {bounds!r} 应递减（从最好的等级起）")
        unknown = set(self.names) - set(self.classes)
        if unknown:
            raise ValueError(f"names 中的等级 {sorted(unknown)!r} 不在 classes 中")
        return self

    def label(self, cls: str | None) -> str:
        """``A类（优先发展类）`` for a class, or an empty string for None."""
        if cls is None:
            return ""
        name = self.names.get(cls)
        return f"{cls}类（{name}）" if name else f"{cls}类"

    def down_one(self, cls: str) -> str:
        """The next worse class (the worst stays)."""
        i = self.classes.index(cls)
        return self.classes[min(i + 1, len(self.classes) - 1)]


class Cohort(_Model):
    """A group of enterprises scored and ranked together, with its own indicators."""

    key: str
    name: str
    scale: Literal["above", "below"]
    min_land_mu: float = Field(default=0.0, ge=0)
    counties: list[str] = Field(default_factory=list)
    split_by: list[Literal["county", "group"]] = Field(default_factory=list)
    groups: list[str] = Field(default_factory=list)
    """Industry group keys (``groups.toml``) for ``split_by = ["group"]``: first match wins."""
    indicators: list[Indicator]
    classification: Classification | None = None

    @model_validator(mode="after")
    def _check(self) -> Cohort:
        if not _KEY.match(self.key):
            raise ValueError(f"评价对象分组键 {self.key!r} 只能用小写字母、数字和下划线")
        keys = [i.key for i in self.indicators]
        if not keys:
            raise ValueError(f"评价对象分组 {self.key} 没有指标")
        if len(set(keys)) != len(keys):
            raise ValueError(f"评价对象分组 {self.key} 的指标键重复：{keys!r}")
        if "group" in self.split_by and not self.groups:
            raise ValueError(f"评价对象分组 {self.key} 按产业分组排序，但未给出 groups")
        return self


class Exemption(_Model):
    """Enterprises computed and shown but not graded (不定等级), managed as ``treat_as``.

    Matches by industry code prefix, by founding date (fewer than ``founded_within_years``
    full years before 31 December of the evaluation year), by flag, or by credit code.
    """

    reason: str
    name: str
    industry_prefixes: list[str] = Field(default_factory=list)
    founded_within_years: int | None = Field(default=None, ge=1)
    flags: list[str] = Field(default_factory=list)
    usccs: list[str] = Field(default_factory=list)
    treat_as: str | None = "B"
    """The class they are managed as; ``""`` for none."""

    @model_validator(mode="after")
    def _check(self) -> Exemption:
        if self.treat_as == "":
            object.__setattr__(self, "treat_as", None)
        if not (self.industry_prefixes or self.founded_within_years or self.flags or self.usccs):
            raise ValueError(f"免评规则 {self.reason} 没有任何匹配条件")
        return self


class Veto(_Model):
    """An incident kind that sets the class to the worst (``effect = "worst"``) or one lower."""

    kind: str
    name: str
    severities: list[str] = Field(default_factory=list)
    """Only incidents of these severities count; empty means any."""
    effect: Literal["worst", "down_one"] = "worst"


class Policy(_Model):
    """A differentiated policy keyed on the final class, e.g. an electricity surcharge.

    ``consecutive_years`` counts years in a row in the worst class (this year included);
    where several rows apply, the highest rate applies.
    """

    kind: Literal["electricity_surcharge"] = "electricity_surcharge"
    cls: str = Field(alias="class")
    consecutive_years: int = Field(default=1, ge=1)
    rate: float
    unit: str = "元/千瓦时"
    legal_basis: str = ""


class Method(_Model):
    """A complete evaluation method (one TOML file)."""

    name: str
    year: int | None = None
    description: str = ""
    inputs: InputRules = Field(default_factory=InputRules)
    classification: Classification
    cohorts: list[Cohort]
    exemptions: list[Exemption] = Field(default_factory=list)
    vetoes: list[Veto] = Field(default_factory=list)
    policies: list[Policy] = Field(default_factory=list)

    @model_validator(mode="after")
    def _check(self) -> Method:
        keys = [c.key for c in self.cohorts]
        if not keys or len(set(keys)) != len(keys):
            raise ValueError(f"评价对象分组应至少一个且键不重复：{keys!r}")
        for c in self.cohorts:
            cl = c.classification or self.classification
            if cl.classes != self.classification.classes:
                raise ValueError(
                    f"评价对象分组 {c.key} 的等级应与总体一致：{self.classification.classes!r}"
                )
        classes = self.classification.classes
        for e in self.exemptions:
            if e.treat_as is not None and e.treat_as not in classes:
                raise ValueError(f"免评规则 {e.reason} 的 treat_as {e.treat_as!r} 不在等级中")
        for p in self.policies:
            if p.cls not in classes:
                raise ValueError(f"政策的等级 {p.cls!r} 不在等级 {classes!r} 中")
            if p.consecutive_years > 1 and p.cls != classes[-1]:
                raise ValueError(f"连续年数只对末档 {classes[-1]} 有意义（政策等级 {p.cls!r}）")
        return self

    def classification_of(self, cohort: Cohort) -> Classification:
        """The cohort's own classification rule, or the method's."""
        return cohort.classification or self.classification

    @property
    def worst(self) -> str:
        """The worst class (D), the one vetoes and consecutive-year policies refer to."""
        return self.classification.classes[-1]

    def canonical(self) -> str:
        """The method as canonical JSON (sorted keys): the same rules give the same text."""
        return json.dumps(
            self.model_dump(mode="json", by_alias=True), ensure_ascii=False, sort_keys=True
        )

    def sha256(self) -> str:
        """Hash of :meth:`canonical`: comments and layout of the TOML file do not change it."""
        return hashlib.sha256(self.canonical().encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class LoadedMethod:
    """A method with the text it was read from and where that text came from."""

    method: Method
    text: str
    source: str

    @property
    def sha256(self) -> str:
        """The method's hash (:meth:`Method.sha256`)."""
        return self.method.sha256()


def formula_names(formula: str) -> set[str]:
    """The input columns a formula uses; raises ValueError on anything but + − × ÷.

    Examples
    --------
    >>> sorted(formula_names("taxes / land_mu"))
    ['land_mu', 'taxes']
    >>> formula_names("__import__('os')")
    Traceback (most recent call last):
    ...
    ValueError: 公式 "__import__('os')" 只能使用输入列、数字、括号和 + - * /
    """
    try:
        tree = ast.parse(formula, mode="eval")
    except SyntaxError as exc:
        raise ValueError(f"公式 {formula!r} 不是合法的算式：{exc.msg}") from None
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            if node.id not in INPUT_COLUMNS:
                raise ValueError(
                    f"公式 {formula!r} 中的 {node.id!r} 不是输入列；可用：{', '.join(INPUT_COLUMNS)}"
                )
            names.add(node.id)
        elif isinstance(node, ast.Constant):
            if isinstance(node.value, bool) or not isinstance(node.value, int | float):
                raise ValueError(f"公式 {formula!r} 中的常量 {node.value!r} 不是数字")
        elif not isinstance(
            node,
            ast.Expression
            | ast.BinOp
            | ast.UnaryOp
            | ast.Add
            | ast.Sub
            | ast.Mult
            | ast.Div
            | ast.USub
            | ast.Load,
        ):
            raise ValueError(f'公式 "{formula}" 只能使用输入列、数字、括号和 + - * /')
    if not names:
        raise ValueError(f"公式 {formula!r} 没有用到任何输入列")
    return names


def _is_ratio(formula: str) -> bool:
    body = ast.parse(formula, mode="eval").body
    return isinstance(body, ast.BinOp) and isinstance(body.op, ast.Div)


def preset_names() -> list[str]:
    """Names of the shipped presets (``jingxin/evaluation/presets/*.toml``).

    Examples
    --------
    >>> "default" in preset_names()
    True
    """
    root = files("jingxin.evaluation").joinpath("presets")
    return sorted(p.name[: -len(".toml")] for p in root.iterdir() if p.name.endswith(".toml"))


def parse_method(text: str, source: str = "<text>") -> Method:
    """Parse and validate a method's TOML text; ConfigError names ``source`` and the key."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"评价办法文件 {source} 不是合法的 TOML：{exc}。") from None
    try:
        return Method.model_validate(raw)
    except ValidationError as exc:
        problems = []
        for e in exc.errors():
            where = ".".join(str(p) for p in e["loc"]) or "（顶层）"
            msg = str(e["msg"]).removeprefix("Value error, ")
            problems.append(f"{where}：{_zh(e['type'], msg)}")
        raise ConfigError(f"评价办法文件 {source} 有误：" + "；".join(problems) + "。") from None


_PYDANTIC_ZH = {
    "missing": "缺少此项",
    "extra_forbidden": "不认识的键（请检查拼写）",
    "literal_error": "取值不在允许的范围内",
    "greater_than": "应为正数",
    "greater_than_equal": "取值过小",
    "float_parsing": "应为数字",
    "int_parsing": "应为整数",
    "string_type": "应为文字",
    "list_type": "应为列表",
}


def _zh(kind: str, msg: str) -> str:
    zh = _PYDANTIC_ZH.get(kind)
    return f"{zh}（{msg}）" if zh else msg


def load_method(path_or_preset: str | Path) -> LoadedMethod:
    """Read a method from a TOML file, or a shipped preset by name (``default``, ...).

    Raises
    ------
    ConfigError
        When the file is not valid TOML or breaks a rule, naming the file and the key.

    Examples
    --------
    >>> m = load_method("default").method
    >>> [c.key for c in m.cohorts]
    ['above', 'below']
    """
    p = Path(path_or_preset)
    if p.is_file():
        text = p.read_text(encoding="utf-8")
        source = str(p)
    elif str(path_or_preset) in preset_names():
        name = str(path_or_preset)
        text = (
            files("jingxin.evaluation")
            .joinpath("presets", f"{name}.toml")
            .read_text(encoding="utf-8")
        )
        source = f"预设 {name}"
    else:
        raise ConfigError(
            f"评价办法文件 {str(path_or_preset)!r} 不存在，也不是预设名称；"
            f"可用的预设：{', '.join(preset_names())}。"
        )
    return LoadedMethod(parse_method(text, source), text, source)
