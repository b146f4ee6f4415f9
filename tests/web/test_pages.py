"""The pages: Chinese, each with 数据截至, charts drawn from the view's options."""

from __future__ import annotations

import json
import re

import pytest
from fastapi.testclient import TestClient

from jingxin.web.app import echarts_installed


def _chart(html: str, name: str) -> dict:
    m = re.search(
        rf'<script type="application/json" id="chart-{name}-options">(.*?)</script>', html, re.S
    )
    assert m, f"no chart {name}"
    return json.loads(m.group(1))


@pytest.mark.parametrize(
    ("path", "title", "charts"),
    [
        ("/", "湖州市工业经济总览", ["value_added", "growth"]),
        ("/counties", "区县比较", ["value_added_growth", "investment_growth"]),
        ("/industry", "产业结构", ["share", "pull"]),
        ("/enterprises?region=330522&sort=growth", "企业查询", []),
        ("/grid", "电力看经济", ["resumption"]),
    ],
)
def test_each_page_renders_with_its_charts_and_as_of(
    clients: dict[str, TestClient], path: str, title: str, charts: list[str]
) -> None:
    r = clients["county"].get(path)
    assert r.status_code == 200
    assert title in r.text and "数据截至" in r.text
    assert 'lang="zh-CN"' in r.text
    for name in charts:
        assert _chart(r.text, name)["series"]


def test_the_overview_chart_carries_the_apis_numbers(clients: dict[str, TestClient]) -> None:
    page = _chart(clients["analyst"].get("/").text, "growth")
    api = clients["analyst"].get("/api/overview").json()["charts"]["growth"]
    assert page == api


def test_pages_escape_what_they_show(clients: dict[str, TestClient]) -> None:
    r = clients["analyst"].get("/enterprises?q=<script>alert(1)</script>")
    assert "<script>alert(1)</script>" not in r.text
    assert "&lt;script&gt;" in r.text


def test_a_page_of_another_countys_enterprise_is_not_found(
    clients: dict[str, TestClient], usccs_by_county: dict[str, set[str]]
) -> None:
    r = clients["county"].get(f"/enterprises/{sorted(usccs_by_county['330502'])[0]}")
    assert r.status_code == 404 and "没有找到该统一社会信用代码的企业" in r.text


def test_the_setup_installed_echarts() -> None:
    assert echarts_installed(), "请运行 bash scripts/setup.sh 安装 Apache ECharts"
