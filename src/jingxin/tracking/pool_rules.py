"""Rules that propose enterprise-pool members, an analyst's confirmation, and alerts.

A rule looks at one year's records and says, for each enterprise it can judge, whether it
meets the rule and why (in Chinese, with the figures). :func:`propose` lists those that meet
it and are not yet members; an analyst :func:`confirm`\\ s a proposal (stored with an audit
entry) or lets it pass; :func:`exit_member` records a member leaving. :func:`alerts` lists
members whose data no longer meets their pool's rule (a 小升规 candidate that became
above-scale or stopped growing, a key energy user below the threshold, a zombie enterprise
that recovered) and former zombie enterprises whose data meets the rule again.

The rules:

``small_to_above`` (小升规培育)
    A below-scale enterprise in year Y whose revenue (``enterprise_annual.revenue``) is at
    least ``share`` (70%) of the above-scale threshold (2000 万元) and grew over Y-1.
``zombie`` (僵尸企业)
    Loss-making (December ``monthly_fact.profit`` < 0) in each of ``loss_years`` (2)
    consecutive years to Y, and electricity in Y (sum of ``electricity``) below
    ``power_share`` (10%) of Y-1's.
``key_energy_user`` (重点用能企业)
    December ``monthly_fact.energy`` (tonnes of standard coal, year to date) at least the
    ``key_energy_user_threshold_tce`` target of Y (5000 when none is set).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from jingxin.errors import InputError, NotFoundError
from jingxin.store import Scope, Store
from jingxin.store.pools import add_pool_member
from jingxin.tracking.catalogue import EXIT_REASONS, POOL_LEVELS, POOLS
from jingxin.tracking.queries import (
    closed_status,
    december_values,
    enterprise_names,
    pool_members,
    revenue_pairs,
    rows,
    threshold_targets,
    yearly_electricity,
)

__all__ = [
    "RULES",
    "Alert",
    "Finding",
    "KeyEnergyUser",
    "Proposal",
    "Rule",
    "SmallToAbove",
    "Zombie",
    "alerts",
    "confirm",
    "exit_member",
    "get_rule",
    "propose",
]

# A write's integrity checks (is the enterprise registered, is it already a member) look at
# the whole city: who may write which enterprise is the caller's decision, not the check's.
_CHECKS = Scope.city()

ABOVE_SCALE_REVENUE = 2000.0  # 万元: 规模以上工业企业 (主营业务收入 2000 万元及以上)


@dataclass(frozen=True)
class Finding:
    """Whether an enterprise meets a rule in a year, and the figures that say so."""

    uscc: str
    meets: bool
    evidence: str


@dataclass(frozen=True)
class Proposal:
    """An enterprise a rule proposes for a pool; an analyst confirms it or not."""

    pool: str
    uscc: str
    name: str
    year: int
    evidence: str


@dataclass(frozen=True)
class Alert:
    """A pool member (or former member) whose data crossed its pool's rule."""

    pool: str
    uscc: str
    name: str
    entered: date
    exited: date | None
    message: str


def _f(x: float) -> str:
    return f"{x:,.1f}"


def _pct(x: float) -> str:
    return f"{x * 100:.0f}%"


@dataclass(frozen=True)
class SmallToAbove:
    """小升规: below-scale, revenue near the above-scale threshold and growing."""

    threshold: float = ABOVE_SCALE_REVENUE
    share: float = 0.70
    key: str = field(default="small_to_above", init=False)
    pool: str = field(default="small_to_above", init=False)

    def evaluate(self, store: Store, year: int, scope: Scope) -> dict[str, Finding]:
        """Each enterprise in ``scope`` the rule can judge for ``year``: meets it or not."""
        out: dict[str, Finding] = {}
        floor = self.share * self.threshold
        for r in rows(store, revenue_pairs(store, year, scope)):
            code, rev, prior = r["uscc"], r["revenue"], r["revenue_prior"]
            if r["scale"] == "above":
                out[code] = Finding(code, False, f"{year} 年已是规模以上企业")
                continue
            if rev is None:
                continue  # no revenue for the year: the rule cannot judge it
            share = rev / self.threshold
            text = (
                f"{year} 年营业收入 {_f(rev)} 万元，为规上标准 {_f(self.threshold)} 万元的 "
                f"{share * 100:.1f}%（门槛 {_pct(self.share)}）"
            )
            if prior is None:
                out[code] = Finding(
                    code, False, text + f"；缺少 {year - 1} 年营业收入，无法判断增长"
                )
                continue
            growth = (rev / prior - 1) * 100 if prior else None
            grew = rev > prior
            g = f"比 {year - 1} 年（{_f(prior)} 万元）" + (
                f"增长 {growth:.1f}%"
                if growth is not None and grew
                else "增加"
                if grew
                else "未增长"
            )
            out[code] = Finding(code, rev >= floor and grew, f"{text}，{g}")
        return out


@dataclass(frozen=True)
class Zombie:
    """僵尸企业: consecutive losses and electricity use collapsed to near zero."""

    loss_years: int = 2
    power_share: float = 0.10
    key: str = field(default="zombie", init=False)
    pool: str = field(default="zombie", init=False)

    def evaluate(self, store: Store, year: int, scope: Scope) -> dict[str, Finding]:
        """Each enterprise in ``scope`` the rule can judge for ``year``: meets it or not."""
        if self.loss_years < 1:
            raise InputError("连续亏损年数应至少为 1 年。")
        first = year - self.loss_years + 1
        profits = rows(store, december_values(store, "profit", first, year, scope))
        power = rows(store, yearly_electricity(store, year - 1, year, scope))
        profit: dict[str, dict[int, float | None]] = {}
        for r in profits:
            profit.setdefault(r["uscc"], {})[r["y"]] = r["profit"]
        kwh: dict[str, dict[int, float]] = {}
        for r in power:
            kwh.setdefault(r["uscc"], {})[r["y"]] = r["kwh"]
        out: dict[str, Finding] = {}
        for code, by_year in profit.items():
            years = list(range(first, year + 1))
            if any(by_year.get(y) is None for y in years):
                continue  # a year without a December report cannot be judged
            losses = [float(by_year[y] or 0.0) for y in years]
            loss_ok = all(x < 0 for x in losses)
            now, before = kwh.get(code, {}).get(year, 0.0), kwh.get(code, {}).get(year - 1)
            loss_text = "、".join(
                f"{y} 年利润 {_f(x)} 万元" for y, x in zip(years, losses, strict=True)
            )
            if before is None or before <= 0:
                out[code] = Finding(
                    code, False, f"{loss_text}；{year - 1} 年无用电量记录，无法比较用电"
                )
                continue
            power_ok = now < self.power_share * before
            text = (
                f"{loss_text}（{'连续' if loss_ok else '并非连续'}{self.loss_years} 年亏损）；"
                f"{year} 年用电量 {_f(now)} 万千瓦时，为上年（{_f(before)} 万千瓦时）的 "
                f"{now / before * 100:.1f}%（门槛 {_pct(self.power_share)}）"
            )
            out[code] = Finding(code, loss_ok and power_ok, text)
        return out


@dataclass(frozen=True)
class KeyEnergyUser:
    """重点用能企业: annual energy use at or above the year's threshold."""

    default_threshold: float = 5000.0
    key: str = field(default="key_energy_user", init=False)
    pool: str = field(default="key_energy_user", init=False)

    def threshold(self, store: Store, year: int, scope: Scope) -> float:
        """The year's ``key_energy_user_threshold_tce`` target (a city's), else the default."""
        found = rows(store, threshold_targets(store, "key_energy_user_threshold_tce", year, scope))
        return float(found[0]["value"]) if found else self.default_threshold

    def evaluate(self, store: Store, year: int, scope: Scope) -> dict[str, Finding]:
        """Each enterprise in ``scope`` the rule can judge for ``year``: meets it or not."""
        limit = self.threshold(store, year, scope)
        december = rows(store, december_values(store, "energy", year, year, scope))
        return {
            r["uscc"]: Finding(
                r["uscc"],
                r["energy"] >= limit,
                f"{year} 年综合能源消费量 {_f(r['energy'])} 吨标准煤（重点用能门槛 {_f(limit)} 吨标准煤）",
            )
            for r in december
            if r["energy"] is not None
        }


Rule = SmallToAbove | Zombie | KeyEnergyUser

RULES: dict[str, Callable[[], Rule]] = {
    "small_to_above": SmallToAbove,
    "zombie": Zombie,
    "key_energy_user": KeyEnergyUser,
}
_RULE_LABELS = {
    "small_to_above": "小升规培育",
    "zombie": "僵尸企业",
    "key_energy_user": "重点用能企业",
}


def get_rule(key: str) -> Rule:
    """The rule called ``key`` with its default parameters."""
    try:
        return RULES[key]()
    except KeyError:
        known = "、".join(f"{k}（{v}）" for k, v in _RULE_LABELS.items())
        raise NotFoundError(f"未知的名单规则 {key!r}：可用规则为 {known}。") from None


def _rule(rule: str | Rule) -> Rule:
    return get_rule(rule) if isinstance(rule, str) else rule


def _names(store: Store, scope: Scope) -> dict[str, str]:
    return {r["uscc"]: r["name"] for r in rows(store, enterprise_names(store, scope))}


def _members(store: Store, pool: str, scope: Scope) -> list[dict[str, Any]]:
    return rows(store, pool_members(store, scope, pool))


def _active(m: dict[str, Any], when: date) -> bool:
    return bool(m["entered"] <= when and (m["exited"] is None or m["exited"] > when))


def propose(store: Store, rule: str | Rule, year: int, scope: Scope) -> list[Proposal]:
    """Enterprises in ``scope`` that meet ``rule`` in ``year`` and are not members of its
    pool at the year's end, by credit code."""
    r = _rule(rule)
    end = date(year, 12, 31)
    members = {m["uscc"] for m in _members(store, r.pool, scope) if _active(m, end)}
    names = _names(store, scope)
    closed = {c["uscc"] for c in rows(store, closed_status(store, end, scope))}
    return [
        Proposal(r.pool, f.uscc, names.get(f.uscc, ""), year, f.evidence)
        for f in sorted(r.evaluate(store, year, scope).values(), key=lambda f: f.uscc)
        if f.meets and f.uscc not in members and f.uscc not in closed
    ]


def _pool_key(pool: str) -> str:
    for p in POOLS:
        if pool in (p.key, p.label):
            return p.key
    known = "、".join(f"{p.key}（{p.label}）" for p in POOLS)
    raise NotFoundError(f"未知的名单 {pool!r}：可用名单为 {known}。")


def confirm(
    store: Store,
    pool: str,
    uscc: str,
    entered: date,
    actor: str,
    reason: str,
    *,
    level: str | None = None,
) -> None:
    """Enter ``uscc`` into ``pool`` from ``entered`` (an analyst's confirmation), audited.

    Raises
    ------
    InputError
        When the enterprise is not registered, is already a member on that date, or the
        level does not fit the pool.
    """
    key = _pool_key(pool)
    if not reason.strip():
        raise InputError("请填写列入原因（如规则给出的依据）。")
    if uscc not in _names(store, _CHECKS):
        raise InputError(f"企业 {uscc} 不在企业名录中：请核对统一社会信用代码。")
    levels = next(p.levels for p in POOLS if p.key == key)
    lvl = {v: k for k, v in POOL_LEVELS.items()}.get(level, level) if level else None
    if lvl is not None and lvl not in levels:
        allowed = "、".join(POOL_LEVELS[x] for x in levels) or "不分级别"
        raise InputError(f"名单 {key} 的级别应为：{allowed}，不是 {level!r}。")
    for m in _members(store, key, _CHECKS):
        if m["uscc"] == uscc and (m["entered"] == entered or _active(m, entered)):
            raise InputError(
                f"企业 {uscc} 已于 {m['entered']} 列入名单 {key}，尚未退出：不能重复列入。"
            )
    add_pool_member(
        store,
        {
            "pool": key,
            "uscc": uscc,
            "entered": entered,
            "level": lvl,
            "reason": reason,
            "exited": None,
            "exit_reason": None,
        },
        actor=actor,
        note=f"确认列入名单 {key}：{uscc}",
    )


def exit_member(store: Store, pool: str, uscc: str, exited: date, actor: str, reason: str) -> None:
    """Record that ``uscc`` left ``pool`` on ``exited`` for ``reason`` (a key of
    ``EXIT_REASONS`` or its Chinese name, or free text), audited.

    Raises
    ------
    InputError
        When the enterprise has no open membership, or ``exited`` precedes its entry.
    """
    key = _pool_key(pool)
    if not reason.strip():
        raise InputError("请填写退出原因（如 " + "、".join(EXIT_REASONS.values()) + "）。")
    why = {v: k for k, v in EXIT_REASONS.items()}.get(reason, reason)
    open_ = [m for m in _members(store, key, _CHECKS) if m["uscc"] == uscc and m["exited"] is None]
    if not open_:
        raise InputError(f"企业 {uscc} 不在名单 {key} 中（或已退出）。")
    m = open_[-1]
    if exited < m["entered"]:
        raise InputError(f"退出日期 {exited} 早于列入日期 {m['entered']}。")
    store.correct(
        "pool_member",
        {"pool": key, "uscc": uscc, "entered": m["entered"]},
        {"exited": exited, "exit_reason": why},
        actor=actor,
        reason=f"退出名单 {key}（{EXIT_REASONS.get(why, why)}）",
    )


def alerts(store: Store, year: int, scope: Scope, rules: list[Rule] | None = None) -> list[Alert]:
    """Members in ``scope`` at the end of ``year`` whose data no longer meets their pool's
    rule (with the figures), and enterprises that left the zombie archive whose data meets
    it again."""
    end = date(year, 12, 31)
    names = _names(store, scope)
    out: list[Alert] = []
    for r in rules or [f() for f in RULES.values()]:
        found = r.evaluate(store, year, scope)
        members = _members(store, r.pool, scope)
        for m in members:
            f = found.get(m["uscc"])
            if f is None:
                continue
            name = names.get(m["uscc"], "")
            if _active(m, end) and not f.meets:
                out.append(
                    Alert(
                        r.pool,
                        m["uscc"],
                        name,
                        m["entered"],
                        None,
                        f"已不再符合“{_RULE_LABELS[r.key]}”条件：{f.evidence}；请核实是否退出名单",
                    )
                )
            elif r.key == "zombie" and m["exited"] is not None and m["exited"] <= end and f.meets:
                if any(_active(o, end) for o in members if o["uscc"] == m["uscc"]):
                    continue
                out.append(
                    Alert(
                        r.pool,
                        m["uscc"],
                        name,
                        m["entered"],
                        m["exited"],
                        f"已于 {m['exited']} 退出僵尸企业档案，但 {year} 年数据再次符合认定条件："
                        f"{f.evidence}；请核实是否重新列入",
                    )
                )
    return out
