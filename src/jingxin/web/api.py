"""The JSON API: every view of the pages, under ``/api/``, read under the caller's scope.

Each route computes its view through :meth:`jingxin.web.platform.Platform.view` (one
computation, cached under the caller's scope) and answers the same dict the page renders.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request

from jingxin.store import Scope
from jingxin.store.users import User
from jingxin.web.security import reader
from jingxin.web.views import aggregates, enterprises

__all__ = ["router", "search_view", "profile_view", "aggregate_view"]

router = APIRouter(prefix="/api", tags=["数据"])

PeriodQ = Annotated[
    str | None, Query(pattern=r"^\d{4}-\d{2}$", description="期别 YYYY-MM；缺省为最近一期。")
]
USCC_PATTERN = r"^[0-9A-HJ-NPQRTUWXY]{18}$"


def aggregate_view(request: Request, name: str, user: User, period: str | None) -> dict[str, Any]:
    """One of the published aggregate views (the same for every user)."""
    platform = request.app.state.platform
    warn = platform.settings.warn_pp
    compute = {
        "overview": lambda s: aggregates.overview(s, period, warn),
        "counties": lambda s: aggregates.counties(s, period, warn),
        "industry": lambda s: aggregates.industry(s, period),
    }[name]
    result: dict[str, Any] = platform.view(name, user.scope, (period, warn), compute)
    return result


def search_view(request: Request, user: User, **params: Any) -> dict[str, Any]:
    """The enterprise search under the user's scope."""
    platform = request.app.state.platform
    key = tuple(sorted(params.items()))
    result: dict[str, Any] = platform.view(
        "search", user.scope, key, lambda s: enterprises.search(s, user.scope, **params)
    )
    return result


def profile_view(request: Request, user: User, uscc: str) -> dict[str, Any]:
    """One enterprise's profile under the user's scope (404 outside it)."""
    platform = request.app.state.platform
    result: dict[str, Any] = platform.view(
        "profile", user.scope, uscc, lambda s: enterprises.profile(s, user.scope, uscc)
    )
    return result


@router.get("/periods", summary="已计算的期别")
def periods(request: Request, user: User = Depends(reader)) -> dict[str, list[str]]:
    """Every month with computed figures, newest first."""
    platform = request.app.state.platform
    found: list[str] = platform.view("periods", Scope.city(), None, aggregates.periods)
    return {"periods": found}


@router.get("/overview", summary="全市总览")
def overview(
    request: Request, period: PeriodQ = None, user: User = Depends(reader)
) -> dict[str, Any]:
    """Headline figures year to date with growth, the year's line, targets against time."""
    return aggregate_view(request, "overview", user, period)


@router.get("/counties", summary="区县比较")
def counties(
    request: Request, period: PeriodQ = None, user: User = Depends(reader)
) -> dict[str, Any]:
    """Every county: the industrial economy, investment, ranks and warnings."""
    return aggregate_view(request, "counties", user, period)


@router.get("/industry", summary="产业结构")
def industry(
    request: Request, period: PeriodQ = None, user: User = Depends(reader)
) -> dict[str, Any]:
    """Industry groups: value added, growth, share and its change, contribution, pull."""
    return aggregate_view(request, "industry", user, period)


@router.get("/enterprises", summary="企业查询")
def search(
    request: Request,
    user: User = Depends(reader),
    q: Annotated[str | None, Query(max_length=64, description="名称或信用代码")] = None,
    region: Annotated[str | None, Query(pattern=r"^\d{6}$", description="区县代码")] = None,
    industry: Annotated[str | None, Query(pattern=r"^\d{2,4}$", description="行业代码前缀")] = None,
    pool: Annotated[str | None, Query(max_length=64, description="企业库")] = None,
    grade: Annotated[
        str | None, Query(pattern=r"^[A-Da-d]$", description="亩均效益评价类别")
    ] = None,
    sort: Annotated[
        Literal["name", "value_added", "growth", "revenue", "land_mu"], Query()
    ] = "value_added",
    order: Annotated[Literal["asc", "desc"], Query()] = "desc",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    size: Annotated[int, Query(ge=1, le=500)] = 50,
) -> dict[str, Any]:
    """Enterprises in the user's scope, filtered and sorted, one page at a time."""
    return search_view(
        request,
        user,
        q=q,
        region=region,
        industry=industry,
        pool=pool,
        grade=grade,
        sort=sort,
        order=order,
        page=page,
        size=size,
    )


@router.get("/enterprises/{uscc}", summary="企业画像")
def profile(
    request: Request,
    uscc: Annotated[str, Path(pattern=USCC_PATTERN, description="统一社会信用代码")],
    user: User = Depends(reader),
) -> dict[str, Any]:
    """Everything the departments hold about one enterprise (404 outside the user's scope)."""
    return profile_view(request, user, uscc)
