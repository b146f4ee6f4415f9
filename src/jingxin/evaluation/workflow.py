"""The evaluation's workflow: draft → public notice (公示) → objections → final.

* :func:`save_run` stores an evaluation as a new **draft** version of its year, with the
  method's text and hash and the inputs' hash. Older drafts and notices of the year become
  ``superseded``; final versions are never changed.
* :func:`start_notice` publishes a draft for objections (default 7 days).
* :func:`file_objection` records an enterprise's objection with its evidence;
  :func:`decide_objection` records the decision, and an upheld objection may change the
  class through a re-grade.
* :func:`regrade` (调档) changes one enterprise's class by hand: it needs a reason, is
  written to ``evaluation_regrade`` and to ``audit_log`` with before and after.
* :func:`finalize` closes a notice with no open objection. A final run is immutable:
  :func:`correct_run` copies it into a new draft version, which goes through the same steps.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import duckdb
import pyarrow as pa

from jingxin.errors import InputError, NotFoundError
from jingxin.evaluation.engine import Evaluation, surcharge_rate
from jingxin.evaluation.explain import regrade_sentence, surcharge_sentence
from jingxin.evaluation.method import Method
from jingxin.store import Store

__all__ = [
    "Run",
    "correct_run",
    "decide_objection",
    "file_objection",
    "finalize",
    "get_run",
    "latest_run",
    "list_runs",
    "objections",
    "read_results",
    "regrade",
    "save_run",
    "start_notice",
]

_STATUS_ZH = {"draft": "草稿", "notice": "公示中", "final": "已定稿", "superseded": "已被取代"}


@dataclass(frozen=True)
class Run:
    """One stored version of a year's evaluation."""

    id: int
    year: int
    version: int
    status: str
    method_name: str
    method_source: str
    method_text: str
    method_canonical: str
    method_sha256: str
    inputs_sha256: str
    corrects: int | None
    note: str | None
    created_at: datetime
    created_by: str
    notice_until: date | None
    finalized_at: datetime | None

    @property
    def method(self) -> Method:
        """The method the run used, rebuilt from its stored canonical form."""
        return Method.model_validate_json(self.method_canonical)

    @property
    def status_zh(self) -> str:
        """The status in Chinese (草稿, 公示中, 已定稿, 已被取代)."""
        return _STATUS_ZH[self.status]


_RUN_COLS = (
    "id, year, version, status, method_name, method_source, method_text, method_canonical, "
    "method_sha256, inputs_sha256, corrects, note, created_at, created_by, notice_until, "
    "finalized_at"
)


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def get_run(store: Store, run_id: int) -> Run:
    """The run with this id; NotFoundError when there is none."""
    rows = store.arrow(f"select {_RUN_COLS} from evaluation_run where id = ?", [run_id])  # noqa: S608
    if rows.num_rows == 0:
        raise NotFoundError(f"评价批次 {run_id} 不存在：请用 jingxin evaluation runs 查看。")
    return Run(**rows.to_pylist()[0])


def list_runs(store: Store, year: int | None = None) -> list[Run]:
    """All runs (of ``year``), newest first."""
    where, params = ("where year = ?", [year]) if year is not None else ("", [])
    rows = store.arrow(
        f"select {_RUN_COLS} from evaluation_run {where} order by year desc, version desc",  # noqa: S608
        params,
    )
    return [Run(**r) for r in rows.to_pylist()]


def latest_run(store: Store, year: int) -> Run:
    """The newest version of ``year``'s evaluation."""
    runs = list_runs(store, year)
    if not runs:
        raise NotFoundError(f"{year} 年尚无评价结果：请先运行 jingxin evaluate --year {year}。")
    return runs[0]


def read_results(store: Store, run_id: int) -> tuple[pa.Table, pa.Table]:
    """A run's per-enterprise results and item scores (without ``run_id``)."""
    get_run(store, run_id)
    results = store.arrow(
        "select * exclude (run_id) from evaluation_result where run_id = ? "
        "order by cohort, cell, rank nulls last, uscc",
        [run_id],
    )
    items = store.arrow(
        "select * exclude (run_id) from evaluation_item where run_id = ? order by uscc, indicator",
        [run_id],
    )
    return results, items


def _with_run(table: pa.Table, run_id: int) -> pa.Table:
    return table.add_column(0, "run_id", pa.array([run_id] * table.num_rows, pa.int32()))


def _insert(con: duckdb.DuckDBPyConnection, tname: str, table: pa.Table) -> None:
    cols = ", ".join(f'"{c}"' for c in table.column_names)
    con.register("_rows", table)
    con.execute(f"insert into {tname} ({cols}) select {cols} from _rows")  # noqa: S608
    con.unregister("_rows")


def save_run(store: Store, ev: Evaluation, *, actor: str, note: str | None = None) -> Run:
    """Store an evaluation as a new draft version of its year and return the run."""
    year = ev.year
    with store.transaction() as con:
        row = con.execute(
            "select coalesce(max(id), 0) + 1, "
            "coalesce(max(version) filter (where year = ?), 0) + 1 from evaluation_run",
            [year],
        ).fetchall()[0]
        run_id, version = int(row[0]), int(row[1])
        final = con.execute(
            "select id from evaluation_run where year = ? and status = 'final' "
            "order by version desc limit 1",
            [year],
        ).fetchall()
        con.execute(
            "update evaluation_run set status = 'superseded' "
            "where year = ? and status in ('draft', 'notice')",
            [year],
        )
        m = ev.method
        con.execute(
            "insert into evaluation_run (id, year, version, status, method_name, method_source, "
            "method_text, method_canonical, method_sha256, inputs_sha256, corrects, note, "
            "created_at, created_by) values (?, ?, ?, 'draft', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                run_id,
                year,
                version,
                m.method.name,
                m.source,
                m.text,
                m.method.canonical(),
                m.sha256,
                ev.inputs_sha256,
                final[0][0] if final else None,
                note,
                _now(),
                actor,
            ],
        )
        _insert(con, "evaluation_result", _with_run(ev.results, run_id))
        _insert(con, "evaluation_item", _with_run(ev.items, run_id))
    return get_run(store, run_id)


def _open_run(store: Store, run_id: int, allowed: tuple[str, ...], action: str) -> Run:
    run = get_run(store, run_id)
    if run.status == "final":
        raise InputError(
            f"评价批次 {run_id}（{run.year} 年第 {run.version} 版）已定稿，不能{action}："
            f"如需更正，请运行 jingxin evaluation correct --run {run_id} 生成新版本。"
        )
    if run.status not in allowed:
        need = "、".join(_STATUS_ZH[s] for s in allowed)
        raise InputError(f"评价批次 {run_id} 当前为{run.status_zh}，只有{need}状态才能{action}。")
    return run


def start_notice(store: Store, run_id: int, *, actor: str, days: int = 7) -> Run:
    """Publish a draft for objections until ``today + days``."""
    _open_run(store, run_id, ("draft",), "公示")
    if days < 1:
        raise InputError(f"公示期应至少 1 天，实际为 {days} 天。")
    until = _now().date() + timedelta(days=days)
    with store.transaction() as con:
        con.execute(
            "update evaluation_run set status = 'notice', notice_at = ?, notice_until = ? "
            "where id = ?",
            [_now(), until, run_id],
        )
        _audit(con, actor, f"notice: 公示至 {until}", "evaluation_run", {"id": run_id}, None, None)
    return get_run(store, run_id)


def _result_row(con: duckdb.DuckDBPyConnection, run_id: int, uscc: str) -> dict[str, Any]:
    rows = con.sql(
        "select * from evaluation_result where run_id = ? and uscc = ?", params=[run_id, uscc]
    ).to_arrow_table()
    if rows.num_rows != 1:
        raise NotFoundError(f"评价批次 {run_id} 中没有统一社会信用代码为 {uscc!r} 的企业。")
    return dict(rows.to_pylist()[0])


def file_objection(
    store: Store, run_id: int, uscc: str, *, claim: str, evidence: str, actor: str
) -> int:
    """Record an enterprise's objection during the notice; returns the objection's id."""
    _open_run(store, run_id, ("notice",), "提出异议")
    if not claim.strip() or not evidence.strip():
        raise InputError("异议须写明异议事项（claim）并附证明材料（evidence）。")
    with store.transaction() as con:
        _result_row(con, run_id, uscc)
        oid = int(
            con.execute("select coalesce(max(id), 0) + 1 from evaluation_objection").fetchall()[0][
                0
            ]
        )
        con.execute(
            "insert into evaluation_objection (id, run_id, uscc, filed_at, filed_by, claim, "
            "evidence, status) values (?, ?, ?, ?, ?, ?, ?, 'open')",
            [oid, run_id, uscc, _now(), actor, claim.strip(), evidence.strip()],
        )
    return oid


def objections(store: Store, run_id: int) -> list[dict[str, Any]]:
    """The objections of a run, oldest first."""
    rows = store.arrow(
        "select * from evaluation_objection where run_id = ? order by id", [run_id]
    ).to_pylist()
    return [dict(r) for r in rows]


def decide_objection(
    store: Store,
    objection_id: int,
    *,
    upheld: bool,
    decision: str,
    actor: str,
    new_class: str | None = None,
) -> None:
    """Record the decision on an objection; an upheld one may set a new class (调档)."""
    rows = store.arrow("select * from evaluation_objection where id = ?", [objection_id])
    if rows.num_rows == 0:
        raise NotFoundError(f"异议 {objection_id} 不存在。")
    obj = rows.to_pylist()[0]
    _open_run(store, obj["run_id"], ("notice",), "处理异议")
    if obj["status"] != "open":
        raise InputError(f"异议 {objection_id} 已处理（{obj['status']}），不能重复处理。")
    if not decision.strip():
        raise InputError("处理异议须写明处理意见（decision）。")
    if new_class is not None and not upheld:
        raise InputError("异议不成立时不能调整等级。")
    with store.transaction() as con:
        con.execute(
            "update evaluation_objection set status = ?, decision = ?, decided_at = ?, "
            "decided_by = ? where id = ?",
            ["upheld" if upheld else "rejected", decision.strip(), _now(), actor, objection_id],
        )
        if new_class is not None:
            _regrade(
                con,
                store,
                obj["run_id"],
                obj["uscc"],
                new_class,
                f"异议成立：{decision.strip()}",
                actor,
                objection_id,
            )


def regrade(
    store: Store,
    run_id: int,
    uscc: str,
    to_class: str,
    *,
    reason: str,
    actor: str,
) -> None:
    """Change one enterprise's class by hand (调档): needs a reason, is audited."""
    _open_run(store, run_id, ("draft", "notice"), "调档")
    with store.transaction() as con:
        _regrade(con, store, run_id, uscc, to_class, reason, actor, None)


def _regrade(
    con: duckdb.DuckDBPyConnection,
    store: Store,
    run_id: int,
    uscc: str,
    to_class: str,
    reason: str,
    actor: str,
    objection_id: int | None,
) -> None:
    if not reason or not reason.strip():
        raise InputError("调档必须写明理由（reason），理由将记入审计日志。")
    m = get_run(store, run_id).method
    if to_class not in m.classification.classes:
        raise InputError(f"等级 {to_class!r} 不在评价办法的等级 {m.classification.classes!r} 中。")
    before = _result_row(con, run_id, uscc)
    old_policy = surcharge_sentence(
        before["final_class"],
        before["consecutive_worst"],
        before["surcharge_rate"],
        before["electricity"],
        m,
    )
    consecutive = before["prior_worst_years"] + 1 if to_class == m.worst else 0
    rate = surcharge_rate(to_class, consecutive, m)
    kwh = before["electricity"]
    text = before["explanation"]
    base = text[: len(text) - len(old_policy)] if old_policy and text.endswith(old_policy) else text
    explanation = (
        base
        + regrade_sentence(before["final_class"], to_class, reason.strip(), m)
        + surcharge_sentence(to_class, consecutive, rate, kwh, m)
    )
    seq = int(
        con.execute(
            "select coalesce(max(seq), 0) + 1 from evaluation_regrade where run_id = ? and uscc = ?",
            [run_id, uscc],
        ).fetchall()[0][0]
    )
    con.execute(
        "insert into evaluation_regrade values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            run_id,
            uscc,
            seq,
            before["final_class"],
            to_class,
            reason.strip(),
            objection_id,
            _now(),
            actor,
        ],
    )
    con.execute(
        "update evaluation_result set final_class = ?, consecutive_worst = ?, "
        "surcharge_rate = ?, surcharge = ?, explanation = ? where run_id = ? and uscc = ?",
        [
            to_class,
            consecutive,
            rate,
            rate * kwh if kwh is not None else None,
            explanation,
            run_id,
            uscc,
        ],
    )
    after = _result_row(con, run_id, uscc)
    _audit(
        con,
        actor,
        f"regrade: {reason.strip()}",
        "evaluation_result",
        {"run_id": run_id, "uscc": uscc},
        before,
        after,
    )


def finalize(store: Store, run_id: int, *, actor: str) -> Run:
    """Make a noticed run final (immutable). Every objection must have been decided."""
    _open_run(store, run_id, ("notice",), "定稿")
    open_ = [o["id"] for o in objections(store, run_id) if o["status"] == "open"]
    if open_:
        raise InputError(
            f"评价批次 {run_id} 还有未处理的异议 {open_!r}：请先用 jingxin evaluation decide 处理。"
        )
    with store.transaction() as con:
        con.execute(
            "update evaluation_run set status = 'final', finalized_at = ?, finalized_by = ? "
            "where id = ?",
            [_now(), actor, run_id],
        )
        _audit(con, actor, "finalize: 定稿", "evaluation_run", {"id": run_id}, None, None)
    return get_run(store, run_id)


def correct_run(store: Store, run_id: int, *, reason: str, actor: str) -> Run:
    """A new draft version copying a final run, to correct it (the final stays as it was)."""
    run = get_run(store, run_id)
    if run.status != "final":
        raise InputError(
            f"评价批次 {run_id} 尚未定稿（{run.status_zh}），可直接调档或重新评价，无需更正。"
        )
    if not reason.strip():
        raise InputError("更正必须写明理由（reason）。")
    results, items = read_results(store, run_id)
    with store.transaction() as con:
        row = con.execute(
            "select coalesce(max(id), 0) + 1, "
            "coalesce(max(version) filter (where year = ?), 0) + 1 from evaluation_run",
            [run.year],
        ).fetchall()[0]
        new_id, version = int(row[0]), int(row[1])
        con.execute(
            "update evaluation_run set status = 'superseded' "
            "where year = ? and status in ('draft', 'notice')",
            [run.year],
        )
        con.execute(
            "insert into evaluation_run (id, year, version, status, method_name, method_source, "
            "method_text, method_canonical, method_sha256, inputs_sha256, corrects, note, "
            "created_at, created_by) "
            "select ?, year, ?, 'draft', method_name, method_source, method_text, "
            "method_canonical, method_sha256, inputs_sha256, id, ?, ?, ? "
            "from evaluation_run where id = ?",
            [new_id, version, f"更正：{reason.strip()}", _now(), actor, run_id],
        )
        _insert(con, "evaluation_result", _with_run(results, new_id))
        _insert(con, "evaluation_item", _with_run(items, new_id))
        _audit(
            con,
            actor,
            f"correct: {reason.strip()}",
            "evaluation_run",
            {"id": new_id, "corrects": run_id},
            None,
            None,
        )
    return get_run(store, new_id)


def _audit(
    con: duckdb.DuckDBPyConnection,
    actor: str,
    action: str,
    tname: str,
    key: dict[str, Any],
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> None:
    """One ``audit_log`` row, in the same form as ``Store.correct`` writes."""

    def dumps(x: dict[str, Any] | None) -> str | None:
        return None if x is None else json.dumps(x, ensure_ascii=False, default=str)

    con.execute(
        "insert into audit_log (logged_at, actor, action, table_name, row_key, before, after) "
        "values (?, ?, ?, ?, ?, ?, ?)",
        [
            _now(),
            actor,
            action,
            tname,
            json.dumps(key, ensure_ascii=False),
            dumps(before),
            dumps(after),
        ],
    )
