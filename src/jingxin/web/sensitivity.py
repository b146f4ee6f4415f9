"""The evaluation's sensitivity report (敏感性检验) in the browser and the API.

Before a run is published, the city's analysts check how many enterprises would change
class if the method's weights and benchmarks moved within bounds
(:func:`jingxin.evaluation.sensitivity.sensitivity`, the same as ``jingxin evaluation
sensitivity``), with the run's own method. Re-scoring the city dozens of times takes most of
a minute, so it runs as a :meth:`~jingxin.web.platform.Platform.background` job: the first
request starts it and answers 202; the page refreshes itself until the result is there,
which is kept until the data change. The list of unstable enterprises covers the whole
city: the report is for the city's users (not a county's).
"""

from __future__ import annotations

from collections import Counter
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse

from jingxin.evaluation.method import LoadedMethod, parse_method
from jingxin.evaluation.sensitivity import Bounds, SensitivityReport, sensitivity
from jingxin.evaluation.workflow import Run, get_run
from jingxin.store.users import User
from jingxin.web.errors import ApiError
from jingxin.web.evaluation import RunId, city_readers
from jingxin.web.platform import Job
from jingxin.web.render import render

__all__ = ["api", "pages", "report_dict"]

api = APIRouter(prefix="/api/evaluation", tags=["亩均效益评价"])
pages = APIRouter(include_in_schema=False)


def sensitivity_params(
    weights: Annotated[float, Query(ge=0, lt=1, description="权重扰动幅度（0.1 即 ±10%）")] = 0.1,
    benchmarks: Annotated[
        float, Query(ge=0, lt=1, description="基准值扰动幅度（0.1 即 ±10%）")
    ] = 0.1,
    runs: Annotated[int, Query(ge=0, le=50, description="随机扰动次数")] = 20,
    seed: Annotated[int, Query(ge=0, le=2**31 - 1, description="随机种子")] = 1,
    mode: Annotated[
        Literal["all", "random"],
        Query(description="all：逐项上下调整并随机扰动；random：仅随机扰动"),
    ] = "all",
) -> dict[str, Any]:
    """The bounds and scenarios of a sensitivity report (defaults as the command line's)."""
    return {
        "weights": weights,
        "benchmarks": benchmarks,
        "runs": runs,
        "seed": seed,
        "mode": mode,
    }


Params = Annotated[dict[str, Any], Depends(sensitivity_params)]


def report_dict(report: SensitivityReport) -> dict[str, Any]:
    """A sensitivity report as the page and the API show it: every scenario with the count
    and share of enterprises that changed class, and the unstable enterprises, most often
    changed first."""
    graded = max(report.graded, 1)
    times: Counter[str] = Counter(u for s in report.scenarios for u in s.usccs)
    unstable = sorted(report.unstable, key=lambda u: (-times[u], u))
    return {
        "year": report.year,
        "graded": report.graded,
        "scenarios": [
            {
                "label": s.label,
                "changed": s.changed,
                "share_pct": round(s.changed / graded * 100, 1),
            }
            for s in report.scenarios
        ],
        "unstable": [
            {
                "uscc": u,
                "name": report.names.get(u, ""),
                "base_class": report.base[u],
                "classes_seen": sorted(report.seen[u]),
                "times": times[u],
            }
            for u in unstable
        ],
    }


def _job(request: Request, run_id: int, params: dict[str, Any]) -> tuple[Run, Job]:
    platform = request.app.state.platform
    with platform.read() as store:
        run = get_run(store, run_id)
    method = LoadedMethod(
        parse_method(run.method_text, run.method_source), run.method_text, run.method_source
    )

    def compute(reader: Any) -> dict[str, Any]:
        report = sensitivity(
            reader,
            run.year,
            method,
            Bounds(params["weights"], params["benchmarks"]),
            runs=params["runs"],
            seed=params["seed"],
            one_at_a_time=params["mode"] == "all",
        )
        return report_dict(report)

    key = (run_id, tuple(sorted(params.items())))
    return run, platform.background("sensitivity", key, compute)


def _answer(run: Run, job: Job) -> dict[str, Any]:
    return {
        "run_id": run.id,
        "year": run.year,
        "version": run.version,
        "status": job.status,
        "message": job.message or None,
        "result": job.result if job.status == "done" else None,
    }


@api.get(
    "/runs/{run_id}/sensitivity",
    summary="敏感性检验（市级）",
    response_model=dict[str, Any],
    responses={202: {"description": "计算中（running）或另一项计算正在进行（busy）：稍后再请求"}},
)
def report(
    request: Request, run_id: RunId, params: Params, user: User = Depends(city_readers)
) -> Response:
    """How many enterprises change class when the run's weights and benchmarks move within
    the bounds. The first request starts the computation and answers 202 (status
    ``running``, or ``busy`` while another runs); ask again for the result (200)."""
    run, job = _job(request, run_id, params)
    if job.status == "failed":
        raise ApiError(job.error_status, job.message, "sensitivity_failed")
    return JSONResponse(_answer(run, job), status_code=200 if job.status == "done" else 202)


@pages.get("/evaluation/runs/{run_id}/sensitivity")
def page(
    request: Request, run_id: RunId, params: Params, user: User = Depends(city_readers)
) -> HTMLResponse:
    run, job = _job(request, run_id, params)
    return render(request, "sensitivity.html", user, v=_answer(run, job), params=params, run=run)
