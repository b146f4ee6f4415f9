"""The evaluation's routes: the page, its API, the notice → objections → final workflow.

Reading is open to every signed-in user under their scope. The city's steps (publishing the
notice, deciding objections, finalising) are the city bureau's: ``admin`` and ``analyst``.
An objection may be filed by the city or by the county of the enterprise (a county user for
an enterprise of another county gets 404). Every step is audited by the store with the
signed-in user as actor, and ends the cached views.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Path, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import BaseModel, Field

from jingxin.errors import InputError, JingxinError, NotFoundError
from jingxin.evaluation import queries
from jingxin.evaluation.workflow import (
    decide_objection,
    file_objection,
    finalize,
    get_run,
    start_notice,
)
from jingxin.reports.evaluation import write_run
from jingxin.reports.evaluation_notice import write_notice_file
from jingxin.store import Scope
from jingxin.store.users import User
from jingxin.web.api import USCC_PATTERN
from jingxin.web.exports import file_response, report_file
from jingxin.web.render import render
from jingxin.web.security import reader, role, writer
from jingxin.web.views.evaluation import evaluation

__all__ = ["api", "pages"]

api = APIRouter(prefix="/api/evaluation", tags=["亩均效益评价"])
pages = APIRouter(include_in_schema=False)
city_staff = role("admin", "analyst")
city_readers = role("admin", "analyst", "leader")
RunId = Annotated[int, Path(ge=1, le=10**9, description="评价批次编号")]


class NoticeBody(BaseModel):
    """Publish a draft for objections."""

    days: int = Field(7, ge=1, le=60, description="公示天数")


class ObjectionBody(BaseModel):
    """An enterprise's objection (异议)."""

    uscc: str = Field(pattern=USCC_PATTERN)
    claim: str = Field(min_length=1, max_length=2000, description="异议事项")
    evidence: str = Field(min_length=1, max_length=2000, description="证明材料")


class DecisionBody(BaseModel):
    """The decision on an objection."""

    upheld: bool
    decision: str = Field(min_length=1, max_length=2000, description="处理意见")
    new_class: Literal["A", "B", "C", "D"] | None = None
    veto: Literal["lift", "keep"] | None = None


class FinalizeBody(BaseModel):
    """Make a noticed run final."""

    force: bool = False
    reason: str | None = Field(None, max_length=2000)


def _view(request: Request, user: User, run_id: int | None) -> dict[str, Any]:
    platform = request.app.state.platform
    result: dict[str, Any] = platform.view(
        "evaluation", user.scope, run_id, lambda s: evaluation(s, user.scope, run_id)
    )
    return result


def _change(request: Request, step: Any) -> Any:
    platform = request.app.state.platform
    with platform.write() as store:
        out = step(store)
    return out


def _object(request: Request, user: User, run_id: int, body: ObjectionBody) -> int:
    def step(store: Any) -> int:
        try:
            queries.result_row(store, run_id, body.uscc, user.scope)
        except NotFoundError:  # outside the scope: the same answer as a code not evaluated
            raise NotFoundError(
                f"评价批次 {run_id} 中没有该企业（或该企业不在您的可见范围内）。"
            ) from None
        return file_objection(
            store, run_id, body.uscc, claim=body.claim, evidence=body.evidence, actor=user.username
        )

    result: int = _change(request, step)
    return result


@api.get("", summary="评价结果概况")
def view(
    request: Request,
    run: Annotated[int | None, Query(ge=1, le=10**9, description="评价批次；缺省为最新")] = None,
    user: User = Depends(reader),
) -> dict[str, Any]:
    """A run's class distributions and objections in the user's scope, and every run."""
    return _view(request, user, run)


@api.post("/runs/{run_id}/notice", summary="发布公示")
def notice(
    request: Request, run_id: RunId, body: NoticeBody, user: User = Depends(city_staff)
) -> dict[str, Any]:
    """Put a draft on notice for ``days`` days."""
    _change(request, lambda s: start_notice(s, run_id, actor=user.username, days=body.days))
    run: dict[str, Any] = _view(request, user, run_id)["run"]
    return run


@api.get("/runs/{run_id}/notice-list", summary="下载公示名单")
def notice_list(
    request: Request,
    run_id: RunId,
    format: Annotated[Literal["xlsx", "docx"], Query()] = "xlsx",
    user: User = Depends(reader),
) -> Response:
    """The 公示名单 of a run on notice, of the enterprises in the user's scope."""
    platform = request.app.state.platform
    with platform.read() as store:
        run = get_run(store, run_id)
        data, name = report_file(lambda d: write_notice_file(store, run, d, user.scope, format))
    return file_response(data, name)


@api.post("/runs/{run_id}/objections", summary="登记异议", status_code=201)
def add_objection(
    request: Request, run_id: RunId, body: ObjectionBody, user: User = Depends(writer)
) -> dict[str, int]:
    """Record an enterprise's objection during the notice."""
    return {"id": _object(request, user, run_id, body)}


@api.post("/objections/{objection_id}/decision", summary="处理异议")
def decide(
    request: Request,
    objection_id: Annotated[int, Path(ge=1, le=10**9)],
    body: DecisionBody,
    user: User = Depends(city_staff),
) -> dict[str, Any]:
    """Decide an objection; an upheld one may re-grade (and must say what happens to a veto)."""
    change = _change(
        request,
        lambda s: decide_objection(
            s,
            objection_id,
            upheld=body.upheld,
            decision=body.decision,
            actor=user.username,
            new_class=body.new_class,
            veto=body.veto,
        ),
    )
    return {"regraded": change is not None, "to_class": change.to_class if change else None}


@api.post("/runs/{run_id}/finalize", summary="定稿")
def make_final(
    request: Request, run_id: RunId, body: FinalizeBody, user: User = Depends(city_staff)
) -> dict[str, Any]:
    """Make a noticed run final (inside the notice period only with ``force`` and a reason)."""
    _change(
        request,
        lambda s: finalize(s, run_id, actor=user.username, force=body.force, reason=body.reason),
    )
    run: dict[str, Any] = _view(request, user, run_id)["run"]
    return run


# -- the page and its forms ---------------------------------------------------------------------
def _page(
    request: Request,
    user: User,
    run: int | None,
    message: str | None = None,
    error: str | None = None,
    status: int = 200,
) -> HTMLResponse:
    v = _view(request, user, run)
    return render(
        request, "evaluation.html", user, status=status, v=v, message=message, error=error
    )


@pages.get("/evaluation")
def page(
    request: Request,
    run: Annotated[int | None, Query(ge=1, le=10**9)] = None,
    done: Annotated[str | None, Query(max_length=200)] = None,
    user: User = Depends(reader),
) -> HTMLResponse:
    return _page(request, user, run, message=done)


def _after(request: Request, user: User, run_id: int, step: Any, done: str) -> Response:
    try:
        step()
    except JingxinError as exc:
        return _page(request, user, run_id, error=str(exc), status=400)
    return RedirectResponse(f"/evaluation?run={run_id}&done={quote(done)}", status_code=303)


@pages.post("/evaluation/{run_id}/notice")
def notice_form(
    request: Request,
    run_id: RunId,
    days: Annotated[int, Form(ge=1, le=60)] = 7,
    user: User = Depends(city_staff),
) -> Response:
    return _after(
        request,
        user,
        run_id,
        lambda: notice(request, run_id, NoticeBody(days=days), user),
        f"已发布公示，公示期 {days} 天。",
    )


@pages.post("/evaluation/{run_id}/objections")
def objection_form(
    request: Request,
    run_id: RunId,
    uscc: Annotated[str, Form(max_length=18)],
    claim: Annotated[str, Form(max_length=2000)],
    evidence: Annotated[str, Form(max_length=2000)],
    user: User = Depends(writer),
) -> Response:
    def step() -> None:
        try:
            body = ObjectionBody(uscc=uscc.strip().upper(), claim=claim, evidence=evidence)
        except ValueError:
            raise InputError("统一社会信用代码应为 18 位，异议事项与证明材料不能为空。") from None
        _object(request, user, run_id, body)

    return _after(request, user, run_id, step, "异议已登记。")


@pages.post("/evaluation/objections/{objection_id}/decision")
def decision_form(
    request: Request,
    objection_id: Annotated[int, Path(ge=1, le=10**9)],
    run_id: Annotated[int, Form(ge=1, le=10**9)],
    upheld: Annotated[Literal["yes", "no"], Form()],
    decision: Annotated[str, Form(max_length=2000)],
    new_class: Annotated[Literal["", "A", "B", "C", "D"], Form()] = "",
    veto: Annotated[Literal["", "lift", "keep"], Form()] = "",
    user: User = Depends(city_staff),
) -> Response:
    def step() -> None:
        if not decision.strip():
            raise InputError("处理异议须写明处理意见。")
        body = DecisionBody(
            upheld=upheld == "yes",
            decision=decision,
            new_class=new_class or None,
            veto=veto or None,
        )
        decide(request, objection_id, body, user)

    return _after(request, user, run_id, step, f"异议 {objection_id} 已处理。")


@pages.post("/evaluation/{run_id}/finalize")
def finalize_form(
    request: Request,
    run_id: RunId,
    force: Annotated[bool, Form()] = False,
    reason: Annotated[str, Form(max_length=2000)] = "",
    user: User = Depends(city_staff),
) -> Response:
    body = FinalizeBody(force=force, reason=reason.strip() or None)
    return _after(
        request, user, run_id, lambda: make_final(request, run_id, body, user), "评价结果已定稿。"
    )


@api.get("/runs/{run_id}/workbook", summary="下载评价结果工作簿（市级）")
def workbook(
    request: Request,
    run_id: RunId,
    format: Annotated[Literal["xlsx", "docx", "csv"], Query()] = "xlsx",
    user: User = Depends(city_readers),
) -> Response:
    """The run's whole workbook (every enterprise, summaries, objections, re-grades), the
    Word summary or the CSV: the city's documents, for the city's users (not a county's)."""
    platform = request.app.state.platform
    with platform.read() as store:
        run = get_run(store, run_id)
        data, name = report_file(
            lambda d: write_run(
                store, run, d / f"evaluation-{run.year}-v{run.version}.xlsx", Scope.city()
            )[0],
            format,
        )
    return file_response(data, name)
