"""The evaluation's workflow: draft → public notice (公示) → objections → final.

* :func:`save_run` stores an evaluation as a new **draft** version of its year, with the
  method's text and hash and the inputs' hash. Older drafts and notices of the year become
  ``superseded``; final versions are never changed.
* :func:`start_notice` publishes a draft for objections (default 7 days).
* :func:`file_objection` records an enterprise's objection with its evidence;
  :func:`decide_objection` records the decision, and an upheld objection may change the
  class through a re-grade. On a vetoed enterprise that re-grade needs an explicit choice:
  lift the veto or keep it.
* :func:`regrade` (调档) changes one enterprise's class by hand: it needs a reason, is
  written to ``evaluation_regrade`` and to ``audit_log`` with before and after.
* :func:`finalize` closes a notice with no open objection once the notice period is over
  (earlier only when forced, with a reason that is audited). A final run is immutable:
  :func:`correct_run` copies it into a new draft version, which goes through the same steps.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Literal

import pyarrow as pa

from jingxin.errors import InputError, NotFoundError
from jingxin.evaluation import queries
from jingxin.evaluation.engine import Evaluation, surcharge_rate
from jingxin.evaluation.explain import regrade_sentence, surcharge_sentence
from jingxin.evaluation.method import Method
from jingxin.reference.clock import BEIJING
from jingxin.store import Scope, Store
from jingxin.store import evaluation as stored
from jingxin.store.audit import now

__all__ = [
    "OBJECTION_STATUS",
    "Run",
    "VetoChoice",
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
    "today",
]

_STATUS_ZH = {"draft": "草稿", "notice": "公示中", "final": "已定稿", "superseded": "已被取代"}

#: An objection's stored status and how it is shown (never the stored word).
OBJECTION_STATUS = {"open": "待处理", "upheld": "成立", "rejected": "不成立"}

#: What an upheld objection's re-grade does to a veto on the enterprise.
VetoChoice = Literal["lift", "keep"]

# The workflow's steps are the city bureau's: they see every enterprise of the run.
_CITY = Scope.city()

# The notice period is in the bureau's calendar (Beijing time, UTC+8, no daylight saving);
# the store keeps timestamps in UTC.


def today() -> date:
    """Today's date in Beijing, the calendar of the notice period (公示期)."""
    return (now() + BEIJING).date()


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
    notice_at: datetime | None
    notice_until: date | None
    finalized_at: datetime | None

    @property
    def method(self) -> Method:
        """The method the run used, rebuilt from its stored canonical form."""
        return Method.model_validate_json(self.method_canonical)

    @property
    def notice_start(self) -> date | None:
        """The first day of the notice period (公示期), in Beijing's calendar."""
        return None if self.notice_at is None else (self.notice_at + BEIJING).date()

    @property
    def status_zh(self) -> str:
        """The status in Chinese (草稿, 公示中, 已定稿, 已被取代)."""
        return _STATUS_ZH[self.status]


def get_run(store: Store, run_id: int) -> Run:
    """The run with this id; NotFoundError when there is none."""
    rows = queries.runs(store, run_id=run_id).to_pylist()
    if not rows:
        raise NotFoundError(f"评价批次 {run_id} 不存在：请用 jingxin evaluation runs 查看。")
    return Run(**rows[0])


def list_runs(store: Store, year: int | None = None) -> list[Run]:
    """All runs (of ``year``), newest first."""
    return [Run(**r) for r in queries.runs(store, year=year).to_pylist()]


def latest_run(store: Store, year: int) -> Run:
    """The newest version of ``year``'s evaluation."""
    runs = list_runs(store, year)
    if not runs:
        raise NotFoundError(f"{year} 年尚无评价结果：请先运行 jingxin evaluate --year {year}。")
    return runs[0]


def read_results(store: Store, run_id: int, scope: Scope = _CITY) -> tuple[pa.Table, pa.Table]:
    """A run's per-enterprise results and item scores (without ``run_id``) in ``scope``."""
    get_run(store, run_id)
    return queries.results(store, run_id, scope)


def save_run(store: Store, ev: Evaluation, *, actor: str, note: str | None = None) -> Run:
    """Store an evaluation as a new draft version of its year and return the run."""
    m = ev.method
    new = stored.NewRun(
        year=ev.year,
        method_name=m.method.name,
        method_source=m.source,
        method_text=m.text,
        method_canonical=m.method.canonical(),
        method_sha256=m.sha256,
        inputs_sha256=ev.inputs_sha256,
        note=note,
    )
    return get_run(store, stored.insert_run(store, new, ev.results, ev.items, actor=actor))


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
    stored.start_notice(store, run_id, today() + timedelta(days=days), actor=actor)
    return get_run(store, run_id)


def file_objection(
    store: Store, run_id: int, uscc: str, *, claim: str, evidence: str, actor: str
) -> int:
    """Record an enterprise's objection during the notice; returns the objection's id."""
    _open_run(store, run_id, ("notice",), "提出异议")
    if not claim.strip() or not evidence.strip():
        raise InputError("异议须写明异议事项（claim）并附证明材料（evidence）。")
    queries.result_row(store, run_id, uscc, _CITY)
    return stored.add_objection(
        store, run_id, uscc, claim=claim.strip(), evidence=evidence.strip(), actor=actor
    )


def objections(
    store: Store, run_id: int, scope: Scope, status: str | None = None
) -> list[dict[str, Any]]:
    """The objections of a run visible in ``scope``, oldest first, with the firm's name.

    ``status`` filters by the stored status (``open``, ``upheld``, ``rejected``) or its
    Chinese form (待处理, 成立, 不成立); each row carries ``status_zh``.
    """
    get_run(store, run_id)
    if status is not None:
        stored_status = {v: k for k, v in OBJECTION_STATUS.items()}.get(status, status)
        if stored_status not in OBJECTION_STATUS:
            allowed = "、".join(OBJECTION_STATUS.values())
            raise InputError(f"异议状态 {status!r} 不存在：可选 {allowed}。")
        status = stored_status
    rows = queries.objections(store, run_id, scope, status)
    return [r | {"status_zh": OBJECTION_STATUS[str(r["status"])]} for r in rows]


def decide_objection(
    store: Store,
    objection_id: int,
    *,
    upheld: bool,
    decision: str,
    actor: str,
    new_class: str | None = None,
    veto: VetoChoice | None = None,
) -> stored.Regrade | None:
    """Record the decision on an objection; an upheld one may set a new class (调档).

    On an enterprise with a veto (安全生产事故一票否决 and the like), an upheld objection's
    new class needs ``veto``: ``"lift"`` makes ``new_class`` the final class and records
    that the veto was lifted; ``"keep"`` applies the veto's effect to ``new_class`` (the
    worst class, or one class down). Returns the re-grade made, if any.

    Raises
    ------
    InputError
        When the objection was already decided, the decision is empty, a class is set on a
        rejected objection, or the veto choice is missing or given where there is no veto.
    """
    obj = queries.objection(store, objection_id, _CITY)
    run = _open_run(store, obj["run_id"], ("notice",), "处理异议")
    if obj["status"] != "open":
        shown = OBJECTION_STATUS[obj["status"]]
        raise InputError(f"异议 {objection_id} 已处理（{shown}），不能重复处理。")
    if not decision.strip():
        raise InputError("处理异议须写明处理意见（decision）。")
    if new_class is not None and not upheld:
        raise InputError("异议不成立时不能调整等级。")
    if veto is not None and new_class is None:
        raise InputError("只有异议成立并调整等级（--class）时才需决定是否解除否决。")
    change = None
    if new_class is not None:
        row = queries.result_row(store, run.id, obj["uscc"], _CITY)
        reason, to_class = _veto_decision(row, new_class, veto, decision.strip(), run.method)
        change = _regrade(store, run.id, obj["uscc"], to_class, reason, objection_id, veto)
    stored.decide_objection(
        store, objection_id, upheld=upheld, decision=decision.strip(), actor=actor, change=change
    )
    return change


def _veto_decision(
    row: dict[str, object], new_class: str, veto: VetoChoice | None, decision: str, m: Method
) -> tuple[str, str]:
    """The re-grade's reason and class for an upheld objection, given the veto choice."""
    vetoes = row["veto"]
    reason = f"异议成立：{decision}"
    if not vetoes:
        if veto is not None:
            raise InputError(f"企业 {row['name']} 没有否决事项，无需 --lift-veto 或 --keep-veto。")
        return reason, new_class
    if veto is None:
        raise InputError(
            f"企业 {row['name']} 因{vetoes}被否决（否决后等级为{row['vetoed_class']}类），"
            "异议成立调整等级时须明确否决是否继续有效：加 --lift-veto 解除否决，"
            "或加 --keep-veto 保留否决（在调整后的等级上执行否决）。"
        )
    if veto == "lift":
        return f"{reason}；解除一票否决（{vetoes}）", new_class
    if new_class not in m.classification.classes:
        return reason, new_class  # _regrade refuses the class with its own message
    effects = {v.name: v.effect for v in m.vetoes}
    hit = {effects.get(name, "worst") for name in str(vetoes).split("；")}
    to_class = m.worst if "worst" in hit else m.classification.down_one(new_class)
    return f"{reason}；保留否决（{vetoes}），按否决规则由{new_class}类调整为{to_class}类", to_class


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
    stored.regrade(store, _regrade(store, run_id, uscc, to_class, reason, None, None), actor=actor)


def _regrade(
    store: Store,
    run_id: int,
    uscc: str,
    to_class: str,
    reason: str,
    objection_id: int | None,
    veto: VetoChoice | None,
) -> stored.Regrade:
    """What a re-grade changes: the class, the worst-class streak, surcharge, explanation."""
    if not reason or not reason.strip():
        raise InputError("调档必须写明理由（reason），理由将记入审计日志。")
    m = get_run(store, run_id).method
    if to_class not in m.classification.classes:
        raise InputError(f"等级 {to_class!r} 不在评价办法的等级 {m.classification.classes!r} 中。")
    before = queries.result_row(store, run_id, uscc, _CITY)
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
    return stored.Regrade(
        run_id=run_id,
        uscc=uscc,
        from_class=before["final_class"],
        to_class=to_class,
        reason=reason.strip(),
        consecutive_worst=consecutive,
        surcharge_rate=rate,
        surcharge=rate * kwh if kwh is not None else None,
        explanation=explanation,
        objection_id=objection_id,
        veto=before["veto"] if veto else None,
        veto_decision=veto,
    )


def finalize(
    store: Store, run_id: int, *, actor: str, force: bool = False, reason: str | None = None
) -> Run:
    """Make a noticed run final (immutable) once its notice period is over.

    Every objection must have been decided. Inside the notice period (today ≤
    ``notice_until``) it is refused unless ``force``, which needs a ``reason``; both are
    written to the audit row.

    Raises
    ------
    InputError
        Inside the notice period without ``force``, ``force`` without a reason, a reason
        without ``force``, or an objection still open.
    """
    run = _open_run(store, run_id, ("notice",), "定稿")
    why = (reason or "").strip()
    if force and not why:
        raise InputError(
            "公示期内强制定稿（--force）必须写明理由（--reason），理由将记入审计日志。"
        )
    if why and not force:
        raise InputError("--reason 只用于强制定稿，请与 --force 一起使用。")
    until = run.notice_until
    inside = until is not None and today() <= until
    if until is not None and inside and not force:
        raise InputError(
            f"评价批次 {run_id} 的公示期至 {until} 止，公示期内不能定稿：请于 "
            f"{until + timedelta(days=1)} 起再定稿；确需提前定稿的，"
            "加 --force --reason 写明理由（记入审计日志）。"
        )
    open_ = [o["id"] for o in objections(store, run_id, _CITY, "open")]
    if open_:
        raise InputError(
            f"评价批次 {run_id} 还有未处理的异议 {open_!r}：请先用 jingxin evaluation decide 处理。"
        )
    stored.finalize_run(
        store,
        run_id,
        actor=actor,
        force=force,
        reason=why or None,
        notice_until=until,
        inside_notice=inside,
    )
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
    results, items = read_results(store, run_id, _CITY)
    new_id = stored.copy_run(
        store, run_id, run.year, results, items, reason=reason.strip(), actor=actor
    )
    return get_run(store, new_id)
