"""The platform in Debian's chromium (Playwright with its executable path; no download).

Signs in, reads the overview's chart, searches an enterprise and opens its profile, signs
out; a screenshot of every page at 1366×768 goes to ``test-output/screens/``.
"""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Page, sync_playwright

from jingxin.store import Store
from jingxin.web.app import create_app
from jingxin.web.platform import Platform

from .conftest import own_copy

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = Path(__file__).parents[2] / "test-output" / "screens"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def own_platform(demo_store: Store, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    p = own_copy(demo_store, tmp_path_factory.mktemp("browser"))
    yield p
    p.close()


@pytest.fixture(scope="module")
def server(own_platform: Platform) -> Iterator[str]:
    port = _free_port()
    config = uvicorn.Config(
        create_app(own_platform), host="127.0.0.1", port=port, log_level="warning"
    )
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    for _ in range(100):
        if srv.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def page(server: str) -> Iterator[Page]:
    if not Path(CHROMIUM).exists():
        pytest.fail(
            "没有找到 chromium：请以 root 运行 bash scripts/test.sh 安装，或 apt-get install chromium"
        )
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        pg = browser.new_page(viewport={"width": 1366, "height": 768}, locale="zh-CN")
        yield pg
        browser.close()


def _shot(page: Page, name: str) -> None:
    page.wait_for_timeout(1200)  # let chart animations end
    page.screenshot(path=str(SHOTS / f"{name}.png"))


@pytest.fixture(scope="module")
def county_file(demo_store: Store, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """长兴县's rows of the demo's 2016-09 statistics file, the first with a bad cell."""
    lines = (
        (Path(demo_store.path).parent / "files" / "规上工业月报-2016-09.csv")
        .read_bytes()
        .decode("gb18030")
        .splitlines()
    )
    header = lines[0].split(",")
    code = next(i for i, h in enumerate(header) if "信用代码" in h)
    county = {
        r[0]
        for r in demo_store.con.execute(
            "select uscc from enterprise where region_code = '330522'"
        ).fetchall()
    }
    rows = [x for x in lines[1:] if x.split(",")[code] in county]
    cells = rows[0].split(",")
    cells[4] = "九万"
    rows[0] = ",".join(cells)
    path = tmp_path_factory.mktemp("county-file") / "长兴县-规上工业月报-2016-09.csv"
    path.write_bytes(("\n".join([lines[0], *rows]) + "\n").encode("gb18030"))
    return path


def test_a_county_clerk_signs_in_reads_searches_and_signs_out(
    page: Page, server: str, county_file: Path
) -> None:
    pg = page
    pg.goto(f"{server}/")
    assert pg.url.startswith(f"{server}/login")
    _shot(pg, "login")
    pg.fill("input[name=username]", "county330522")
    pg.fill("input[name=password]", "jingxin-demo")
    pg.click("button[type=submit]")
    pg.wait_for_selector("text=湖州市工业经济总览")
    # the overview's chart is drawn, with the series of the view
    series = pg.evaluate(
        "window.jingxinCharts.map(c => c.getOption().series.map(s => [s.name, s.data.length]))"
    )
    assert ["规上工业增加值", 12] in series[1]
    assert pg.locator("#as-of").inner_text().startswith("数据截至")
    _shot(pg, "overview")
    for path, name in (("/counties", "counties"), ("/industry", "industry")):
        pg.goto(server + path)
        assert pg.evaluate("window.jingxinCharts.length") == 2
        _shot(pg, name)
    pg.goto(f"{server}/grid")  # the festival's resumption drawn, the county's own candidates
    assert pg.evaluate("window.jingxinCharts[0].getOption().series.length") == 2
    assert "可增产企业" in pg.locator("main").inner_text()
    _shot(pg, "grid")
    for path, name, text in (
        ("/projects", "projects", "目标任务完成情况"),
        ("/quality", "quality", "报送完整性"),
    ):
        pg.goto(server + path)
        assert text in pg.locator("main").inner_text()
        _shot(pg, name)
    # the clerk checks the county's monthly file, with one bad cell, and sees the report
    pg.goto(f"{server}/upload")
    assert "仅检查，不入库" in pg.locator("#county-check").inner_text()
    pg.select_option("select[name=kind]", "stats_monthly")
    pg.check("input[name=correction]")
    pg.set_input_files("input[name=file]", str(county_file))
    pg.click("#upload-form button[type=submit]")
    pg.wait_for_selector("#upload-result")
    assert "检查未通过" in pg.locator("#upload-result .banner").inner_text()
    first = pg.locator("#issues tbody tr").first.inner_text()
    assert "九万" in first and "2" in first
    _shot(pg, "upload")
    pg.goto(f"{server}/enterprises")
    pg.select_option("select[name=sort]", "growth")
    pg.click("#search button[type=submit]")
    pg.wait_for_url("**/enterprises?*")
    counties = pg.locator("#results tbody tr td:nth-child(3)").all_inner_texts()
    assert counties and set(counties) == {"长兴县"}
    _shot(pg, "enterprises")
    first = pg.locator("#results tbody tr td:nth-child(2) a").first
    name = first.inner_text()
    first.click()
    pg.wait_for_selector("#register")
    assert name in pg.locator("h1").inner_text()
    _shot(pg, "enterprise")
    pg.click("header button[type=submit]")
    pg.wait_for_url("**/login")
    pg.goto(f"{server}/counties")
    assert "/login" in pg.url


def _sign_in(pg: Page, server: str, username: str) -> None:
    pg.goto(f"{server}/login")
    pg.fill("input[name=username]", username)
    pg.fill("input[name=password]", "jingxin-demo")
    pg.click("main button[type=submit]")
    pg.wait_for_selector("text=工业经济总览")


def test_an_analyst_downloads_a_bulletin_and_publishes_the_notice(page: Page, server: str) -> None:
    pg = page
    _sign_in(pg, server, "analyst")
    pg.goto(f"{server}/reports")
    _shot(pg, "reports")
    with pg.expect_download() as got:
        pg.click("#bulletin-form button[type=submit]")
    download = got.value
    assert download.suggested_filename.startswith(
        "bulletin-"
    ) and download.suggested_filename.endswith(".docx")
    assert Path(download.path()).read_bytes()[:2] == b"PK"
    pg.goto(f"{server}/evaluation")
    assert pg.evaluate("window.jingxinCharts.length") == 1
    _shot(pg, "evaluation")
    pg.click("#notice-form button[type=submit]")
    pg.wait_for_selector("#message")
    assert "已发布公示" in pg.locator("#message").inner_text()
    assert "公示中" in pg.locator("h1").inner_text()
    with pg.expect_download() as got:
        pg.click("#notice-xlsx")
    assert got.value.suggested_filename.endswith("notice.xlsx")
    _shot(pg, "evaluation-notice")
    pg.click("header button[type=submit]")
    pg.wait_for_url("**/login")


def test_an_administrator_adds_an_account_and_reads_the_audit(page: Page, server: str) -> None:
    pg = page
    _sign_in(pg, server, "admin")
    pg.goto(f"{server}/admin")
    pg.fill("#add-user input[name=username]", "clerk-browser")
    pg.select_option("#add-user select[name=role]", "county")
    pg.select_option("#add-user select[name=region_code]", "330523")
    pg.fill("#add-user input[name=password]", "browser-pass-1")
    pg.click("#add-user button[type=submit]")
    pg.wait_for_selector("#admin-notice")
    assert "已新增用户clerk-browser" in pg.locator("#admin-notice").inner_text()
    row = pg.locator("#accounts tr", has_text="clerk-browser").inner_text()
    assert "区县用户" in row and "安吉县" in row
    assert "新增用户" in pg.locator("#audit tbody tr").first.inner_text()
    _shot(pg, "admin")
    pg.click("header button[type=submit]")
    pg.wait_for_url("**/login")
