"""The counties' boundaries for the counties page's map, from a GeoJSON file the deployment
supplies (``JINGXIN_COUNTY_MAP``).

The repository holds no boundary data: its licence would be unclear, and a bureau has its
own from the natural resources bureau's 标准地图. Without a file the page draws a schematic
tile map. The file is checked when it is first read, and every problem is a Chinese
:class:`~jingxin.errors.ConfigError` naming the file and the feature: a map drawn from a
file that was read wrongly would put a county's figure on its neighbour.

Each feature is matched to one of the city's counties by a code property (``adcode``,
``code``, ``region_code``, ``区划代码``; the 6-digit GB/T 2260 code) or, failing that, by a
name property (``name``, ``NAME``, ``区县``, ``名称``) equal to the county's name. Features of
other places (a province's file) are left out. The answer keeps only the geometry and
``{"name", "code"}`` properties, so the chart's data, keyed by the county's name, lands on
its own polygon.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from jingxin.errors import ConfigError

__all__ = ["MAX_BYTES", "county_map"]

MAX_BYTES = 50 * 1024 * 1024  # a county-level boundary file is a few MB
CODE_KEYS = ("adcode", "code", "region_code", "区划代码")
NAME_KEYS = ("name", "NAME", "区县", "名称")
GEOMETRIES = {"Polygon", "MultiPolygon"}


def _fail(path: Path, problem: str) -> ConfigError:
    return ConfigError(f"区县边界文件 {path}（JINGXIN_COUNTY_MAP）{problem}")


def _county(props: dict[str, Any], counties: dict[str, str]) -> str | None:
    """The county code a feature's properties name, if it is one of ``counties``."""
    for key in CODE_KEYS:
        value = props.get(key)
        if value is not None and str(value).strip() in counties:
            return str(value).strip()
    by_name = {name: code for code, name in counties.items()}
    for key in NAME_KEYS:
        value = props.get(key)
        if value is not None and str(value).strip() in by_name:
            return by_name[str(value).strip()]
    return None


def county_map(path: Path, counties: dict[str, str]) -> dict[str, Any]:
    """The city's counties (``{code: name}``) as a GeoJSON FeatureCollection read from
    ``path``, with a ``missing`` list of the counties the file has no boundary for.

    Raises
    ------
    ConfigError
        When the file is missing, too large, not GeoJSON, has a feature without a polygon,
        names a county twice, or holds none of the city's counties.
    """
    try:
        size = path.stat().st_size
    except OSError:
        raise _fail(path, "不存在或无法读取。") from None
    if size > MAX_BYTES:
        raise _fail(
            path, f"有 {size / 1024 / 1024:.0f} MB，超过 {MAX_BYTES // 1024 // 1024} MB 上限。"
        )
    try:
        data = json.loads(path.read_bytes())
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _fail(path, f"不是有效的 GeoJSON（JSON 格式错误：{exc}）。") from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise _fail(path, "应为 GeoJSON 的 FeatureCollection（type 为 FeatureCollection）。")
    features = data.get("features")
    if not isinstance(features, list):
        raise _fail(path, "缺少 features 列表。")
    kept: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for i, f in enumerate(features, start=1):
        if not isinstance(f, dict):
            raise _fail(path, f"第 {i} 个要素（feature）不是对象。")
        props = f.get("properties") or {}
        if not isinstance(props, dict):
            raise _fail(path, f"第 {i} 个要素的 properties 不是对象。")
        code = _county(props, counties)
        if code is None:
            continue  # another place: a province's or the whole country's file
        geometry = f.get("geometry")
        if not isinstance(geometry, dict) or geometry.get("type") not in GEOMETRIES:
            raise _fail(
                path, f"第 {i} 个要素（{counties[code]}）应有 Polygon 或 MultiPolygon 边界。"
            )
        if not isinstance(geometry.get("coordinates"), list):
            raise _fail(path, f"第 {i} 个要素（{counties[code]}）的边界缺少坐标（coordinates）。")
        if code in seen:
            raise _fail(
                path,
                f"第 {seen[code]} 个和第 {i} 个要素都是{counties[code]}：每个区县应只有一个要素。",
            )
        seen[code] = i
        kept.append(
            {
                "type": "Feature",
                "properties": {"name": counties[code], "code": code},
                "geometry": geometry,
            }
        )
    if not kept:
        names = "、".join(counties.values())
        raise _fail(
            path,
            f"中没有本市任何区县的边界（{names}）：要素应有 adcode（6 位区划代码）或 name（区县名称）属性。",
        )
    missing = [name for code, name in counties.items() if code not in seen]
    return {"type": "FeatureCollection", "features": kept, "missing": missing}
