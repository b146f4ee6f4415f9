"""The sensitivity report in the browser and the API: computed in the background with the
run's own method, the same figures as ``jingxin evaluation sensitivity``, city users only."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from jingxin.evaluation.method import LoadedMethod, parse_method
from jingxin.evaluation.sensitivity import Bounds, sensitivity
from jingxin.evaluation.workflow import get_run
from jingxin.store import Scope, Store
from jingxin.web.platform import Platform
from jingxin.web.sensitivity import report_dict

from .conftest import make_client, own_copy, sign_in

QUICK = "weights=0.2&benchmarks=0.2&runs=2&seed=7&mode=random"  # two scenarios, seconds


def _until_done(client: TestClient, url: str) -> dict[str, Any]:
    deadline = time.monotonic() + 240
    while True:
        r = client.get(url)
        if r.status_code == 200:
            body: dict[str, Any] = r.json()
            return body
        assert r.status_code == 202 and r.json()["status"] in ("running", "busy"), r.text
        assert time.monotonic() < deadline, "敏感性检验四分钟内没有算完"
        time.sleep(0.5)


def test_the_report_is_computed_in_the_background_as_the_command_line_computes_it(
    clients: dict[str, TestClient], platform: Platform
) -> None:
    analyst = clients["analyst"]
    url = f"/api/evaluation/runs/1/sensitivity?{QUICK}"
    first = analyst.get(url)
    assert first.status_code == 202 and first.json()["status"] in ("running", "busy")
    got = _until_done(analyst, url)
    assert got["status"] == "done" and got["run_id"] == 1
    with platform.read() as store:
        run = get_run(store, 1)
        method = LoadedMethod(
            parse_method(run.method_text, run.method_source), run.method_text, run.method_source
        )
        expected = sensitivity(
            store.backend(Scope.city()),
            run.year,
            method,
            Bounds(0.2, 0.2),
            runs=2,
            seed=7,
            one_at_a_time=False,
        )
    assert got["result"] == report_dict(expected)
    assert [s["label"] for s in got["result"]["scenarios"]] == ["随机扰动 1", "随机扰动 2"]
    assert got["result"]["graded"] > 1000 and got["result"]["unstable"]  # not vacuous
    # kept: the leader's request is answered at once, and the page shows it
    assert clients["leader"].get(url).json() == got
    page = analyst.get(f"/evaluation/runs/1/sensitivity?{QUICK}").text
    assert "等级不稳定的企业" in page and got["result"]["unstable"][0]["name"] in page
    assert 'http-equiv="refresh"' not in page


def test_a_county_user_gets_no_sensitivity_report(clients: dict[str, TestClient]) -> None:
    assert clients["county"].get(f"/api/evaluation/runs/1/sensitivity?{QUICK}").status_code == 403
    assert clients["county"].get(f"/evaluation/runs/1/sensitivity?{QUICK}").status_code == 403


def test_bounds_out_of_range_and_unknown_runs_are_refused(clients: dict[str, TestClient]) -> None:
    analyst = clients["analyst"]
    assert analyst.get("/api/evaluation/runs/1/sensitivity?weights=1.5").status_code == 422
    assert analyst.get("/api/evaluation/runs/1/sensitivity?runs=500").status_code == 422
    r = analyst.get("/api/evaluation/runs/999/sensitivity")
    assert r.status_code == 404 and "评价批次 999 不存在" in r.json()["error"]["message"]


def test_a_running_page_refreshes_itself(clients: dict[str, TestClient]) -> None:
    r = clients["analyst"].get("/evaluation/runs/1/sensitivity?runs=1&seed=99&mode=random")
    assert r.status_code == 200
    if "正在计算" in r.text or "另一项计算正在进行" in r.text:
        assert '<meta http-equiv="refresh" content="5">' in r.text
    else:  # it finished first (a fast machine): the result is shown
        assert "等级不稳定的企业" in r.text


def test_the_platform_closes_while_a_report_is_computed(demo_store: Store, tmp_path: Path) -> None:
    """A connection cannot close while a cursor of it runs a query: closing the platform
    interrupts the running job first (the server stopping mid-report)."""
    own = own_copy(demo_store, tmp_path)
    client = make_client(own)
    client.headers["X-CSRF-Token"] = sign_in(client, "analyst")
    r = client.get("/api/evaluation/runs/1/sensitivity?runs=20&mode=all")  # most of a minute
    assert r.status_code == 202 and r.json()["status"] == "running"
    own.close()  # before the fix: ResourceInUseException, "connection is busy"
    assert all(not thread.is_alive() for thread, _ in own._threads)
