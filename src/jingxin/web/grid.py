"""The economy read from the grid, over the API: resumption after the Spring Festival, a
restriction list's losses, and the enterprises able to make them up.

Every signed-in user reads under their scope: a county's staff get their own enterprises'
rates, losses and candidates only (the readings are filtered by the query boundary on the
meters the crosswalk gives their enterprises). Answers are cached per scope and
parameters, and say 数据截至 from the data they were computed on.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from jingxin.energy.daily import readings_span
from jingxin.energy.restriction import makeup_candidates, restriction_effect
from jingxin.energy.resumption import By, resumption
from jingxin.errors import InputError
from jingxin.evaluation.surcharges import SurchargeBills, surcharge_bills
from jingxin.reference.calendar import SPRING_FESTIVAL
from jingxin.reports.surcharges import write_surcharges
from jingxin.store import Store
from jingxin.store.users import User
from jingxin.store.versions import as_of_sentence
from jingxin.web.exports import file_response, report_file
from jingxin.web.render import render
from jingxin.web.security import reader
from jingxin.web.views.charts import lines, r1

__all__ = ["MAX_DAYS", "api", "pages"]

api = APIRouter(prefix="/api/energy", tags=["电力看经济"])
pages = APIRouter(include_in_schema=False)
MAX_DAYS = 120  # a request's date range: a season, not years of readings at once
Pool = Annotated[str, Query(max_length=40, pattern=r"^[a-z0-9_]+$", description="名单代码")]


def _view(request: Request, user: User, key: str, params: tuple[Any, ...], compute: Any) -> Any:
    def run(store: Store) -> dict[str, Any]:
        return {**compute(store), "as_of": as_of_sentence(store)}

    return request.app.state.platform.view(key, user.scope, params, run)


def _resumption(
    request: Request,
    user: User,
    start: date,
    end: date,
    baseline_month: str | None = None,
    threshold: float = 0.3,
    by: By = "county",
) -> dict[str, Any]:
    if end < start or (end - start).days >= MAX_DAYS:
        raise InputError(f"日期范围应为开始日期起 {MAX_DAYS} 天以内（结束日期不早于开始日期）。")

    def compute(store: Store) -> dict[str, Any]:
        got = resumption(
            store, user.scope, start, end, baseline_month=baseline_month, threshold=threshold, by=by
        )
        return {
            "baseline_month": got.baseline_month,
            "threshold": got.threshold,
            "enterprises": got.enterprises,
            "rows": got.rows,
        }

    result: dict[str, Any] = _view(
        request, user, "grid-resumption", (start, end, baseline_month, threshold, by), compute
    )
    return result


def _restriction(request: Request, user: User, pool: str, baseline_days: int) -> dict[str, Any]:
    def compute(store: Store) -> dict[str, Any]:
        eff = restriction_effect(store, user.scope, pool, baseline_days=baseline_days)
        return {
            "pool": eff.pool,
            "kwh_lost": eff.kwh_lost,
            "output_lost": eff.output_lost,
            "rows": eff.rows,
        }

    result: dict[str, Any] = _view(
        request, user, "grid-restriction", (pool, baseline_days), compute
    )
    return result


def _makeup(
    request: Request, user: User, pool: str, as_of: date | None, min_spare: float
) -> dict[str, Any]:
    def compute(store: Store) -> dict[str, Any]:
        got = makeup_candidates(store, user.scope, pool, as_of=as_of, min_spare_pct=min_spare)
        return {
            "pool": got.pool,
            "as_of_day": got.as_of,
            "members": len(got.rows),
            "candidates": got.candidates,
        }

    result: dict[str, Any] = _view(request, user, "grid-makeup", (pool, as_of, min_spare), compute)
    return result


@api.get("/resumption", summary="节后复工复产")
def get_resumption(
    request: Request,
    start: Annotated[date, Query(alias="from", description="开始日期")],
    end: Annotated[date, Query(alias="to", description="结束日期")],
    baseline_month: Annotated[
        str | None, Query(pattern=r"^\d{4}-\d{2}$", description="基期月份，默认上年 12 月")
    ] = None,
    threshold: Annotated[float, Query(gt=0, le=2, description="复工判定比例")] = 0.3,
    by: Literal["county", "division", "county_division"] = "county",
    user: User = Depends(reader),
) -> dict[str, Any]:
    """复工率 and 复产率 for each day, for the user's scope and each county or division."""
    return _resumption(request, user, start, end, baseline_month, threshold, by)


@api.get("/restriction", summary="限产影响")
def get_restriction(
    request: Request,
    pool: Pool = "g20_restricted",
    baseline_days: Annotated[int, Query(ge=1, le=120, description="基期天数")] = 30,
    user: User = Depends(reader),
) -> dict[str, Any]:
    """The electricity and output each listed enterprise lost in its window."""
    return _restriction(request, user, pool, baseline_days)


@api.get("/makeup", summary="可增产企业")
def get_makeup(
    request: Request,
    pool: Pool = "g20_restricted",
    as_of: Annotated[date | None, Query(description="测算日，默认限产结束后第五周")] = None,
    min_spare: Annotated[float, Query(ge=0, le=100, description="富余产能最低百分比")] = 20.0,
    user: User = Depends(reader),
) -> dict[str, Any]:
    """Listed enterprises with room below their recent peak, ranked."""
    return _makeup(request, user, pool, as_of, min_spare)


@api.get("/surcharges", summary="差别化电价清单")
def get_surcharges(
    request: Request,
    period: Annotated[str, Query(pattern=r"^\d{4}-\d{2}$", description="计费月份")],
    year: Annotated[int | None, Query(ge=2000, le=2100, description="依据的评价年度")] = None,
    format: Literal["json", "xlsx", "csv"] = "json",
    user: User = Depends(reader),
) -> Any:
    """The month's surcharges by evaluation class (a county: its enterprises'), as JSON or
    the files for the grid company; a preview while the evaluation is not final."""

    def compute(store: Store) -> dict[str, Any]:
        return {"bills": surcharge_bills(store, user.scope, period, year=year)}

    v = _view(request, user, "grid-surcharges", (period, year), compute)
    bills: SurchargeBills = v["bills"]
    if format == "json":
        return {
            "label": bills.label, "period": bills.period, "year": bills.year,
            "run_id": bills.run_id, "preview": bills.preview, "kwh": bills.kwh,
            "amount": bills.amount, "rows": bills.rows, "as_of": v["as_of"],
        }  # fmt: skip
    data, name = report_file(lambda d: write_surcharges(bills, d, v["as_of"]), format)
    return file_response(data, name)


# -- the page ----------------------------------------------------------------------------------
def _festival_window(store: Store, user: User) -> tuple[date, date] | None:
    """The fortnight before to five weeks after the latest Spring Festival with readings."""
    first, last = readings_span(store, user.scope)
    if first is None or last is None:
        return None
    for year in range(last.year, first.year - 1, -1):
        day = SPRING_FESTIVAL.get(year)
        if day and first <= day <= last:
            return max(first, day - timedelta(days=14)), min(last, day + timedelta(days=35))
    return max(first, last - timedelta(days=45)), last


@pages.get("/grid")
def page(
    request: Request,
    start: Annotated[date | None, Query(alias="from")] = None,
    end: Annotated[date | None, Query(alias="to")] = None,
    day: Annotated[date | None, Query()] = None,
    as_of: Annotated[date | None, Query()] = None,
    user: User = Depends(reader),
) -> HTMLResponse:
    platform = request.app.state.platform
    window = platform.view("grid-window", user.scope, None, lambda s: _festival_window(s, user))
    if window is not None:
        start, end = start or window[0], end or window[1]
    start, end = start or end, end or start
    res = _resumption(request, user, start, end) if start and end else None
    city = [r for r in res["rows"] if r["level"] == "all"] if res else []
    chart = None
    if city:
        chart = lines(
            "复工率与复产率（按日）",
            [str(r["day"]) for r in city],
            {
                "复工率": [r1(r["work_pct"]) for r in city],
                "复产率": [r1(r["production_pct"]) for r in city],
            },
            "%",
        )
    days = [r["day"] for r in city]
    shown = day if day in days else (days[-1] if days else None)
    counties = [r for r in res["rows"] if r["day"] == shown] if res and shown else []
    eff = _restriction(request, user, "g20_restricted", 30)
    mk = _makeup(request, user, "g20_restricted", as_of, 20.0) if eff["rows"] else None
    return render(
        request,
        "grid.html",
        user,
        v={**(res or {}), "as_of": eff["as_of"]},
        start=start,
        end=end,
        chart=chart,
        shown=shown,
        counties=counties,
        eff=eff,
        mk=mk,
    )
