"""Enterprise search and the enterprise profile (企业画像), read under the user's scope.

Every read goes through :meth:`jingxin.store.Store.table` with the caller's scope, so a
county user's search lists only the county's enterprises and a profile of another county's
enterprise is not found (the same answer as for a code that does not exist). The
comparisons of a profile (its county's and its industry group's average) come from the
cube: published aggregates, not other enterprises' rows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import ibis
import pyarrow as pa
import pyarrow.compute as pc

from jingxin.errors import InputError, NotFoundError
from jingxin.ingest.kinds import KINDS
from jingxin.reference import industries, load_groups, region_name
from jingxin.reference.clock import beijing
from jingxin.reference.vocabulary import ENTERPRISE_SCALE, ENTERPRISE_STATUS, LAND_TENURE, POOLS
from jingxin.store import Scope, Store
from jingxin.store.versions import as_of_sentence
from jingxin.tracking.queries import rows
from jingxin.web.views.charts import lines, r1

__all__ = ["EXPORT_LIMIT", "SORTS", "SearchBase", "profile", "search", "search_base"]

SORTS = {
    "name": "企业名称",
    "value_added": "增加值",
    "growth": "增加值增速",
    "revenue": "营业收入",
    "land_mu": "用地面积",
}
POOL_NAMES = {p.key: p.label for p in POOLS}
EXPORT_LIMIT = 200_000  # rows of an Excel export (a province has about 50,000 enterprises)
MEASURES = {
    "gross_output": ("工业总产值", "万元"),
    "value_added": ("工业增加值", "万元"),
    "revenue": ("营业收入", "万元"),
    "profit": ("利润总额", "万元"),
    "taxes": ("税金总额", "万元"),
    "employees": ("从业人员", "人"),
    "energy": ("综合能耗", "吨标准煤"),
}


def _growth(now: Any, before: Any) -> Any:
    return ibis.ifelse(before > 0, (now / before - 1) * 100, ibis.null())


def _latest_fact_period(store: Store, scope: Scope) -> str | None:
    f = store.table("monthly_fact", scope)
    p = store.scalar(f.period.max())
    return str(p) if p else None


def _latest_run(store: Store) -> int | None:
    r = store.table("evaluation_run", Scope.city())  # runs hold methods, no enterprise rows
    found = rows(store, r.order_by(ibis.desc("year"), ibis.desc("version")).select("id").limit(1))
    return int(found[0]["id"]) if found else None


def _industry_name(code: str | None) -> str:
    if not code:
        return ""
    known = industries()
    for k in (code, code[:3], code[:2]):
        if k in known:
            return known[k].name
    return ""


@dataclass(frozen=True)
class SearchBase:
    """Every enterprise in a scope with this year's figures, read once per data version:
    the search filters, sorts and pages it in memory (a city's register is a few thousand
    rows, a province's some tens of thousands), so a new search costs no query."""

    table: pa.Table  # uscc, name, region_code, industry_code, platform, land_mu,
    # value_added, value_added_prior, revenue, growth, grade_class
    pools: dict[str, frozenset[str]]  # the current members of each pool
    period: str | None
    regions: list[str]
    as_of: str


def search_base(store: Store, scope: Scope) -> SearchBase:
    """The enterprises of ``scope`` with the latest month's figures and the latest run's
    class (read through the query boundary)."""
    period = _latest_fact_period(store, scope)
    e = store.table("enterprise", scope)
    t = e.select("uscc", "name", "region_code", "industry_code", "platform", "land_mu")
    if period:
        f = store.table("monthly_fact", scope)
        f = f.filter(f.period == period).select(
            "uscc", "value_added", "value_added_prior", "revenue"
        )
        t = t.left_join(f, "uscc").drop("uscc_right")
        t = t.mutate(growth=_growth(t.value_added, t.value_added_prior))
    else:
        t = t.mutate(
            value_added=ibis.null("float64"),
            value_added_prior=ibis.null("float64"),
            revenue=ibis.null("float64"),
            growth=ibis.null("float64"),
        )
    run = _latest_run(store)
    if run is not None:
        r = store.table("evaluation_result", scope)
        r = r.filter(r.run_id == run).select("uscc", grade_class=r.final_class)
        t = t.left_join(r, "uscc").drop("uscc_right")
    else:
        t = t.mutate(grade_class=ibis.null("string"))
    m = store.table("pool_member", scope)
    members: dict[str, set[str]] = {}
    for row in rows(store, m.filter(m.exited.isnull()).select("pool", "uscc")):
        members.setdefault(row["pool"], set()).add(row["uscc"])
    table = store.run(t)
    regions = sorted(str(c) for c in pc.unique(table["region_code"]).to_pylist() if c)
    return SearchBase(
        table,
        {k: frozenset(v) for k, v in members.items()},
        period,
        regions,
        as_of_sentence(store),
    )


def _mask(
    base: SearchBase,
    q: str | None,
    region: str | None,
    industry: str | None,
    pool: str | None,
    grade: str | None,
) -> pa.ChunkedArray | None:
    t = base.table
    parts = []
    if q:
        needle = q.strip()
        parts.append(
            pc.or_(
                pc.match_substring(t["name"], needle),
                pc.starts_with(t["uscc"], needle.upper()),
            )
        )
    if region:
        parts.append(pc.equal(t["region_code"], region))
    if industry:
        parts.append(pc.starts_with(t["industry_code"], industry))
    if pool:
        members = pa.array(sorted(base.pools.get(pool, ())), pa.string())
        parts.append(pc.is_in(t["uscc"], value_set=members))
    if grade:
        parts.append(pc.equal(t["grade_class"], grade.upper()))
    if not parts:
        return None
    mask = parts[0]
    for part in parts[1:]:
        mask = pc.and_(mask, part)
    return pc.fill_null(mask, False)


def search(
    store: Store | SearchBase,
    scope: Scope,
    *,
    q: str | None = None,
    region: str | None = None,
    industry: str | None = None,
    pool: str | None = None,
    grade: str | None = None,
    sort: str = "value_added",
    order: Literal["asc", "desc"] = "desc",
    page: int = 1,
    size: int = 50,
    limit: int = 500,
) -> dict[str, Any]:
    """Enterprises in ``scope`` matching the filters, one page, with this year's figures.

    ``store`` may be the scope's :func:`search_base` already read (the web platform keeps
    it per data version). ``limit`` caps the page size (an Excel export asks for every
    row, up to :data:`EXPORT_LIMIT`). Sorted by ``sort`` with missing values last, then by
    credit code.
    """
    if sort not in SORTS:
        raise InputError(f"排序字段 {sort!r} 无效：应为 {'、'.join(SORTS)} 之一。")
    if page < 1 or not 1 <= size <= limit:
        raise InputError(f"页码应不小于 1，每页条数应在 1–{limit} 之间。")
    base = store if isinstance(store, SearchBase) else search_base(store, scope)
    t = base.table
    mask = _mask(base, q, region, industry, pool, grade)
    if mask is not None:
        t = t.filter(mask)
    total = t.num_rows
    direction = "descending" if order == "desc" else "ascending"
    keys = [(sort, direction, "at_end"), ("uscc", "ascending", "at_end")]
    ranked = pc.sort_indices(t, sort_keys=keys)
    found = t.take(ranked[(page - 1) * size : page * size]).to_pylist()
    items = [
        {
            "uscc": r["uscc"],
            "name": r["name"],
            "region_code": r["region_code"],
            "region_name": region_name(r["region_code"]),
            "industry_code": r["industry_code"],
            "industry_name": _industry_name(r["industry_code"]),
            "platform": r["platform"],
            "land_mu": r1(r["land_mu"]),
            "value_added": r1(r["value_added"]),
            "growth_pct": r1(r["growth"]),
            "revenue": r1(r["revenue"]),
            "class": r["grade_class"],
        }
        for r in found
    ]
    return {
        "period": base.period,
        "regions": [{"code": c, "name": region_name(c)} for c in base.regions],
        "total": total,
        "page": page,
        "size": size,
        "pages": max(1, -(-total // size)),
        "sort": sort,
        "order": order,
        "items": items,
        "as_of": base.as_of,
    }


def _by_uscc(
    store: Store, scope: Scope, key: str, build: Callable[[Scope, Any], Any], uscc: str
) -> list[dict[str, Any]]:
    """The rows ``build(scope, code)`` selects for one enterprise: compiled once per scope
    and run with the credit code bound (a profile reads a dozen tables)."""

    def prepare(sc: Scope) -> tuple[Any, dict[str, Any]]:
        code = ibis.param("string")
        return build(sc, code), {"uscc": code}

    out: list[dict[str, Any]] = store.prepared(
        ("profile", key), scope, prepare, uscc=uscc
    ).to_pylist()
    return out


def _one(store: Store, scope: Scope, uscc: str) -> dict[str, Any]:
    def build(sc: Scope, code: Any) -> Any:
        e = store.table("enterprise", sc)
        return e.filter(e.uscc == code)

    found = _by_uscc(store, scope, "enterprise", build, uscc)
    if not found:
        raise NotFoundError("没有找到该统一社会信用代码的企业（或该企业不在您的可见范围内）。")
    return found[0]


def _sources(store: Store, ids: set[int]) -> dict[int, dict[str, Any]]:
    """The files the profile's rows came from (names and kinds only; the enterprise is in
    scope, so the files that describe it may be named)."""
    if not ids:
        return {}

    def build(sc: Scope) -> tuple[Any, dict[str, Any]]:
        s = store.table("source_file", sc)
        return s.select("id", "kind", "name", "period", "loaded_at"), {}

    found = [
        r
        for r in store.prepared(("profile", "sources"), Scope.city(), build).to_pylist()
        if int(r["id"]) in ids
    ]
    return {
        int(r["id"]): {
            "id": int(r["id"]),
            "kind": KINDS[r["kind"]].label if r["kind"] in KINDS else r["kind"],
            "name": r["name"],
            "period": r["period"],
            "loaded_at": beijing(r["loaded_at"]),
        }
        for r in found
    }


def _of(store: Store, scope: Scope, table: str, uscc: str, *order: str) -> list[dict[str, Any]]:
    def build(sc: Scope, code: Any) -> Any:
        t = store.table(table, sc)
        return t.filter(t.uscc == code).order_by(list(order) or ["uscc"])

    return _by_uscc(store, scope, f"{table}:{','.join(order)}", build, uscc)


def _runs_of(sc: Scope, store: Store, code: Any) -> Any:
    r = store.table("evaluation_result", sc)
    runs = store.table("evaluation_run", Scope.city())  # runs hold methods, no enterprise rows
    joined = r.filter(r.uscc == code).join(runs, r.run_id == runs.id)
    return joined.order_by([ibis.desc("year"), ibis.desc("version")])


def _projects_of(sc: Scope, store: Store, code: Any) -> Any:
    pj = store.table("project", sc)
    return pj.filter(pj.uscc == code).order_by("project_id")


def _tax_of(sc: Scope, store: Store, code: Any) -> Any:
    taxes = store.table("tax_paid", sc)
    return (
        taxes.filter(taxes.uscc == code)
        .group_by(year=taxes.period.left(4), tax_type=taxes.tax_type)
        .aggregate(amount=taxes.amount.sum(), source_file_id=taxes.source_file_id.max())
        .order_by(["year", "tax_type"])
    )


def _compare(
    store: Store, ent: dict[str, Any], period: str | None, fact: dict[str, Any] | None
) -> list[dict[str, Any]]:
    """This enterprise's growth against its county's and its industry groups' (cube)."""
    if not period or not fact:
        return []
    flags = set(ent.get("flags") or [])
    groups = [g for g in load_groups().values() if g.contains(ent["industry_code"] or "", flags)]
    wanted = {"all", *[g.key for g in groups]}

    def build(sc: Scope) -> tuple[Any, dict[str, Any]]:
        c = store.table("cube", sc)  # aggregates
        at, county = ibis.param("string"), ibis.param("string")
        cells = c.filter(
            (c.period == at)
            & c.measure.isin(["value_added", "gross_output", "revenue"])
            & (((c.region_code == county) & (c.group_key == "all")) | (c.region_level == "city"))
        )
        return cells, {"period": at, "county": county}

    cells = [
        cell
        for cell in store.prepared(
            ("profile", "compare"), Scope.city(), build, period=period, county=ent["region_code"]
        ).to_pylist()
        if cell["region_level"] != "city" or cell["group_key"] in wanted
    ]
    names = {g.key: g.name for g in groups}
    out = []
    for m in ("value_added", "gross_output", "revenue"):
        now, before = fact.get(m), fact.get(f"{m}_prior")
        peers: list[dict[str, Any]] = []
        row = {
            "measure": MEASURES[m][0],
            "value": r1(now),
            "prior": r1(before),
            "growth_pct": r1((now / before - 1) * 100) if now is not None and before else None,
            "peers": peers,
        }
        for cell in cells:
            if cell["measure"] != m:
                continue
            if cell["region_level"] == "county":
                label = f"{region_name(ent['region_code'])}规上工业"
            elif cell["group_key"] == "all":
                label = "全市规上工业"
            else:
                label = f"全市{names.get(cell['group_key'], cell['group_key'])}"
            n = cell["n_enterprises"] or 0
            peers.append(
                {
                    "label": label,
                    "average": r1(cell["value"] / n) if n and cell["value"] is not None else None,
                    "growth_pct": r1(cell["growth_pct"]),
                }
            )
        peers.sort(
            key=lambda p: (
                not p["label"].startswith(region_name(ent["region_code"])),
                p["label"] != "全市规上工业",
                p["label"],
            )
        )
        out.append(row)
    return out


def profile(store: Store, scope: Scope, uscc: str) -> dict[str, Any]:
    """Everything the departments hold about one enterprise in ``scope`` (企业画像)."""
    ent = _one(store, scope, uscc)
    facts = _of(store, scope, "monthly_fact", uscc, "period")
    elec = _of(store, scope, "electricity", uscc, "period")
    period = facts[-1]["period"] if facts else None
    year = int(period[:4]) if period else None
    this_year = [f for f in facts if year and f["period"].startswith(f"{year}-")]
    monthly = [
        {
            "period": f["period"],
            **{m: r1(f[m]) for m in MEASURES},
            "value_added_growth_pct": r1((f["value_added"] / f["value_added_prior"] - 1) * 100)
            if f["value_added"] is not None and f["value_added_prior"]
            else None,
            "source_file_id": f["source_file_id"],
        }
        for f in facts
    ]
    by_month = {int(f["period"][5:7]): f for f in this_year}
    chart = lines(
        f"{year or ''} 年工业增加值（1 月至当月累计）",
        [f"{m}月" for m in range(1, 13)],
        {
            f"{year}年": [
                by_month[m]["value_added"] if m in by_month else None for m in range(1, 13)
            ],
            f"{(year or 1) - 1}年（同口径）": [
                by_month[m]["value_added_prior"] if m in by_month else None for m in range(1, 13)
            ],
        },
        "万元",
    )
    run_results = []
    for row in _by_uscc(store, scope, "runs", lambda sc, c: _runs_of(sc, store, c), uscc):
        run_results.append(
            {
                "run_id": row["run_id"],
                "year": row["year"],
                "version": row["version"],
                "status": row["status"],
                "total_score": r1(row["total_score"], 2),
                "rank": row["rank"],
                "cell_size": row["cell_size"],
                "initial_class": row["initial_class"],
                "final_class": row["final_class"],
                "veto": row["veto"],
                "surcharge_rate": row["surcharge_rate"],
                "explanation": row["explanation"],
            }
        )
    history = _of(store, scope, "evaluation_history", uscc, "year")
    pools = [
        {**p, "label": POOL_NAMES.get(p["pool"], p["pool"])}
        for p in _of(store, scope, "pool_member", uscc, "pool", "entered")
    ]
    projects = _by_uscc(store, scope, "projects", lambda sc, c: _projects_of(sc, store, c), uscc)
    tax = [  # a sum of floats: rounded to 百元 so that its order of addition never shows
        t | {"amount": r1(t["amount"], 2)}
        for t in _by_uscc(store, scope, "tax", lambda sc, c: _tax_of(sc, store, c), uscc)
    ]
    land = [
        r | {"tenure_name": LAND_TENURE.get(r["tenure"], r["tenure"])}
        for r in _of(store, scope, "land_parcel", uscc, "year", "certificate")
    ]
    emissions = _of(store, scope, "emission", uscc, "year", "pollutant")
    incidents = _of(store, scope, "incident", uscc, "occurred")
    status = [
        r | {"status_name": ENTERPRISE_STATUS.get(r["status"], r["status"])}
        for r in _of(store, scope, "enterprise_status", uscc, "valid_from")
    ]
    scale = [
        r | {"scale_name": ENTERPRISE_SCALE.get(r["scale"], r["scale"])}
        for r in _of(store, scope, "enterprise_scale", uscc, "year")
    ]
    ids = {
        int(x["source_file_id"])
        for part in (facts, elec, tax, land, emissions, incidents, status, scale, [ent])
        for x in part
        if x.get("source_file_id") is not None
    }
    return {
        "uscc": uscc,
        "register": {
            "name": ent["name"],
            "region_code": ent["region_code"],
            "region_name": region_name(ent["region_code"]),
            "industry_code": ent["industry_code"],
            "industry_name": _industry_name(ent["industry_code"]),
            "platform": ent["platform"],
            "founded": ent["founded"].isoformat() if ent["founded"] else None,
            "land_mu": r1(ent["land_mu"]),
            "flags": list(ent["flags"] or []),
            "source_file_id": ent["source_file_id"],
        },
        "status": status,
        "scale": scale,
        "period": period,
        "monthly": monthly,
        "electricity": [
            {"period": x["period"], "kwh": x["kwh"], "source_file_id": x["source_file_id"]}
            for x in elec
        ],
        "compare": _compare(store, ent, period, facts[-1] if facts else None),
        "evaluation": run_results,
        "evaluation_history": history,
        "pools": pools,
        "projects": projects,
        "tax": tax,
        "land": land,
        "emissions": emissions,
        "incidents": incidents,
        "sources": _sources(store, ids),
        "charts": {"value_added": chart},
        "as_of": as_of_sentence(store),
    }
