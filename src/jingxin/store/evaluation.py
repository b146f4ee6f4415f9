"""Writes of the evaluation workflow: runs, notices, objections, re-grades, final versions.

The rules (which status allows which step, what a re-grade does to the class and the
surcharge) live in :mod:`jingxin.evaluation.workflow`; this module stores their outcome,
each step in one transaction with its ``audit_log`` row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import duckdb
import pyarrow as pa

from jingxin.store.audit import next_id, now, write_audit
from jingxin.store.db import Store

__all__ = [
    "NewRun",
    "Regrade",
    "add_objection",
    "copy_run",
    "decide_objection",
    "finalize_run",
    "insert_run",
    "regrade",
    "start_notice",
]


@dataclass(frozen=True)
class NewRun:
    """What a new draft version stores about its method and inputs."""

    year: int
    method_name: str
    method_source: str
    method_text: str
    method_canonical: str
    method_sha256: str
    inputs_sha256: str
    note: str | None


@dataclass(frozen=True)
class Regrade:
    """One enterprise's re-grade (调档), as computed by the workflow."""

    run_id: int
    uscc: str
    from_class: str
    to_class: str
    reason: str
    consecutive_worst: int
    surcharge_rate: float
    surcharge: float | None
    explanation: str
    objection_id: int | None = None
    veto: str | None = None  # the veto decided on (with veto_decision), if any
    veto_decision: str | None = None  # lift | keep


def _insert(con: duckdb.DuckDBPyConnection, tname: str, table: pa.Table, run_id: int) -> None:
    table = table.add_column(0, "run_id", pa.array([run_id] * table.num_rows, pa.int32()))
    cols = ", ".join(f'"{c}"' for c in table.column_names)
    con.register("_rows", table)
    con.execute(f"insert into {tname} ({cols}) select {cols} from _rows")  # noqa: S608
    con.unregister("_rows")


def _new_version(con: duckdb.DuckDBPyConnection, year: int) -> tuple[int, int]:
    """A new run id and the year's next version; open drafts and notices are superseded."""
    run_id = next_id(con, "evaluation_run")
    row = con.execute(
        "select coalesce(max(version), 0) + 1 from evaluation_run where year = ?", [year]
    ).fetchall()
    con.execute(
        "update evaluation_run set status = 'superseded' "
        "where year = ? and status in ('draft', 'notice')",
        [year],
    )
    return run_id, int(row[0][0])


def insert_run(store: Store, run: NewRun, results: pa.Table, items: pa.Table, *, actor: str) -> int:
    """Store an evaluation as a new draft version of its year; returns the run's id.

    The latest final version of the year, if any, is recorded as the one it corrects.
    """
    with store.transaction() as con:
        final = con.execute(
            "select id from evaluation_run where year = ? and status = 'final' "
            "order by version desc limit 1",
            [run.year],
        ).fetchall()
        run_id, version = _new_version(con, run.year)
        con.execute(
            "insert into evaluation_run (id, year, version, status, method_name, method_source, "
            "method_text, method_canonical, method_sha256, inputs_sha256, corrects, note, "
            "created_at, created_by) values (?, ?, ?, 'draft', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                run_id,
                run.year,
                version,
                run.method_name,
                run.method_source,
                run.method_text,
                run.method_canonical,
                run.method_sha256,
                run.inputs_sha256,
                final[0][0] if final else None,
                run.note,
                now(),
                actor,
            ],
        )
        _insert(con, "evaluation_result", results, run_id)
        _insert(con, "evaluation_item", items, run_id)
        write_audit(
            con, actor, "evaluate: 保存评价草稿", "evaluation_run", {"id": run_id}, None, None
        )
    return run_id


def copy_run(
    store: Store,
    run_id: int,
    year: int,
    results: pa.Table,
    items: pa.Table,
    *,
    reason: str,
    actor: str,
) -> int:
    """A new draft version copying run ``run_id`` (a final one), to correct it."""
    with store.transaction() as con:
        new_id, version = _new_version(con, year)
        con.execute(
            "insert into evaluation_run (id, year, version, status, method_name, method_source, "
            "method_text, method_canonical, method_sha256, inputs_sha256, corrects, note, "
            "created_at, created_by) "
            "select ?, year, ?, 'draft', method_name, method_source, method_text, "
            "method_canonical, method_sha256, inputs_sha256, id, ?, ?, ? "
            "from evaluation_run where id = ?",
            [new_id, version, f"更正：{reason}", now(), actor, run_id],
        )
        _insert(con, "evaluation_result", results, new_id)
        _insert(con, "evaluation_item", items, new_id)
        write_audit(
            con,
            actor,
            f"correct: {reason}",
            "evaluation_run",
            {"id": new_id, "corrects": run_id},
            None,
            None,
        )
    return new_id


def start_notice(store: Store, run_id: int, until: date, *, actor: str) -> None:
    """Put a draft on public notice (公示) until ``until``."""
    with store.transaction() as con:
        con.execute(
            "update evaluation_run set status = 'notice', notice_at = ?, notice_until = ? "
            "where id = ?",
            [now(), until, run_id],
        )
        write_audit(
            con, actor, f"notice: 公示至 {until}", "evaluation_run", {"id": run_id}, None, None
        )


def finalize_run(
    store: Store,
    run_id: int,
    *,
    actor: str,
    force: bool = False,
    reason: str | None = None,
    notice_until: date | None = None,
    inside_notice: bool = False,
) -> None:
    """Make a run final (immutable from now on); the audit row records a forced finalize."""
    action = f"finalize: 公示期内强制定稿：{reason}" if inside_notice else "finalize: 定稿"
    after = {
        "force": force,
        "reason": reason,
        "notice_until": notice_until,
        "inside_notice": inside_notice,
    }
    with store.transaction() as con:
        con.execute(
            "update evaluation_run set status = 'final', finalized_at = ?, finalized_by = ? "
            "where id = ?",
            [now(), actor, run_id],
        )
        write_audit(con, actor, action, "evaluation_run", {"id": run_id}, None, after)


def add_objection(
    store: Store, run_id: int, uscc: str, *, claim: str, evidence: str, actor: str
) -> int:
    """Record an objection (open); returns its id."""
    with store.transaction() as con:
        oid = next_id(con, "evaluation_objection")
        con.execute(
            "insert into evaluation_objection (id, run_id, uscc, filed_at, filed_by, claim, "
            "evidence, status) values (?, ?, ?, ?, ?, ?, ?, 'open')",
            [oid, run_id, uscc, now(), actor, claim, evidence],
        )
        write_audit(
            con,
            actor,
            "objection: 提出异议",
            "evaluation_objection",
            {"id": oid},
            None,
            {"run_id": run_id, "uscc": uscc, "claim": claim, "evidence": evidence},
        )
    return oid


def _result(con: duckdb.DuckDBPyConnection, run_id: int, uscc: str) -> dict[str, Any]:
    rows = con.sql(
        "select * from evaluation_result where run_id = ? and uscc = ?", params=[run_id, uscc]
    ).to_arrow_table()
    return dict(rows.to_pylist()[0])


def _regrade(con: duckdb.DuckDBPyConnection, g: Regrade, actor: str) -> None:
    before = _result(con, g.run_id, g.uscc)
    seq = con.execute(
        "select coalesce(max(seq), 0) + 1 from evaluation_regrade where run_id = ? and uscc = ?",
        [g.run_id, g.uscc],
    ).fetchall()[0][0]
    con.execute(
        "insert into evaluation_regrade values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [g.run_id, g.uscc, seq, g.from_class, g.to_class, g.reason, g.objection_id, now(), actor],
    )
    con.execute(
        "update evaluation_result set final_class = ?, consecutive_worst = ?, "
        "surcharge_rate = ?, surcharge = ?, explanation = ? where run_id = ? and uscc = ?",
        [
            g.to_class,
            g.consecutive_worst,
            g.surcharge_rate,
            g.surcharge,
            g.explanation,
            g.run_id,
            g.uscc,
        ],
    )
    after = _result(con, g.run_id, g.uscc)
    write_audit(
        con,
        actor,
        f"regrade: {g.reason}",
        "evaluation_result",
        {"run_id": g.run_id, "uscc": g.uscc},
        before,
        after,
    )


def regrade(store: Store, g: Regrade, *, actor: str) -> None:
    """Store one re-grade with its audit row (before and after)."""
    with store.transaction() as con:
        _regrade(con, g, actor)


def decide_objection(
    store: Store,
    objection_id: int,
    *,
    upheld: bool,
    decision: str,
    actor: str,
    change: Regrade | None = None,
) -> None:
    """Record the decision on an objection and, with ``change``, its re-grade, atomically."""
    with store.transaction() as con:
        con.execute(
            "update evaluation_objection set status = ?, decision = ?, decided_at = ?, "
            "decided_by = ? where id = ?",
            ["upheld" if upheld else "rejected", decision, now(), actor, objection_id],
        )
        write_audit(
            con,
            actor,
            f"decide: {'异议成立' if upheld else '异议不成立'}：{decision}",
            "evaluation_objection",
            {"id": objection_id},
            None,
            {"status": "upheld" if upheld else "rejected", "decision": decision}
            | _veto_record(change),
        )
        if change is not None:
            _regrade(con, change, actor)


def _veto_record(change: Regrade | None) -> dict[str, Any]:
    """What the decision's audit row says about a veto it lifted or kept."""
    if change is None or change.veto_decision is None:
        return {}
    return {
        "new_class": change.to_class,
        "veto": change.veto,
        "veto_decision": change.veto_decision,
    }
