"""The pages: each renders the same view its API route answers, with its charts' options."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse

from jingxin.errors import ConfigError
from jingxin.reference.vocabulary import POOLS
from jingxin.store import Scope
from jingxin.store.users import User
from jingxin.web.api import (
    USCC_PATTERN,
    PeriodQ,
    SearchFilters,
    aggregate_view,
    county_boundaries,
    county_map_chart,
    profile_view,
    search_view,
)
from jingxin.web.render import render
from jingxin.web.security import reader
from jingxin.web.views import aggregates
from jingxin.web.views.enterprises import SORTS

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


@router.get("/")
def overview(
    request: Request, period: PeriodQ = None, user: User = Depends(reader)
) -> HTMLResponse:
    return render(
        request, "overview.html", user, v=aggregate_view(request, "overview", user, period)
    )


@router.get("/counties")
def counties(
    request: Request, period: PeriodQ = None, user: User = Depends(reader)
) -> HTMLResponse:
    v = aggregate_view(request, "counties", user, period)
    map_chart, map_problem, missing = None, None, []
    try:
        geo = county_boundaries(request, user)
    except ConfigError as exc:
        map_problem = str(exc)  # the tiles, and the administrator is told why
    else:
        if geo is not None:
            map_chart, missing = county_map_chart(v), geo["missing"]
    return render(
        request,
        "counties.html",
        user,
        v=v,
        map_chart=map_chart,
        map_problem=map_problem,
        map_missing=missing,
    )


@router.get("/industry")
def industry(
    request: Request, period: PeriodQ = None, user: User = Depends(reader)
) -> HTMLResponse:
    return render(
        request, "industry.html", user, v=aggregate_view(request, "industry", user, period)
    )


@router.get("/enterprises")
def search(
    request: Request,
    filters: SearchFilters,
    user: User = Depends(reader),
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    params = filters | {"page": page, "size": 50}
    v = search_view(request, user, **params)
    kept = {k: x for k, x in params.items() if x is not None and k not in ("page", "size")}

    def page_url(n: int) -> str:
        return "/enterprises?" + urlencode(kept | {"page": n})

    return render(
        request,
        "enterprises.html",
        user,
        v=v,
        params=params,
        sorts=SORTS,
        pools=[(p.key, p.label) for p in POOLS],
        export_url="/api/exports/enterprises.xlsx?" + urlencode(kept),
        prev_url=page_url(page - 1) if page > 1 else None,
        next_url=page_url(page + 1) if page < v["pages"] else None,
    )


@router.get("/enterprises/{uscc}")
def profile(
    request: Request,
    uscc: Annotated[str, Path(pattern=USCC_PATTERN)],
    user: User = Depends(reader),
) -> HTMLResponse:
    return render(request, "enterprise.html", user, v=profile_view(request, user, uscc))


@router.get("/reports")
def reports(request: Request, user: User = Depends(reader)) -> HTMLResponse:
    platform = request.app.state.platform
    found: list[str] = platform.view("periods", Scope.city(), None, aggregates.periods)
    years = sorted({int(p[:4]) for p in found}, reverse=True)
    return render(request, "reports.html", user, periods=found, years=years)
