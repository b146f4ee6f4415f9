"""The economy read from the grid, over the API: resumption after the Spring Festival, a
restriction list's losses, and the enterprises able to make them up.

Every signed-in user reads under their scope: a county's staff get their own enterprises'
rates, losses and candidates only (the readings are filtered by the query boundary on the
meters the crosswalk gives their enterprises). Answers are cached per scope and
parameters, and say 数据截至 from the data they were computed on.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request

from jingxin.energy.restriction import makeup_candidates, restriction_effect
from jingxin.energy.resumption import resumption
from jingxin.errors import InputError
from jingxin.store import Store
from jingxin.store.users import User
from jingxin.store.versions import as_of_sentence
from jingxin.web.security import reader

__all__ = ["MAX_DAYS", "api"]

api = APIRouter(prefix="/api/energy", tags=["电力看经济"])
MAX_DAYS = 120  # a request's date range: a season, not years of readings at once
Pool = Annotated[str, Query(max_length=40, pattern=r"^[a-z0-9_]+$", description="名单代码")]


def _view(request: Request, user: User, key: str, params: tuple[Any, ...], compute: Any) -> Any:
    def run(store: Store) -> dict[str, Any]:
        return {**compute(store), "as_of": as_of_sentence(store)}

    return request.app.state.platform.view(key, user.scope, params, run)


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
    if (end - start).days >= MAX_DAYS:
        raise InputError(f"日期范围不能超过 {MAX_DAYS} 天。")

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


@api.get("/restriction", summary="限产影响")
def get_restriction(
    request: Request,
    pool: Pool = "g20_restricted",
    baseline_days: Annotated[int, Query(ge=1, le=120, description="基期天数")] = 30,
    user: User = Depends(reader),
) -> dict[str, Any]:
    """The electricity and output each listed enterprise lost in its window."""

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


@api.get("/makeup", summary="可增产企业")
def get_makeup(
    request: Request,
    pool: Pool = "g20_restricted",
    as_of: Annotated[date | None, Query(description="测算日，默认最近有读数的一天")] = None,
    min_spare: Annotated[float, Query(ge=0, le=100, description="富余产能最低百分比")] = 20.0,
    user: User = Depends(reader),
) -> dict[str, Any]:
    """Listed enterprises with room below their recent peak, ranked."""

    def compute(store: Store) -> dict[str, Any]:
        got = makeup_candidates(store, user.scope, pool, as_of=as_of, min_spare_pct=min_spare)
        return {"pool": got.pool, "as_of_day": got.as_of, "candidates": got.candidates}

    result: dict[str, Any] = _view(request, user, "grid-makeup", (pool, as_of, min_spare), compute)
    return result
