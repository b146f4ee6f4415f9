"""The 用能权 ledger's routes: balances, the journal, approved transfers, and the page.

Trades between enterprises are applications first: a county's staff file them for their
own enterprises as buyers, the city approves (which runs the transfer once) or refuses.

Every signed-in user reads balances under their scope (a county: its enterprises' accounts
only, through the query boundary). The journal names both sides of a movement, which may
be of two counties, so it is the city's (``admin``, ``analyst``, ``leader``). Entering an
approved transfer is the city bureau's operation (``admin``, ``analyst``); the ledger
(:mod:`jingxin.store.ledger`) applies it once per id and keeps every refusal with its
reason code, which the API answers in the platform's one error shape.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Literal, TypeVar
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Path, Query, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from jingxin.energy.applications import applications, approve, file_application, refuse
from jingxin.energy.ledger import (
    LedgerError,
    Verification,
    account_name,
    balances,
    energy_use,
    journal,
    transfer,
    verify,
)
from jingxin.errors import NotFoundError
from jingxin.store import Store
from jingxin.store.users import User
from jingxin.store.versions import as_of_sentence
from jingxin.web.errors import ApiError
from jingxin.web.render import render
from jingxin.web.security import reader, role

__all__ = ["api", "pages"]

api = APIRouter(prefix="/api/energy", tags=["用能权"])
pages = APIRouter(include_in_schema=False)
city_staff = role("admin", "analyst")
city_readers = role("admin", "analyst", "leader")
applicants = role("admin", "analyst", "county")  # a county files for its own buyers
FIELDS = {
    "id": "编号",
    "from": "转出",
    "to": "转入",
    "tce": "数量",
    "price": "成交价",
    "memo": "备注",
    "note": "说明",
}
M = TypeVar("M", bound=BaseModel)
FIRM = r"^[0-9A-HJ-NPQRTUWXY]{18}$"
ACCOUNT = r"^([0-9A-HJ-NPQRTUWXY]{18}|reserve)$"


class TransferBody(BaseModel):
    """An approved movement of rights (the same fields as ``jingxin energy transfer``)."""

    model_config = ConfigDict(populate_by_name=True, extra="forbid")

    id: str = Field(min_length=1, max_length=64, description="交易编号（提交方给出，只执行一次）")
    source: str = Field(alias="from", pattern=ACCOUNT, description="转出：信用代码或 reserve")
    to: str = Field(pattern=ACCOUNT, description="转入：信用代码或 reserve")
    tce: Decimal = Field(gt=0, le=10**12, description="数量，吨标准煤，最多三位小数")
    price: Decimal | None = Field(None, ge=0, le=10**12, description="成交价，元/吨标准煤")
    memo: str | None = Field(None, max_length=500, description="备注")


def _balances(request: Request, user: User) -> dict[str, Any]:
    def compute(store: Store) -> dict[str, Any]:
        items = balances(store, user.scope)
        period, use = energy_use(store, user.scope)
        for b in items:
            used = use.get(b["account"]) if b["kind"] == "enterprise" else None
            b["use_tce"] = None if used is None else round(used, 3)
            b["gap_tce"] = None if used is None else round(used - b["tce"], 3)
        firms = [b for b in items if b["kind"] == "enterprise"]
        reserve = next((b["tce"] for b in items if b["kind"] == "reserve"), None)
        return {
            "items": items,
            "n_enterprises": len(firms),
            "enterprises_tce": round(sum(b["tce"] for b in firms), 3),
            "reserve_tce": reserve,
            "use_period": period,
            "n_short": sum(1 for b in firms if (b["gap_tce"] or 0) > 0),
            "as_of": as_of_sentence(store),
        }

    result: dict[str, Any] = request.app.state.platform.view(
        "energy-balances", user.scope, None, compute
    )
    return result


def _journal(request: Request, user: User, limit: int) -> dict[str, Any]:
    def compute(store: Store) -> dict[str, Any]:
        check: Verification = verify(store)
        return {
            "items": journal(store, user.scope, limit=limit),
            "entries": check.entries,
            "created_tce": check.created_kgce / 1000,
            "problems": check.problems,
        }

    result: dict[str, Any] = request.app.state.platform.view(
        "energy-journal", user.scope, limit, compute
    )
    return result


def _transfer(request: Request, user: User, body: TransferBody) -> tuple[bool, dict[str, Any]]:
    with request.app.state.platform.write() as store:
        done = transfer(
            store, id=body.id, source=body.source, to=body.to, tce=body.tce,
            price=body.price, memo=body.memo, actor=user.username,
        )  # fmt: skip
    return done.replayed, done.entry.as_dict()


@api.get("/balances", summary="用能权余额")
def get_balances(request: Request, user: User = Depends(reader)) -> dict[str, Any]:
    """Every account the user may see, largest first (a county: its enterprises' only)."""
    return _balances(request, user)


@api.get("/journal", summary="用能权交易记录")
def get_journal(
    request: Request,
    limit: Annotated[int, Query(ge=1, le=1000, description="最近多少条")] = 200,
    user: User = Depends(city_readers),
) -> dict[str, Any]:
    """The latest movements, newest first, and the check of the whole journal."""
    return _journal(request, user, limit)


@api.post("/transfers", summary="执行已批准的用能权转让", status_code=201)
def post_transfer(
    request: Request, body: TransferBody, user: User = Depends(city_staff)
) -> Response:
    """Apply an approved movement once: 201 when applied, 200 with ``replayed`` when the same
    id and body were applied before; a refusal answers 409 (``id_conflict``) or 422 with its
    reason code."""
    try:
        replayed, entry = _transfer(request, user, body)
    except LedgerError as err:
        raise ApiError(409 if err.reason == "id_conflict" else 422, str(err), err.reason) from None
    return JSONResponse(
        {"replayed": replayed, "entry": entry}, status_code=200 if replayed else 201
    )


class ApplicationBody(BaseModel):
    """An application to buy rights from another enterprise (the buyer's county files it)."""

    model_config = ConfigDict(populate_by_name=True, extra="forbid")

    id: str = Field(min_length=1, max_length=64, description="申请编号（批准后即交易编号）")
    source: str = Field(alias="from", pattern=FIRM, description="出让企业信用代码")
    to: str = Field(pattern=FIRM, description="受让企业信用代码")
    tce: Decimal = Field(gt=0, le=10**12, description="数量，吨标准煤，最多三位小数")
    price: Decimal | None = Field(None, ge=0, le=10**12, description="成交价，元/吨标准煤")
    note: str | None = Field(None, max_length=500, description="说明")


class DecisionBody(BaseModel):
    """The city's decision on an application."""

    model_config = ConfigDict(extra="forbid")

    decision: str | None = Field(None, max_length=500, description="审批意见（不予批准时必填）")


AppId = Annotated[str, Path(pattern=r"^[A-Za-z0-9._:\-]{1,64}$", description="申请编号")]


def _applications(request: Request, user: User, status: str | None) -> dict[str, Any]:
    def compute(store: Store) -> dict[str, Any]:
        items = applications(store, user.scope, status=status)
        return {"items": items, "n_pending": sum(a["status"] == "pending" for a in items)}

    result: dict[str, Any] = request.app.state.platform.view(
        "energy-applications", user.scope, status, compute
    )
    return result


def _refusal(err: LedgerError) -> ApiError:
    return ApiError(
        409 if err.reason in ("id_conflict", "already_decided") else 422, str(err), err.reason
    )


def _file(request: Request, user: User, body: ApplicationBody) -> tuple[dict[str, Any], bool]:
    with request.app.state.platform.write() as store:
        return file_application(
            store, user.scope, id=body.id, seller=body.source, buyer=body.to, tce=body.tce,
            price=body.price, note=body.note, actor=user.username,
        )  # fmt: skip


@api.get("/applications", summary="用能权转让申请")
def get_applications(
    request: Request,
    status: Annotated[Literal["pending", "approved", "rejected"] | None, Query()] = None,
    user: User = Depends(reader),
) -> dict[str, Any]:
    """Applications in the user's scope, newest first (another county's party unnamed)."""
    return _applications(request, user, status)


@api.post("/applications", summary="登记用能权转让申请", status_code=201)
def post_application(
    request: Request, body: ApplicationBody, user: User = Depends(applicants)
) -> Response:
    """File an application (a county: for its own enterprise as the buyer); 201 filed, 200
    when the same id and body were filed before."""
    try:
        app, again = _file(request, user, body)
    except LedgerError as err:
        raise _refusal(err) from None
    return JSONResponse(
        {"replayed": again, "id": app["id"], "status": app["status"]},
        status_code=200 if again else 201,
    )


@api.post("/applications/{application_id}/approve", summary="批准转让申请并执行")
def post_approve(
    request: Request, application_id: AppId, body: DecisionBody, user: User = Depends(city_staff)
) -> dict[str, Any]:
    """Approve: the transfer is executed once, with the application's id."""
    try:
        with request.app.state.platform.write() as store:
            done = approve(store, id=application_id, actor=user.username, decision=body.decision)
    except LedgerError as err:
        raise _refusal(err) from None
    return {"replayed": done.replayed, "entry": done.entry.as_dict()}


@api.post("/applications/{application_id}/refuse", summary="不予批准转让申请")
def post_refuse(
    request: Request, application_id: AppId, body: DecisionBody, user: User = Depends(city_staff)
) -> dict[str, Any]:
    """Decide not to approve (with the reason)."""
    if not body.decision:
        raise ApiError(422, "不予批准须写明理由。", "invalid")
    try:
        with request.app.state.platform.write() as store:
            app = refuse(store, id=application_id, actor=user.username, decision=body.decision)
    except LedgerError as err:
        raise _refusal(err) from None
    return {"id": app["id"], "status": app["status"]}


# -- the page ----------------------------------------------------------------------------------
def _page(
    request: Request, user: User, *, message: str | None = None, error: str | None = None,
    status: int = 200,
) -> HTMLResponse:  # fmt: skip
    city = user.scope.is_city and user.role in ("admin", "analyst", "leader")
    return render(
        request,
        "energy.html",
        user,
        status=status,
        v=_balances(request, user),
        j=_journal(request, user, 100) if city else None,
        can_transfer=user.role in ("admin", "analyst"),
        can_apply=user.role in ("admin", "analyst", "county"),
        a=_applications(request, user, None),
        message=message,
        error=error,
        account_name=account_name,
    )


@pages.get("/energy")
def page(
    request: Request,
    done: Annotated[str | None, Query(max_length=200)] = None,
    user: User = Depends(reader),
) -> HTMLResponse:
    return _page(request, user, message=done)


@pages.post("/energy/transfers")
def transfer_form(
    request: Request,
    id: Annotated[str, Form(max_length=64)],
    source: Annotated[str, Form(max_length=18)],
    to: Annotated[str, Form(max_length=18)],
    tce: Annotated[str, Form(max_length=30)],
    price: Annotated[str, Form(max_length=30)] = "",
    memo: Annotated[str, Form(max_length=500)] = "",
    user: User = Depends(city_staff),
) -> Response:
    try:
        body = _form(TransferBody, id=id, source=source, to=to, tce=tce, price=price, memo=memo)
    except ValidationError as exc:
        return _page(request, user, error=_form_error(exc), status=400)
    try:
        replayed, entry = _transfer(request, user, body)
    except LedgerError as err:
        return _page(request, user, error=f"未执行（{err.reason}）：{err}", status=400)
    said = "已执行过，未重复执行" if replayed else "已执行"
    return _done(f"{said}：{entry['id']}，{entry['tce']:g} 吨标准煤。")


def _form(model: type[M], **given: str) -> M:
    """A page form's fields as ``model``: trimmed, empty as missing, credit codes in capitals
    (``reserve`` as it is); ``source`` is the body's ``from``."""
    data: dict[str, str | None] = {k: v.strip() or None for k, v in given.items()}
    data["from"] = data.pop("source")
    for k in ("from", "to"):
        if data[k]:
            data[k] = str(data[k]).upper().replace("RESERVE", "reserve")
    return model.model_validate(data)


def _form_error(exc: ValidationError) -> str:
    fields = sorted({FIELDS.get(str(e["loc"][0]), str(e["loc"][0])) for e in exc.errors()})
    return (
        f"未执行：{'、'.join(fields)}填写有误。账户填统一社会信用代码（转让可填 reserve，即政府储备），"
        "数量为大于 0 的吨标准煤数（最多三位小数），价格为元/吨标准煤。"
    )


def _done(text: str) -> RedirectResponse:
    return RedirectResponse(f"/energy?done={quote(text)}", status_code=303)


@pages.post("/energy/applications")
def application_form(
    request: Request,
    id: Annotated[str, Form(max_length=64)],
    source: Annotated[str, Form(max_length=18)],
    to: Annotated[str, Form(max_length=18)],
    tce: Annotated[str, Form(max_length=30)],
    price: Annotated[str, Form(max_length=30)] = "",
    note: Annotated[str, Form(max_length=500)] = "",
    user: User = Depends(applicants),
) -> Response:
    try:
        body = _form(ApplicationBody, id=id, source=source, to=to, tce=tce, price=price, note=note)
    except ValidationError as exc:
        return _page(request, user, error=_form_error(exc), status=400)
    try:
        app, again = _file(request, user, body)
    except (LedgerError, NotFoundError) as err:
        return _page(request, user, error=f"未登记：{err}", status=400)
    return _done(f"{'已登记过' if again else '已登记'}转让申请 {app['id']}，待审批。")


@pages.post("/energy/applications/{application_id}/approve")
def approve_form(
    request: Request,
    application_id: AppId,
    decision: Annotated[str, Form(max_length=500)] = "",
    user: User = Depends(city_staff),
) -> Response:
    try:
        with request.app.state.platform.write() as store:
            done = approve(store, id=application_id, actor=user.username,
                           decision=decision.strip() or None)  # fmt: skip
    except LedgerError as err:
        return _page(request, user, error=f"未批准（{err.reason}）：{err}", status=400)
    return _done(f"已批准转让申请 {application_id} 并执行：{done.entry.kgce / 1000:g} 吨标准煤。")


@pages.post("/energy/applications/{application_id}/refuse")
def refuse_form(
    request: Request,
    application_id: AppId,
    decision: Annotated[str, Form(max_length=500)] = "",
    user: User = Depends(city_staff),
) -> Response:
    if not decision.strip():
        return _page(request, user, error="不予批准须写明理由。", status=400)
    try:
        with request.app.state.platform.write() as store:
            refuse(store, id=application_id, actor=user.username, decision=decision.strip())
    except LedgerError as err:
        return _page(request, user, error=f"未处理（{err.reason}）：{err}", status=400)
    return _done(f"转让申请 {application_id} 不予批准。")
