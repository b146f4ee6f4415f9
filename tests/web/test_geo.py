"""The counties page's map: boundaries from the deployment's GeoJSON file, else the tiles.

The boundaries here are rectangles drawn by the test (no real boundary data in the
repository): what is tested is that each county's figure lands on its own feature.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from jingxin.errors import ConfigError
from jingxin.web.errors import error_body
from jingxin.web.geo import county_map
from jingxin.web.platform import Platform

COUNTIES = {
    "330502": "吴兴区",
    "330503": "南浔区",
    "330521": "德清县",
    "330522": "长兴县",
    "330523": "安吉县",
}


def _box(x: float, y: float) -> dict[str, Any]:
    ring = [[x, y], [x + 0.2, y], [x + 0.2, y + 0.2], [x, y + 0.2], [x, y]]
    return {"type": "Polygon", "coordinates": [ring]}


def _feature(props: dict[str, Any], x: float, y: float = 30.0) -> dict[str, Any]:
    return {"type": "Feature", "properties": props, "geometry": _box(x, y)}


def boundaries(folder: Path, features: list[dict[str, Any]] | None = None) -> Path:
    """A GeoJSON file of the five counties (some by code, some by name) and a place of
    another city, as a province's file would hold."""
    if features is None:
        features = [
            _feature({"adcode": 330502, "name": "吴兴"}, 120.0),
            _feature({"adcode": "330503"}, 120.2),
            _feature({"name": "德清县"}, 120.4),
            _feature({"code": "330522", "name": "长兴"}, 119.8),
            _feature({"NAME": "安吉县"}, 119.6),
            _feature({"adcode": "330106", "name": "西湖区"}, 120.1, 30.2),
        ]
    path = folder / "counties.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), "utf-8")
    return path


def test_each_county_is_matched_by_code_or_name_and_other_places_are_left_out(
    tmp_path: Path,
) -> None:
    geo = county_map(boundaries(tmp_path), COUNTIES)
    names = [f["properties"]["name"] for f in geo["features"]]
    assert names == ["吴兴区", "南浔区", "德清县", "长兴县", "安吉县"]
    assert geo["features"][3]["properties"] == {"name": "长兴县", "code": "330522"}
    assert geo["features"][3]["geometry"]["coordinates"][0][0] == [119.8, 30.0]
    assert geo["missing"] == []


def test_a_county_without_a_boundary_is_named(tmp_path: Path) -> None:
    geo = county_map(boundaries(tmp_path, [_feature({"adcode": "330522"}, 1.0)]), COUNTIES)
    assert geo["missing"] == ["吴兴区", "南浔区", "德清县", "安吉县"]


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"{not json", "不是有效的 GeoJSON"),
        (b'{"type": "Feature"}', "应为 GeoJSON 的 FeatureCollection"),
        (b'{"type": "FeatureCollection"}', "缺少 features 列表"),
        (
            json.dumps({"type": "FeatureCollection", "features": [_feature({"adcode": "1"}, 1)]}),
            "中没有本市任何区县的边界",
        ),
        (
            json.dumps(
                {
                    "type": "FeatureCollection",
                    "features": [
                        {"type": "Feature", "properties": {"adcode": "330522"}, "geometry": None}
                    ],
                }
            ),
            "第 1 个要素（长兴县）应有 Polygon 或 MultiPolygon 边界",
        ),
        (
            json.dumps(
                {
                    "type": "FeatureCollection",
                    "features": [
                        _feature({"adcode": "330522"}, 1),
                        _feature({"name": "长兴县"}, 2),
                    ],
                }
            ),
            "第 1 个和第 2 个要素都是长兴县",
        ),
    ],
)
def test_a_file_that_cannot_be_used_is_refused_naming_the_file(
    tmp_path: Path, content: bytes | str, says: str
) -> None:
    path = tmp_path / "bad.geojson"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    with pytest.raises(ConfigError, match=re.escape(says)) as err:
        county_map(path, COUNTIES)
    assert str(path) in str(err.value) and "JINGXIN_COUNTY_MAP" in str(err.value)


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="不存在或无法读取"):
        county_map(tmp_path / "none.geojson", COUNTIES)


@pytest.fixture
def with_map(platform: Platform, tmp_path: Path) -> Iterator[Path]:
    """The shared platform with a boundary file set, as a deployment would set it."""
    before = platform.settings
    path = boundaries(tmp_path)
    platform.settings = before.model_copy(update={"county_map": path})
    try:
        yield path
    finally:
        platform.settings = before


def test_without_a_file_the_page_draws_tiles_and_the_api_says_so(
    clients: dict[str, TestClient],
) -> None:
    page = clients["county"].get("/counties").text
    assert 'id="tiles"' in page and "data-map" not in page
    r = clients["county"].get("/api/map/counties.geojson")
    assert r.status_code == 404
    assert r.json() == error_body(
        404, "未设置区县边界文件（JINGXIN_COUNTY_MAP）：区县页显示示意图。", "no_map"
    )


def test_with_a_file_the_page_draws_each_countys_growth_on_its_boundary(
    clients: dict[str, TestClient], with_map: Path
) -> None:
    c = clients["county"]
    page = c.get("/counties").text
    assert 'data-map="/api/map/counties.geojson"' in page and 'id="tiles"' not in page
    options = json.loads(
        re.search(r'id="chart-county_map-options">(.*?)</script>', page, re.S).group(1)  # type: ignore[union-attr]
    )
    shown = {d["name"]: d["value"] for d in options["series"][0]["data"]}
    tiles = {t["name"]: t["growth_pct"] for t in c.get("/api/counties").json()["tiles"]}
    assert shown == tiles and len(shown) == 5
    geo = c.get("/api/map/counties.geojson").json()
    assert {f["properties"]["name"] for f in geo["features"]} == set(shown)
    assert "西湖区" not in json.dumps(geo, ensure_ascii=False)


def test_a_bad_file_leaves_the_tiles_and_tells_only_the_administrator_where(
    clients: dict[str, TestClient], platform: Platform, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.geojson"
    bad.write_text("{}", "utf-8")
    before = platform.settings
    platform.settings = before.model_copy(update={"county_map": bad})
    try:
        county = clients["county"].get("/counties").text
        admin = clients["admin"].get("/counties").text
        r = clients["county"].get("/api/map/counties.geojson")
    finally:
        platform.settings = before
    assert 'id="tiles"' in county and "区县边界文件有误" in county and str(bad) not in county
    assert str(bad) in admin
    assert r.status_code == 503 and str(bad) not in r.text
