"""The scoring engine: indicator values, item scores, totals, ranks, classes, policies.

For each cohort of the method one Ibis expression computes, per enterprise:

1. the cell it is ranked in (cohort, optionally × county × industry group);
2. the indicator values (formulas over the inputs; a zero denominator gives null);
3. whether it is graded: exemptions (不定等级) and missing data under a ``not_evaluable``
   rule take it out of the ranking, the benchmarks and the cohort means;
4. benchmarks: fixed, k × this year's or last year's cell mean, or the cell's best value;
5. item scores ``value / benchmark × weight`` (or ``(2 − value / benchmark) × weight`` for
   "lower is better"), floored at 0 and capped; a missing value gets 0 or the cell's
   average score on the item;
6. total, rank in the cell (ties share the better rank), initial class (percentile with
   inclusive bounds, or score thresholds), class after vetoes;
7. consecutive years in the worst class (from earlier final results and the imported
   history) and the electricity surcharge.

Only the plain-Chinese explanation is written in Python, from the executed rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import ibis
import ibis.expr.types as ir
import pyarrow as pa
import pyarrow.compute as pc

from jingxin.errors import DataError
from jingxin.evaluation.explain import explain
from jingxin.evaluation.formula import compile_formula, ratio_parts
from jingxin.evaluation.inputs import POLLUTANTS, build_inputs
from jingxin.evaluation.method import Classification, Cohort, Indicator, LoadedMethod, Method
from jingxin.reference.groups import IndustryGroup, load_groups
from jingxin.store.db import table_sha256

__all__ = [
    "INPUT_FIELDS",
    "RESULT_COLUMNS",
    "Evaluation",
    "assign_cohorts",
    "evaluate",
    "score_inputs",
    "surcharge_rate",
]

INPUT_FIELDS = (
    "land_mu",
    "leased_mu",
    "taxes",
    "revenue",
    "value_added",
    "rd_expense",
    "employees",
    "energy_tce",
    "electricity",
    "emissions",
    *POLLUTANTS,
)

RESULT_COLUMNS = (
    "uscc",
    "name",
    "region_code",
    "industry_code",
    "platform",
    "scale",
    "cohort",
    "cell",
    *INPUT_FIELDS,
    "exempt_reason",
    "total_score",
    "rank",
    "cell_size",
    "initial_class",
    "veto",
    "vetoed_class",
    "final_class",
    "prior_worst_years",
    "consecutive_worst",
    "surcharge_rate",
    "surcharge",
    "explanation",
)
"""Columns of :attr:`Evaluation.results` (and of the stored ``evaluation_result``)."""

HISTORY_YEARS = 5  # how far back consecutive worst-class years are counted
_EPS = 1e-9
# Means are rounded to this many decimals: a parallel sum may differ in the last bit from
# run to run, and the same inputs must always give identical results.
_DIGITS = 10


@dataclass(frozen=True)
class Evaluation:
    """One evaluation: results per enterprise and item scores, with the method used."""

    year: int
    method: LoadedMethod
    results: pa.Table
    items: pa.Table
    inputs_sha256: str


def evaluate(
    con: Any,
    year: int,
    method: LoadedMethod,
    *,
    groups: dict[str, IndustryGroup] | None = None,
) -> Evaluation:
    """Evaluate every enterprise in scope for ``year`` under ``method``.

    Parameters
    ----------
    con
        An Ibis backend with the store's tables (``Store.backend(Scope.city())``).
    year
        The data year.
    method
        The method as loaded (its text and hash go with the results).
    groups
        Industry groups for cohorts split by group (default: ``groups.toml``).

    Raises
    ------
    DataError
        When no enterprise is in scope, or a benchmark cannot be determined.
    """
    m = method.method
    inputs = build_inputs(con, year, m.inputs)
    prior = _prior_inputs(con, year, m)
    return score_inputs(con, year, method, inputs, prior, groups=groups)


def _prior_inputs(con: Any, year: int, m: Method) -> ir.Table | None:
    needs = any(i.benchmark.mode == "prev_mean" for c in m.cohorts for i in c.indicators)
    return build_inputs(con, year - 1, m.inputs) if needs else None


def score_inputs(
    con: Any,
    year: int,
    method: LoadedMethod,
    inputs: ir.Table,
    prior: ir.Table | None,
    *,
    groups: dict[str, IndustryGroup] | None = None,
    explain_results: bool = True,
) -> Evaluation:
    """Score an inputs expression (see :func:`evaluate`); used directly by sensitivity runs.

    ``explain_results=False`` leaves the explanations empty (sensitivity runs need only the
    classes).
    """
    m = method.method
    groups = groups if groups is not None else load_groups()
    unknown = sorted({g for c in m.cohorts for g in c.groups if g not in groups})
    if unknown:
        raise DataError(f"评价办法引用了未定义的产业分组 {unknown!r}：请检查 groups 配置。")
    assigned = assign_cohorts(inputs, m)
    prior_assigned = assign_cohorts(prior, m) if prior is not None else None
    vetoes = _vetoes(con, year, m)
    history = _history(con, year, m.worst)
    commons: list[pa.Table] = []
    items: list[pa.Table] = []
    for cohort in m.cohorts:
        expr = _score_cohort(assigned, prior_assigned, cohort, m, year, groups, vetoes, history)
        rows = expr.to_pyarrow()
        _check_benchmarks(rows, cohort)
        common, item = _split(rows, cohort)
        # A stable order: the engine's output must not depend on how the backend ran.
        order = common.append_column("_pos", pc.fill_null(common.column("rank"), 2**62))
        order = order.sort_by([("cell", "ascending"), ("_pos", "ascending"), ("uscc", "ascending")])
        commons.append(order.drop_columns(["_pos"]))
        items.append(item.sort_by([("uscc", "ascending"), ("indicator", "ascending")]))
    results = pa.concat_tables(commons)
    if results.num_rows == 0:
        raise DataError(
            f"{year} 年没有符合评价范围的企业：请先导入企业名录、规模和 {year} 年的评价数据。"
        )
    items_t = pa.concat_tables(items)
    texts = explain(results, items_t, m, year) if explain_results else [""] * results.num_rows
    results = results.append_column("explanation", pa.array(texts, pa.string()))
    results = results.select(list(RESULT_COLUMNS))
    by_code = results.select(["uscc", *INPUT_FIELDS]).sort_by("uscc")
    inputs_sha = table_sha256({"inputs": by_code})
    return Evaluation(year, method, results, items_t, inputs_sha)


# -- scope ------------------------------------------------------------------------------------
def assign_cohorts(t: ir.Table, m: Method) -> ir.Table:
    """Add ``cohort``: the first cohort whose scale, land and counties fit."""
    cases = []
    for c in m.cohorts:
        cond = t.scale == c.scale
        if c.min_land_mu:
            cond = cond & (t.land_mu.fill_null(0) >= c.min_land_mu)
        if c.counties:
            cond = cond & t.region_code.isin(c.counties)
        cases.append((cond, c.key))
    return t.mutate(cohort=ibis.cases(*cases, else_=ibis.null("string")))


def _group_pred(t: ir.Table, g: IndustryGroup) -> Any:
    conds: list[Any] = [t.industry_code.startswith(p) for p in g.prefixes]
    conds += [t.flags.contains(f) for f in g.flags]
    pred = conds[0]
    for c in conds[1:]:
        pred = pred | c
    return pred


def _prepare(
    t: ir.Table, cohort: Cohort, m: Method, year: int, groups: dict[str, IndustryGroup]
) -> ir.Table:
    """The cohort's rows with cell, indicator values, exempt reason and ``graded``."""
    t = t.filter(t.cohort == cohort.key)
    cell: Any = ibis.literal(cohort.key)
    if "county" in cohort.split_by:
        cell = cell + "|" + t.region_code
    if "group" in cohort.split_by:
        group = ibis.cases(*[(_group_pred(t, groups[k]), k) for k in cohort.groups], else_="other")
        cell = cell + "|" + group
    t = t.mutate(
        cell=cell, **{f"v_{i.key}": compile_formula(i.formula, t) for i in cohort.indicators}
    )
    reasons = [(_exempt_pred(t, e, year), e.reason) for e in m.exemptions]
    strict = [i for i in cohort.indicators if i.missing == "not_evaluable"]
    if strict:
        missing: Any = t[f"v_{strict[0].key}"].isnull()
        for i in strict[1:]:
            missing = missing | t[f"v_{i.key}"].isnull()
        reasons.append((missing, "data_missing"))
    reason = ibis.cases(*reasons, else_=ibis.null("string")) if reasons else ibis.null("string")
    t = t.mutate(exempt_reason=reason)
    return t.mutate(graded=t.exempt_reason.isnull())


def _exempt_pred(t: ir.Table, e: Any, year: int) -> Any:
    conds: list[Any] = [t.industry_code.startswith(p) for p in e.industry_prefixes]
    conds += [t.flags.contains(f) for f in e.flags]
    if e.usccs:
        conds.append(t.uscc.isin(e.usccs))
    if e.founded_within_years:
        limit = date(year - e.founded_within_years, 12, 31)
        conds.append(t.founded.notnull() & (t.founded > ibis.date(limit)))
    pred = conds[0]
    for c in conds[1:]:
        pred = pred | c
    return pred.fill_null(False)


# -- benchmarks and scores --------------------------------------------------------------------
def _benchmark_aggs(t: ir.Table, indicators: list[Indicator], mode: str) -> dict[str, Any]:
    aggs: dict[str, Any] = {}
    for i in indicators:
        b = i.benchmark
        if b.mode != mode:
            continue
        v = t[f"v_{i.key}"]
        if b.mode == "best":
            best = v.max(where=t.graded) if i.direction == "higher" else v.min(where=t.graded)
            aggs[f"b_{i.key}"] = best * b.k
        elif b.mean == "aggregate":
            num, den = ratio_parts(i.formula, t)
            ok = t.graded & v.notnull()
            aggs[f"b_{i.key}"] = (num.sum(where=ok) / den.sum(where=ok).nullif(0) * b.k).round(
                _DIGITS
            )
        else:
            aggs[f"b_{i.key}"] = (v.mean(where=t.graded) * b.k).round(_DIGITS)
    return aggs


def _score_cohort(
    assigned: ir.Table,
    prior: ir.Table | None,
    cohort: Cohort,
    m: Method,
    year: int,
    groups: dict[str, IndustryGroup],
    vetoes: ir.Table | None,
    history: ir.Table,
) -> ir.Table:
    t = _prepare(assigned, cohort, m, year, groups)
    inds = cohort.indicators
    cur = _benchmark_aggs(t, inds, "current_mean") | _benchmark_aggs(t, inds, "best")
    cells = t.group_by("cell").aggregate(cell_size=t.graded.sum().cast("int64"), **cur)
    t = t.left_join(cells, "cell").drop("cell_right")
    prev_aggs: dict[str, Any] = {}
    if prior is not None and any(i.benchmark.mode == "prev_mean" for i in inds):
        p = _prepare(prior, cohort, m, year - 1, groups)
        prev_aggs = _benchmark_aggs(p, inds, "prev_mean")
        t = t.left_join(p.group_by("cell").aggregate(**prev_aggs), "cell").drop("cell_right")
    fixed = {
        f"b_{i.key}": ibis.literal(i.benchmark.value, "float64")
        for i in inds
        if i.benchmark.mode == "fixed"
    }
    t = t.mutate(**fixed)
    t = t.mutate(**{f"r_{i.key}": _item_score(t, i) for i in inds})
    fills = {
        f"fill_{i.key}": t[f"r_{i.key}"].mean(where=t.graded).round(_DIGITS)
        for i in inds
        if i.missing == "cohort_mean"
    }
    if fills:
        t = t.left_join(t.group_by("cell").aggregate(**fills), "cell").drop("cell_right")
    scores = {}
    for i in inds:
        raw = t[f"r_{i.key}"]
        fill = t[f"fill_{i.key}"].fill_null(0.0) if i.missing == "cohort_mean" else 0.0
        scores[f"s_{i.key}"] = raw.fill_null(fill)
    notes = {
        f"n_{i.key}": ibis.cases(
            (t[f"r_{i.key}"].isnull(), "cohort_mean" if i.missing == "cohort_mean" else "zero"),
            else_=ibis.null("string"),
        )
        for i in inds
    }
    t = t.mutate(**scores, **notes)
    total: Any = t[f"s_{inds[0].key}"]
    for i in inds[1:]:
        total = total + t[f"s_{i.key}"]
    t = t.mutate(total_score=total)
    # Ties: equal totals (to 1e-6 points, below any published precision) share the rank.
    window = ibis.window(group_by=[t.cell, t.graded], order_by=[ibis.desc(t.total_score.round(6))])
    t = t.mutate(rank=ibis.cases((t.graded, ibis.rank().over(window) + 1)).cast("int64"))
    t = t.mutate(initial_class=_classify(t, m.classification_of(cohort)))
    t = _apply_vetoes(t, vetoes, m)
    return _apply_history(t, history, m)


def _item_score(t: ir.Table, i: Indicator) -> Any:
    ratio = t[f"v_{i.key}"] / t[f"b_{i.key}"].nullif(0)
    raw = ratio * i.weight if i.direction == "higher" else (2 - ratio) * i.weight
    raw = ibis.cases((raw < 0, 0.0), else_=raw)  # null stays null (missing rule applies)
    if i.cap is not None:
        raw = ibis.cases((raw > i.cap * i.weight, i.cap * i.weight), else_=raw)
    return raw


def _classify(t: ir.Table, cl: Classification) -> Any:
    cls = cl.classes
    if cl.mode == "percentile":
        pos = t.rank.cast("float64")
        conds = [
            (pos <= t.cell_size.cast("float64") * c + _EPS, k)
            for c, k in zip(cl.cutoffs, cls, strict=False)
        ]
    else:
        conds = [(t.total_score >= th - _EPS, k) for th, k in zip(cl.thresholds, cls, strict=False)]
    graded = ibis.cases(*conds, else_=cls[-1])
    return ibis.cases((t.graded, graded), else_=ibis.null("string"))


# -- vetoes, history and policies -------------------------------------------------------------
def _vetoes(con: Any, year: int, m: Method) -> ir.Table | None:
    if not m.vetoes:
        return None
    inc = con.table("incident")
    inc = inc.filter(inc.occurred.year() == year)
    aggs = {}
    for n, v in enumerate(m.vetoes):
        cond = inc.kind == v.kind
        if v.severities:
            cond = cond & inc.severity.isin(v.severities)
        aggs[f"veto_{n}"] = cond.any()
    return inc.group_by("uscc").aggregate(**aggs)


def _apply_vetoes(t: ir.Table, vetoes: ir.Table | None, m: Method) -> ir.Table:
    cl = m.classification
    before = t.initial_class
    if m.exemptions:
        treat = ibis.cases(
            *[
                (t.exempt_reason == e.reason, ibis.literal(e.treat_as, "string"))
                for e in m.exemptions
            ],
            else_=ibis.null("string"),
        )
        before = t.initial_class.coalesce(treat)
    if vetoes is None:
        return t.mutate(veto=ibis.null("string"), vetoed_class=before)
    t = t.left_join(vetoes, "uscc").drop("uscc_right")
    hit = [t[f"veto_{n}"].fill_null(False) for n in range(len(m.vetoes))]
    worst = [h for h, v in zip(hit, m.vetoes, strict=True) if v.effect == "worst"]
    down = [h for h, v in zip(hit, m.vetoes, strict=True) if v.effect == "down_one"]
    lowered = ibis.cases(
        *[(before == c, cl.down_one(c)) for c in cl.classes], else_=ibis.null("string")
    )
    cases = []
    if worst:
        cases.append((_any(worst), ibis.literal(m.worst)))
    if down:
        cases.append((_any(down), lowered))
    names: Any = ibis.literal("")
    for h, v in zip(hit, m.vetoes, strict=True):
        names = names + ibis.cases((h, "；" + v.name), else_="")
    return t.mutate(
        veto=ibis.cases((names != "", names.substr(1)), else_=ibis.null("string")),
        vetoed_class=ibis.cases(*cases, else_=before),
    )


def _any(conds: list[Any]) -> Any:
    out = conds[0]
    for c in conds[1:]:
        out = out | c
    return out


def _history(con: Any, year: int, worst: str) -> ir.Table:
    """(uscc, prior_worst_years): consecutive years before ``year`` in the worst class.

    Earlier years come from the latest final run of each year; years without one come from
    ``evaluation_history`` (results published before the platform).
    """
    lo = year - HISTORY_YEARS
    runs = con.table("evaluation_run")
    runs = runs.filter((runs.status == "final") & (runs.year < year) & (runs.year >= lo))
    latest = runs.group_by("year").aggregate(run_id=runs.id.argmax(runs.version))
    res = con.table("evaluation_result")
    final = res.join(latest, res.run_id == latest.run_id).select(
        "uscc", "year", cls=res.final_class
    )
    imported = con.table("evaluation_history")
    imported = imported.filter((imported.year < year) & (imported.year >= lo)).select(
        "uscc", "year", cls=imported["class"]
    )
    imported = imported.anti_join(latest, "year")
    hist = ibis.union(final, imported, distinct=False)
    aggs = {
        f"d{k}": ((hist.year == year - k) & (hist.cls == worst)).any()
        for k in range(1, HISTORY_YEARS + 1)
    }
    h = hist.group_by("uscc").aggregate(**aggs)
    streak: Any = ibis.literal(0)
    run: Any = ibis.literal(True)
    for k in range(1, HISTORY_YEARS + 1):
        run = run & h[f"d{k}"]
        streak = streak + run.cast("int64")
    return h.select("uscc", prior_worst_years=streak.cast("int64"))


def _apply_history(t: ir.Table, history: ir.Table, m: Method) -> ir.Table:
    t = t.left_join(history, "uscc").drop("uscc_right")
    prior = t.prior_worst_years.fill_null(0)
    t = t.mutate(prior_worst_years=prior, final_class=t.vetoed_class)
    t = t.mutate(
        consecutive_worst=ibis.cases((t.final_class == m.worst, prior + 1), else_=0).cast("int64")
    )
    rate = surcharge_rate_expr(t.final_class, t.consecutive_worst, m)
    return t.mutate(surcharge_rate=rate, surcharge=rate * t.electricity)


def surcharge_rate_expr(final_class: Any, consecutive: Any, m: Method) -> Any:
    """The highest policy rate that applies to a class and a worst-class streak."""
    cases = []
    for p in sorted(m.policies, key=lambda p: -p.rate):
        cond = final_class == p.cls
        if p.cls == m.worst:
            cond = cond & (consecutive >= p.consecutive_years)
        cases.append((cond, ibis.literal(p.rate, "float64")))
    if not cases:
        return ibis.literal(0.0, "float64")
    return ibis.cases(*cases, else_=ibis.literal(0.0, "float64"))


def surcharge_rate(final_class: str | None, consecutive: int, m: Method) -> float:
    """:func:`surcharge_rate_expr` for one enterprise (used when a class is re-graded)."""
    rates = [
        p.rate
        for p in m.policies
        if p.cls == final_class and (p.cls != m.worst or consecutive >= p.consecutive_years)
    ]
    return max(rates, default=0.0)


# -- results ----------------------------------------------------------------------------------
def _check_benchmarks(rows: pa.Table, cohort: Cohort) -> None:
    graded = rows.column("graded")
    for i in cohort.indicators:
        b = rows.column(f"b_{i.key}")
        # All values zero (or none) leaves nothing to compare: the missing rule scores them.
        v = rows.column(f"v_{i.key}")
        has_value = pc.and_kleene(graded, pc.not_equal(v, 0.0))
        no_benchmark = pc.or_kleene(pc.is_null(b), pc.less_equal(b, 0.0))
        if pc.any(pc.and_kleene(has_value, no_benchmark)).as_py():
            how = {
                "prev_mean": "上年同类企业没有该指标的数据",
                "current_mean": "本年同类企业的平均值不是正数",
                "best": "本年同类企业的最好值不是正数",
                "fixed": "固定基准值无效",
            }[i.benchmark.mode]
            raise DataError(
                f"评价对象“{cohort.name}”的指标“{i.name}”无法确定基准值：{how}。"
                "请导入所需年度的数据，或在评价办法中改用固定基准值。"
            )


def _split(rows: pa.Table, cohort: Cohort) -> tuple[pa.Table, pa.Table]:
    common = rows.select([c for c in RESULT_COLUMNS if c != "explanation"])
    n = rows.num_rows
    parts = []
    for i in cohort.indicators:
        parts.append(
            pa.table(
                {
                    "uscc": rows.column("uscc"),
                    "indicator": pa.array([i.key] * n, pa.string()),
                    "value": rows.column(f"v_{i.key}"),
                    "benchmark": rows.column(f"b_{i.key}"),
                    "weight": pa.array([float(i.weight)] * n, pa.float64()),
                    "score": rows.column(f"s_{i.key}"),
                    "note": rows.column(f"n_{i.key}"),
                }
            )
        )
    return common, pa.concat_tables(parts)
