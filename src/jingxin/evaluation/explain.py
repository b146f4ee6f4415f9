"""A plain-Chinese explanation of each enterprise's result, for the notice and objections."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pyarrow as pa

from jingxin.evaluation.method import Method

__all__ = ["explain", "fmt", "regrade_sentence", "surcharge_sentence"]


def fmt(x: float | None) -> str:
    """A number as shown to users: 2 decimals, or 4 for small ratios; 无 for None.

    Examples
    --------
    >>> fmt(24.0971), fmt(0.03021), fmt(None)
    ('24.10', '0.0302', '无')
    """
    if x is None:
        return "无"
    return f"{x:,.4f}" if abs(x) < 1 else f"{x:,.2f}"


def surcharge_sentence(
    cls: str | None, consecutive: int, rate: float | None, kwh: float | None, m: Method
) -> str:
    """The policy sentence: consecutive worst years and the electricity surcharge."""
    out = ""
    if cls == m.worst and consecutive > 1:
        out += f"已连续{consecutive}年为{m.worst}类。"
    if rate:
        amount = "用电量缺失，加价金额待定" if kwh is None else f"计{fmt(rate * kwh)}万元"
        out += f"差别电价加价{rate:.2f}元/千瓦时，按用电量{fmt(kwh)}万千瓦时{amount}。"
    return out


def regrade_sentence(before: str | None, after: str, reason: str, m: Method) -> str:
    """The sentence appended when a class is changed by hand (调档)."""
    cl = m.classification
    was = cl.label(before) if before else "未定等级"
    return f"经调档，由{was}调整为{cl.label(after)}，理由：{reason}。"


def explain(results: pa.Table, items: pa.Table, m: Method, year: int) -> list[str]:
    """One explanation per row of ``results`` (in its order)."""
    names = {c.key: c for c in m.cohorts}
    exemptions = {e.reason: e for e in m.exemptions}
    by_firm: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    cols = [items.column(c).to_pylist() for c in ("uscc", "indicator", "value", "benchmark")]
    cols += [items.column(c).to_pylist() for c in ("weight", "score", "note")]
    for row in zip(*cols, strict=True):
        by_firm[row[0]].append(row[1:])
    r = {c: results.column(c).to_pylist() for c in results.column_names}
    out = []
    for n in range(results.num_rows):
        cohort = names[r["cohort"][n]]
        cl = m.classification_of(cohort)
        inds = {i.key: i for i in cohort.indicators}
        parts = []
        reason = r["exempt_reason"][n]
        total = r["total_score"][n]
        if reason is None:
            parts.append(
                f"在“{cohort.name}”中综合得分{fmt(total)}分，排第{r['rank'][n]}名"
                f"（共{r['cell_size'][n]}家参评），初评为{cl.label(r['initial_class'][n])}。"
            )
        elif reason == "data_missing":
            lacking = [
                inds[k].name
                for k, v, *_ in by_firm[r["uscc"][n]]
                if v is None and inds[k].missing == "not_evaluable"
            ]
            parts.append(f"{'、'.join(lacking)}数据不全（缺失或分母为零），不参加排序、未定等级。")
        else:
            e = exemptions[reason]
            treat = f"，按{cl.label(e.treat_as)}管理" if e.treat_as else ""
            parts.append(
                f"属于{e.name}，参加评价但不定等级{treat}（计算得分{fmt(total)}分，仅供参考）。"
            )
        details = []
        for key, value, bench, weight, score, note in by_firm[r["uscc"][n]]:
            i = inds[key]
            if note == "cohort_mean":
                details.append(f"{i.name}无有效数据，按同类企业此项平均得分{fmt(score)}分计")
            elif value is None:
                details.append(f"{i.name}无有效数据，得0分")
            else:
                unit = i.unit
                details.append(
                    f"{i.name}{fmt(value)}{unit}（基准值{fmt(bench)}，"
                    f"得分{fmt(score)}，权重{weight:g}）"
                )
        parts.append("各项：" + "；".join(details) + "。")
        if r["veto"][n]:
            before = r["initial_class"][n] or _treat(reason, m)
            parts.append(
                f"因{r['veto'][n]}（{year}年），等级由{cl.label(before) or '未定等级'}"
                f"调整为{cl.label(r['vetoed_class'][n])}。"
            )
        parts.append(
            surcharge_sentence(
                r["final_class"][n],
                r["consecutive_worst"][n],
                r["surcharge_rate"][n],
                r["electricity"][n],
                m,
            )
        )
        out.append("".join(parts))
    return out


def _treat(reason: str | None, m: Method) -> str | None:
    for e in m.exemptions:
        if e.reason == reason:
            return e.treat_as
    return None
