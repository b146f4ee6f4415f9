"""Department files through the platform: upload (the CLI's ingest path) and data quality.

Upload loads for the city bureau (``admin`` and ``analyst``): the file goes through
:func:`jingxin.ingest.import_file` — the same checks, the same atomic load, the same audit —
and the derived figures are refreshed in the same request. A county's staff upload to
*check* their county's file (:func:`jingxin.ingest.check_file`: the same checks, every row
an enterprise of their county, nothing stored), then send it to the city: a department's
file covers the whole city and replaces the active file of its kind and period, so a county
cannot load its part until files are partitioned by county. The report lists every problem
with its sheet, row and column; its workbook is kept for the uploader only until their next
upload.

Data quality: completeness and lateness of the monthly sources (for a county, of its own
enterprises), and for the city's staff the files held and the rows waiting for a person to
match them.
"""

from __future__ import annotations

import tempfile
import threading
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Query, Request, Response, UploadFile
from fastapi.responses import HTMLResponse

from jingxin.errors import DataError, InputError
from jingxin.indicators import refresh
from jingxin.ingest import ImportReport, check_file, import_file
from jingxin.ingest.completeness import completeness
from jingxin.ingest.crosswalk import held_rows
from jingxin.ingest.kinds import KINDS
from jingxin.ingest.report import write_report
from jingxin.ingest.sources import source_files
from jingxin.store import Store
from jingxin.store.users import User
from jingxin.store.versions import as_of_sentence
from jingxin.tracking.bulletin import check_period
from jingxin.web.errors import ApiError
from jingxin.web.exports import XLSX, file_response
from jingxin.web.render import render
from jingxin.web.security import reader, role
from jingxin.web.views.aggregates import latest_period
from jingxin.web.views.charts import beijing

__all__ = ["api", "pages"]

api = APIRouter(prefix="/api", tags=["数据报送"])
pages = APIRouter(include_in_schema=False)
uploader = role("admin", "analyst", "county")  # a county checks, the city loads
# What a county checks: the kinds whose rows are enterprises' (not the register, whose new
# enterprises no county's register holds yet, nor the city's own figures and targets).
COUNTY_KINDS = ("stats_monthly", "electricity", "tax", "land", "emission", "incident", "mujun")
MAX_UPLOAD = 200 * 1024 * 1024  # bytes; the readers' own limits apply inside the file
CHUNK = 1024 * 1024
QUALITY_KINDS = ("stats_monthly", "electricity")

_reports: dict[str, tuple[str, bytes]] = {}  # username → (file name, report workbook)
_lock = threading.Lock()


def _issue(i: Any) -> dict[str, Any]:
    return {
        "severity": "错误" if i.severity.value == "error" else "提示",
        "reason": i.reason.value,
        "sheet": i.sheet,
        "row": i.row,
        "column": i.column,
        "value": None if i.value is None else str(i.value),
        "message": i.message,
        "where": i.where(),
    }


async def _save(upload: UploadFile, folder: Path) -> Path:
    name = Path(upload.filename or "upload").name[:200] or "upload"
    path = folder / name
    size = 0
    with path.open("wb") as out:
        while chunk := await upload.read(CHUNK):
            size += len(chunk)
            if size > MAX_UPLOAD:
                raise ApiError(
                    413, f"文件超过 {MAX_UPLOAD // 1024 // 1024} MB，未导入。", "too_large"
                )
            out.write(chunk)
    return path


def _import(
    store: Store, user: User, kind: str, path: Path, period: str | None, correction: bool
) -> dict[str, Any]:
    result = import_file(
        store, kind, path, period=period, actor=user.username, correction=correction, name=path.name
    )
    refreshed = ""
    if result.status == "loaded":
        try:
            done = refresh(store)
            refreshed = "；".join(
                f"已更新 {r.year} 年 {r.months[0]}–{r.months[-1]} 月的指标" for r in done
            )
        except DataError as exc:
            refreshed = f"数据已入库，但指标未能更新：{exc}"
    return _answer(user, path, result, refreshed)


def _check(
    store: Store, user: User, kind: str, path: Path, period: str | None, correction: bool
) -> dict[str, Any]:
    """A county's check of its own file: nothing is stored."""
    if not user.region_code:
        raise ApiError(403)
    result = check_file(
        store,
        kind,
        path,
        region=user.region_code,
        period=period,
        correction=correction,
        name=path.name,
    )
    return _answer(user, path, result, "")


def _answer(user: User, path: Path, result: ImportReport, refreshed: str) -> dict[str, Any]:
    if result.status != "repeated":
        xlsx = path.with_name(f"导入报告-{path.stem}.xlsx")
        write_report(result, xlsx)
        with _lock:
            _reports[user.username] = (xlsx.name, xlsx.read_bytes())
    return {
        "status": result.status,
        "ok": result.ok,
        "summary": result.summary(),
        "refreshed": refreshed,
        "file_id": result.file_id,
        "rows": result.rows,
        "issues": [_issue(i) for i in result.issues],
        "has_report": result.status != "repeated",
    }


@api.post("/uploads", summary="上传部门报表文件")
async def upload(
    request: Request,
    kind: Annotated[str, Form(max_length=32, description="文件种类（jingxin kinds）")],
    file: Annotated[UploadFile, File(description="部门报表：.xlsx、.xls 或 .csv")],
    period: Annotated[str | None, Form(pattern=r"^(\d{4}(-\d{2})?)?$")] = None,
    correction: Annotated[bool, Form()] = False,
    user: User = Depends(uploader),
) -> dict[str, Any]:
    """Check and load one department file; the answer lists every problem found."""
    allowed = _kinds(user)
    if kind not in allowed:
        raise InputError(f"文件种类 {kind!r} 不能由您上传：可选 {'、'.join(allowed)}。")
    platform = request.app.state.platform
    with tempfile.TemporaryDirectory(prefix="jingxin-upload-") as d:
        path = await _save(file, Path(d))
        if user.role == "county":
            with platform.read() as store:
                return _check(store, user, kind, path, period or None, correction)
        with platform.write() as store:
            return _import(store, user, kind, path, period or None, correction)


def _kinds(user: User) -> dict[str, str]:
    """The kinds of file ``user`` may upload, with their names."""
    keys = COUNTY_KINDS if user.role == "county" else tuple(KINDS)
    return {k: KINDS[k].label for k in keys}


@api.get("/uploads/report.xlsx", summary="下载本人最近一次上传的问题报告")
def last_report(user: User = Depends(uploader)) -> Response:
    """The report workbook of the user's last upload (marks each problem's row and cell)."""
    with _lock:
        found = _reports.get(user.username)
    if found is None:
        raise ApiError(404, "没有可下载的导入报告：请先上传文件。")
    name, data = found
    response = file_response(data, name)
    response.media_type = XLSX
    return response


def quality(store: Store, user: User, period: str | None) -> dict[str, Any]:
    """Completeness of the monthly sources in the user's scope; files and held rows for the city."""
    p = period or latest_period(store)
    check_period(p)
    rows = []
    for kind in QUALITY_KINDS:
        c = completeness(store, kind, p, user.scope)
        rows.append(
            {
                "kind": kind,
                "label": KINDS[kind].label,
                "due": c.due.isoformat(),
                "received": c.received.isoformat() if c.received else None,
                "days_late": c.days_late,
                "expected": c.expected,
                "reported": c.reported,
                "rate": round(c.rate, 1),
                "missing": [
                    {"county": county, "uscc": u, "name": n}
                    for county, firms in sorted(c.missing_by_county.items())
                    for u, n in firms[:50]
                ],
            }
        )
    city = user.scope.is_city
    files = source_files(store, period=p) if city else []
    held = held_rows(store) if city else []
    return {
        "period": p,
        "completeness": rows,
        "files": [
            {
                "id": f.id,
                "kind": KINDS[f.kind].label if f.kind in KINDS else f.kind,
                "name": f.name,
                "status": "在用" if f.status == "active" else "已替换",
                "rows": f.rows,
                "loaded_by": f.loaded_by,
                "loaded_at": beijing(f.loaded_at),
            }
            for f in files
        ],
        "held": [
            {
                "file_id": h["source_file_id"],
                "sheet": h["source_sheet"],
                "row": h["source_row"],
                "name": h["name"],
                "suggestion": h["suggestion"],
                "target": h["target"],
            }
            for h in held[:200]
        ],
        "n_held": len(held),
        "kinds": {k: v.label for k, v in KINDS.items()},
        "as_of": as_of_sentence(store),
    }


@api.get("/quality", summary="数据质量：报送完整性、文件与待确认记录")
def quality_view(
    request: Request,
    period: Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}$")] = None,
    user: User = Depends(reader),
) -> dict[str, Any]:
    """Completeness in the user's scope; for the city's staff also the files and held rows."""
    platform = request.app.state.platform
    result: dict[str, Any] = platform.view(
        "quality", user.scope, period, lambda s: quality(s, user, period)
    )
    return result


@pages.get("/quality")
def quality_page(request: Request, user: User = Depends(reader)) -> HTMLResponse:
    return render(request, "quality.html", user, v=quality_view(request, None, user))


@pages.get("/upload")
def upload_page(request: Request, user: User = Depends(reader)) -> HTMLResponse:
    return render(request, "upload.html", user, kinds=_kinds(user), result=None)


@pages.post("/upload")
async def upload_form(
    request: Request,
    kind: Annotated[str, Form(max_length=32)],
    file: Annotated[UploadFile, File()],
    period: Annotated[str, Form(pattern=r"^(\d{4}(-\d{2})?)?$")] = "",
    correction: Annotated[bool, Form()] = False,
    user: User = Depends(uploader),
) -> HTMLResponse:
    kinds = _kinds(user)
    try:
        result = await upload(request, kind, file, period or None, correction, user)
    except (InputError, ApiError) as exc:
        result = {
            "status": "error",
            "ok": False,
            "summary": str(exc),
            "issues": [],
            "has_report": False,
        }
    return render(request, "upload.html", user, kinds=kinds, result=result)
