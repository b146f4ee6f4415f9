"""Reads of stored evaluations, as Ibis expressions through the store's boundary.

Runs (``evaluation_run``) hold the method, not enterprises, and are read whole. Results,
item scores and objections are enterprise-level: every function that returns them takes
the caller's :class:`~jingxin.store.Scope`.
"""

from __future__ import annotations

from typing import Any

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from jingxin.errors import NotFoundError
from jingxin.store import Scope, Store

__all__ = [
    "RUN_COLUMNS",
    "objection",
    "objections",
    "regrades",
    "result_row",
    "results",
    "runs",
]

RUN_COLUMNS = (
    "id",
    "year",
    "version",
    "status",
    "method_name",
    "method_source",
    "method_text",
    "method_canonical",
    "method_sha256",
    "inputs_sha256",
    "corrects",
    "note",
    "created_at",
    "created_by",
    "notice_at",
    "notice_until",
    "finalized_at",
)

_CITY = Scope.city()


def runs(store: Store, *, run_id: int | None = None, year: int | None = None) -> pa.Table:
    """Stored runs (one, or those of a year, or all), newest first."""
    t = store.table("evaluation_run", _CITY)
    if run_id is not None:
        t = t.filter(t.id == run_id)
    if year is not None:
        t = t.filter(t.year == year)
    return store.run(t.select(*RUN_COLUMNS).order_by(ibis.desc("year"), ibis.desc("version")))


def results(store: Store, run_id: int, scope: Scope) -> tuple[pa.Table, pa.Table]:
    """A run's per-enterprise results and item scores visible in ``scope`` (no ``run_id``)."""
    r = store.table("evaluation_result", scope)
    r = r.filter(r.run_id == run_id).drop("run_id")
    r = r.order_by("cohort", "cell", r["rank"].asc(nulls_first=False), "uscc")
    i = store.table("evaluation_item", scope)
    i = i.filter(i.run_id == run_id).drop("run_id").order_by("uscc", "indicator")
    return store.run(r), store.run(i)


def result_row(store: Store, run_id: int, uscc: str, scope: Scope) -> dict[str, Any]:
    """One enterprise's stored result in a run; NotFoundError when it has none."""
    r = store.table("evaluation_result", scope)
    rows = store.run(r.filter((r.run_id == run_id) & (r.uscc == uscc))).to_pylist()
    if len(rows) != 1:
        raise NotFoundError(f"评价批次 {run_id} 中没有统一社会信用代码为 {uscc!r} 的企业。")
    return dict(rows[0])


def _with_names(store: Store, t: ir.Table, run_id: int, scope: Scope) -> ir.Table:
    """``t`` (rows of one run, keyed by uscc) with the enterprise's name and county."""
    r = store.table("evaluation_result", scope)
    r = r.filter(r.run_id == run_id).select("uscc", "name", "region_code")
    return t.left_join(r, "uscc").drop("uscc_right")


def objections(
    store: Store, run_id: int, scope: Scope, status: str | None = None
) -> list[dict[str, Any]]:
    """The objections of a run visible in ``scope`` (of one stored ``status``), oldest first.

    Each row also has the enterprise's ``name`` and ``region_code``.
    """
    o = store.table("evaluation_objection", scope)
    o = o.filter(o.run_id == run_id)
    if status is not None:
        o = o.filter(o.status == status)
    rows = store.run(_with_names(store, o, run_id, scope).order_by("id")).to_pylist()
    return [dict(r) for r in rows]


def regrades(store: Store, run_id: int, scope: Scope) -> list[dict[str, Any]]:
    """The re-grades (调档) of a run visible in ``scope``, in the order they were made."""
    g = store.table("evaluation_regrade", scope)
    g = _with_names(store, g.filter(g.run_id == run_id), run_id, scope)
    return [dict(r) for r in store.run(g.order_by("made_at", "uscc", "seq")).to_pylist()]


def objection(store: Store, objection_id: int, scope: Scope) -> dict[str, Any]:
    """One objection; NotFoundError when it does not exist (or is not visible)."""
    o = store.table("evaluation_objection", scope)
    rows = store.run(o.filter(o.id == objection_id)).to_pylist()
    if not rows:
        raise NotFoundError(f"异议 {objection_id} 不存在。")
    return dict(rows[0])
