"""The demo's text outputs against golden files: the annual summary, a bulletin, the
evaluation CSV, generated from the shared demo store (``pytest --snapshot-update`` rewrites
them; review the diff)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from jingxin.evaluation.workflow import latest_run, read_results
from jingxin.reports import write_annual
from jingxin.reports.bulletin import write_bulletin
from jingxin.reports.evaluation import write_csv
from jingxin.store import Scope, Store
from tests.snapshots.golden import assert_golden, rounded_csv, rounded_json

YEAR = 2016
CITY = Scope.city()
# When the store was built is not part of the golden text.
_AS_OF = re.compile(r"数据截至 \d{4}-\d{2}-\d{2} \d{2}:\d{2}")


def _timeless(text: str) -> str:
    return _AS_OF.sub("数据截至 YYYY-MM-DD HH:MM", text)


def test_annual_summary(demo_store: Store, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    files = write_annual(demo_store, YEAR, tmp_path, CITY)
    assert_golden(
        request.config, f"demo/annual-{YEAR}.md", _timeless(files.markdown.read_text("utf-8"))
    )


def test_bulletin(demo_store: Store, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    files = write_bulletin(demo_store, f"{YEAR}-12", tmp_path, CITY)
    assert_golden(
        request.config,
        f"demo/bulletin-{YEAR}-12.md",
        _timeless(files.markdown.read_text("utf-8")),
    )
    assert_golden(
        request.config,
        f"demo/bulletin-{YEAR}-12.json",
        _timeless(rounded_json(files.json.read_text("utf-8"))),
    )


def test_evaluation_csv(demo_store: Store, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    run = latest_run(demo_store, YEAR)
    results, items = read_results(demo_store, run.id, CITY)
    # The CSV ``jingxin demo`` writes beside evaluation-YEAR.xlsx (``write_outputs``).
    path = write_csv(tmp_path / f"evaluation-{YEAR}.csv", results, items, run.method)
    text = path.read_text("utf-8-sig")
    assert_golden(request.config, f"demo/evaluation-{YEAR}.csv", rounded_csv(text))
