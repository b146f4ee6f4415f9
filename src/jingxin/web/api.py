"""The JSON API: every view of the pages, under ``/api/``, read under the caller's scope.

Each route computes its view through :meth:`jingxin.web.platform.Platform.view` (one
computation, cached under the caller's scope) and answers the same dict the page renders.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path as Path_
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from jingxin.errors import ConfigError
from jingxin.reports import write_annual
from jingxin.reports.bulletin import write_bulletin
from jingxin.store import Scope, Store
from jingxin.store.users import User
from jingxin.web.errors import ApiError
from jingxin.web.exports import Column, file_response, report_file, xlsx_response
from jingxin.web.geo import county_map
from jingxin.web.security import reader
from jingxin.web.views import aggregates, enterprises
from jingxin.web.views.charts import choropleth

__all__ = [
    "SearchFilters",
    "aggregate_view",
    "profile_view",
    "router",
    "search_filters",
    "search_view",
]

router = APIRouter(prefix="/api", tags=["数据"])

PeriodQ = Annotated[
    str | None, Query(pattern=r"^\d{4}-\d{2}$", description="期别 YYYY-MM；缺省为最近一期。")
]
USCC_PATTERN = r"^[0-9A-HJ-NPQRTUWXY]{18}$"


def search_filters(
    q: Annotated[str | None, Query(max_length=64, description="名称或信用代码")] = None,
    region: Annotated[str | None, Query(pattern=r"^(\d{6})?$", description="区县代码")] = None,
    industry: Annotated[
        str | None, Query(pattern=r"^(\d{2,4})?$", description="行业代码前缀")
    ] = None,
    pool: Annotated[str | None, Query(max_length=64, description="企业库")] = None,
    grade: Annotated[
        str | None, Query(pattern=r"^[A-Da-d]?$", description="亩均效益评价类别")
    ] = None,
    sort: Annotated[
        Literal["name", "value_added", "growth", "revenue", "land_mu"],
        Query(description="排序字段"),
    ] = "value_added",
    order: Annotated[Literal["asc", "desc"], Query(description="排序方向")] = "desc",
) -> dict[str, Any]:
    """The enterprise search's filters, shared by the search, its page and its export (an
    empty field, as a form sends it, is no filter)."""
    return {
        "q": q or None,
        "region": region or None,
        "industry": industry or None,
        "pool": pool or None,
        "grade": grade or None,
        "sort": sort,
        "order": order,
    }


SearchFilters = Annotated[dict[str, Any], Depends(search_filters)]


# A view: its name, the scope it is computed under, its parameters and its computation.
View = tuple[str, Scope, Any, Callable[[Store], dict[str, Any]]]


def _aggregate(request: Request, name: str, user: User, period: str | None) -> View:
    warn = request.app.state.platform.settings.warn_pp
    compute: Callable[[Store], dict[str, Any]] = {
        "overview": lambda s: aggregates.overview(s, period, warn),
        "counties": lambda s: aggregates.counties(s, period, warn),
        "industry": lambda s: aggregates.industry(s, period),
    }[name]
    return name, user.scope, (period, warn), compute


def _search(request: Request, user: User, params: dict[str, Any]) -> View:
    """A search: filtered, sorted and paged from the scope's enterprises as read once per
    data version (``search-base``), so a new search runs no query."""
    platform = request.app.state.platform
    key = tuple(sorted(params.items()))

    def compute(s: Store) -> dict[str, Any]:
        base = platform.view(
            "search-base", user.scope, None, lambda s: enterprises.search_base(s, user.scope)
        )
        return enterprises.search(base, user.scope, **params)

    return "search", user.scope, key, compute


def _profile(user: User, uscc: str) -> View:
    return "profile", user.scope, uscc, lambda s: enterprises.profile(s, user.scope, uscc)


def _dict(request: Request, view: View) -> dict[str, Any]:
    result: dict[str, Any] = request.app.state.platform.view(*view)
    return result


def _json(request: Request, view: View) -> Response:
    """The API's answer: the view's JSON, encoded once and kept with the view."""
    body: bytes = request.app.state.platform.view_json(*view)
    return Response(body, media_type="application/json")


def aggregate_view(request: Request, name: str, user: User, period: str | None) -> dict[str, Any]:
    """One of the published aggregate views (the same for every user)."""
    return _dict(request, _aggregate(request, name, user, period))


def search_view(request: Request, user: User, **params: Any) -> dict[str, Any]:
    """The enterprise search under the user's scope."""
    return _dict(request, _search(request, user, params))


def profile_view(request: Request, user: User, uscc: str) -> dict[str, Any]:
    """One enterprise's profile under the user's scope (404 outside it)."""
    return _dict(request, _profile(user, uscc))


# The JSON routes return the encoded view itself (FastAPI would encode the dict again on
# every request); ``response_model`` keeps their schema in /openapi.json.
Answer = dict[str, Any]


@router.get("/periods", summary="已计算的期别", response_model=dict[str, list[str]])
def periods(request: Request, user: User = Depends(reader)) -> Response:
    """Every month with computed figures, newest first."""
    return _json(
        request, ("period-list", Scope.city(), None, lambda s: {"periods": aggregates.periods(s)})
    )


@router.get("/overview", summary="全市总览", response_model=Answer)
def overview(request: Request, period: PeriodQ = None, user: User = Depends(reader)) -> Response:
    """Headline figures year to date with growth, the year's line, targets against time."""
    return _json(request, _aggregate(request, "overview", user, period))


@router.get("/counties", summary="区县比较", response_model=Answer)
def counties(request: Request, period: PeriodQ = None, user: User = Depends(reader)) -> Response:
    """Every county: the industrial economy, investment, ranks and warnings."""
    return _json(request, _aggregate(request, "counties", user, period))


@router.get("/industry", summary="产业结构", response_model=Answer)
def industry(request: Request, period: PeriodQ = None, user: User = Depends(reader)) -> Response:
    """Industry groups: value added, growth, share and its change, contribution, pull."""
    return _json(request, _aggregate(request, "industry", user, period))


@router.get("/enterprises", summary="企业查询", response_model=Answer)
def search(
    request: Request,
    filters: SearchFilters,
    user: User = Depends(reader),
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    size: Annotated[int, Query(ge=1, le=500)] = 50,
) -> Response:
    """Enterprises in the user's scope, filtered and sorted, one page at a time."""
    return _json(request, _search(request, user, {**filters, "page": page, "size": size}))


@router.get("/enterprises/{uscc}", summary="企业画像", response_model=Answer)
def profile(
    request: Request,
    uscc: Annotated[str, Path(pattern=USCC_PATTERN, description="统一社会信用代码")],
    user: User = Depends(reader),
) -> Response:
    """Everything the departments hold about one enterprise (404 outside the user's scope)."""
    return _json(request, _profile(user, uscc))


# -- the counties' boundaries (a GeoJSON file the deployment supplies) ------------------------

MAP_NAME = "counties"  # the name the page's script registers the boundaries under


def county_boundaries(request: Request, user: User) -> dict[str, Any] | None:
    """The city's counties' boundaries from ``JINGXIN_COUNTY_MAP`` (``None`` when the
    deployment supplies none). Raises ConfigError when the file cannot be used."""
    path = request.app.state.platform.settings.county_map
    if path is None:
        return None
    tiles = aggregate_view(request, "counties", user, None)["tiles"]
    counties = {t["code"]: t["name"] for t in tiles}
    view: View = (
        "county-map",
        Scope.city(),  # boundaries of the published areas: the same for every user
        (str(path), tuple(counties)),
        lambda s: county_map(Path_(path), counties),
    )
    return _dict(request, view)


def county_map_chart(v: dict[str, Any]) -> dict[str, Any]:
    """The counties view's growth as a map over the boundaries (the tiles' figures)."""
    values = {t["name"]: t["growth_pct"] for t in v["tiles"]}
    return choropleth("各区县规上工业增加值累计增速", MAP_NAME, values, "%")


@router.get("/map/counties.geojson", summary="区县边界（GeoJSON，部署时提供）")
def boundaries(request: Request, user: User = Depends(reader)) -> dict[str, Any]:
    """The counties' boundaries the counties page's map is drawn on (404 when the deployment
    supplies no JINGXIN_COUNTY_MAP file)."""
    try:
        geo = county_boundaries(request, user)
    except ConfigError as exc:
        # the file's path and problem are for the administrator who set it
        detail = str(exc) if user.role == "admin" else "区县边界文件有误，请管理员检查设置。"
        raise ApiError(503, detail, "map_invalid") from None
    if geo is None:
        raise ApiError(
            404, "未设置区县边界文件（JINGXIN_COUNTY_MAP）：区县页显示示意图。", "no_map"
        )
    return geo


# -- downloads: every table as Excel, and the bureau's reports --------------------------------

ENTERPRISE_COLUMNS: list[Column] = [
    ("统一社会信用代码", "uscc", "", 22),
    ("企业名称", "name", "", 34),
    ("区县", "region_name", "", 10),
    ("行业代码", "industry_code", "", 9),
    ("行业", "industry_name", "", 22),
    ("所在平台", "platform", "", 22),
    ("工业增加值（万元，累计）", "value_added", "#,##0.0", 14),
    ("增速（%）", "growth_pct", "0.0", 9),
    ("营业收入（万元，累计）", "revenue", "#,##0.0", 14),
    ("用地面积（亩）", "land_mu", "#,##0.0", 11),
    ("亩均效益评价类别", "class", "", 10),
]
COUNTY_COLUMNS: list[Column] = [
    ("地区", "region_name", "", 10),
    ("规上工业增加值（亿元）", "value_added", "#,##0.00", 14),
    ("增速（%）", "value_added_growth_pct", "0.0", 9),
    ("增速位次", "value_added_rank", "0", 8),
    ("占全市比重（%）", "share_pct", "0.0", 10),
    ("工业用电量（亿千瓦时）", "electricity", "#,##0.00", 14),
    ("用电增速（%）", "electricity_growth_pct", "0.0", 9),
    ("用电增速位次", "electricity_rank", "0", 8),
    ("工业投资（亿元）", "investment", "#,##0.00", 12),
    ("投资增速（%）", "investment_growth_pct", "0.0", 9),
    ("投资增速位次", "investment_rank", "0", 8),
    ("年度目标完成率（%）", "investment_completion_pct", "0.0", 12),
]
INDUSTRY_COLUMNS: list[Column] = [
    ("产业", "group_name", "", 20),
    ("企业数", "n_enterprises", "#,##0", 9),
    ("增加值（亿元）", "value_added", "#,##0.00", 12),
    ("增速（%）", "growth_pct", "0.0", 9),
    ("占规上比重（%）", "share_pct", "0.0", 10),
    ("比重变动（百分点）", "share_change_pp", "0.00", 10),
    ("贡献率（%）", "contribution_pct", "0.0", 10),
    ("拉动（百分点）", "pull_pp", "0.00", 10),
]


@router.get("/exports/enterprises.xlsx", summary="企业查询结果导出 Excel")
def export_enterprises(
    request: Request, filters: SearchFilters, user: User = Depends(reader)
) -> Response:
    """Every enterprise of the search (in the user's scope) as one workbook."""
    limit = enterprises.EXPORT_LIMIT
    v = search_view(request, user, **filters, page=1, size=limit, limit=limit)
    title = f"企业查询结果（{v['period'] or '无月报数据'}，共 {v['total']} 家）"
    return xlsx_response("企业查询结果.xlsx", title, ENTERPRISE_COLUMNS, v["items"], v["as_of"])


@router.get("/exports/counties.xlsx", summary="区县比较导出 Excel")
def export_counties(
    request: Request, period: PeriodQ = None, user: User = Depends(reader)
) -> Response:
    """The counties table as one workbook."""
    v = aggregate_view(request, "counties", user, period)
    return xlsx_response(
        f"区县比较-{v['period']}.xlsx",
        f"{v['period']} 各区县主要指标",
        COUNTY_COLUMNS,
        v["table"],
        v["as_of"],
    )


@router.get("/exports/industry.xlsx", summary="产业结构导出 Excel")
def export_industry(
    request: Request, period: PeriodQ = None, user: User = Depends(reader)
) -> Response:
    """The industry groups table as one workbook."""
    v = aggregate_view(request, "industry", user, period)
    return xlsx_response(
        f"产业结构-{v['period']}.xlsx",
        f"{v['period']} 产业结构",
        INDUSTRY_COLUMNS,
        v["table"],
        v["as_of"],
    )


BULLETIN_FORMATS = {"docx": "docx", "xlsx": "xlsx", "md": "markdown"}
ANNUAL_FORMATS = {"docx": "docx", "md": "markdown", "json": "json"}


@router.get("/reports/bulletin", summary="下载月度通报")
def bulletin(
    request: Request,
    period: Annotated[str, Query(pattern=r"^\d{4}-\d{2}$", description="期别 YYYY-MM")],
    format: Annotated[
        Literal["docx", "xlsx", "md"], Query(description="docx、xlsx 或 md")
    ] = "docx",
    user: User = Depends(reader),
) -> Response:
    """The month's bulletin, written from the store now (published aggregates only)."""
    platform = request.app.state.platform
    with platform.read() as store:
        data, name = report_file(
            lambda d: write_bulletin(store, period, d, Scope.city()), BULLETIN_FORMATS[format]
        )
    return file_response(data, name)


@router.get("/reports/annual", summary="下载年度总结")
def annual(
    request: Request,
    year: Annotated[int, Query(ge=2000, le=2100, description="年度")],
    format: Annotated[
        Literal["docx", "md", "json"], Query(description="docx、md 或 json")
    ] = "docx",
    user: User = Depends(reader),
) -> Response:
    """The year's summary, written from the store now (published aggregates only)."""
    platform = request.app.state.platform
    with platform.read() as store:
        data, name = report_file(
            lambda d: write_annual(store, year, d, Scope.city()), ANNUAL_FORMATS[format]
        )
    return file_response(data, name)
