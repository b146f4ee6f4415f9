"""``jingxin template KIND`` writes a workbook that imports as it stands: the header is
recognised, the note row is skipped and the example row loads (after the register's own
example, for kinds that name an enterprise)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from jingxin.cli import app
from jingxin.ingest import KINDS, Reason, import_file
from jingxin.store import Store
from tests.ingest.helpers import errors

runner = CliRunner()


@pytest.fixture(scope="module")
def templates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("templates")
    paths = {}
    for key in KINDS:
        path = out / f"{key}.xlsx"
        result = runner.invoke(app, ["template", key, "--out", str(path)])
        assert result.exit_code == 0, result.output
        paths[key] = path
    return paths


@pytest.mark.parametrize("key", list(KINDS))
def test_template_has_headers_note_and_example(templates: dict[str, Path], key: str) -> None:
    kind = KINDS[key]
    wb = openpyxl.load_workbook(templates[key])
    try:
        ws = wb.worksheets[0]
        header = [c.value for c in ws[1]]
        notes = [c.value for c in ws[2]]
        example = [c.value for c in ws[3]]
    finally:
        wb.close()
    for col in kind.required:
        assert col.header() in header, col.key
    assert all(isinstance(n, str) and n.startswith(("必填", "选填")) for n in notes)
    assert any(v is not None for v in example)


@pytest.mark.parametrize("key", list(KINDS))
def test_template_imports_as_it_stands(
    templates: dict[str, Path], tmp_path: Path, key: str
) -> None:
    """Each into its own store: the emission and mujun examples both hold the same firm's
    2016 emissions, which would rightly conflict in one store."""
    store = Store(tmp_path / "t.duckdb")
    try:
        firsts = ("register", "grid_account")[: 0 if key == "register" else 2]
        if key == "project_progress":
            firsts += ("project",)  # a progress report names a listed project
        for first in firsts:
            done = import_file(store, first, templates[first])
            assert done.status in ("loaded", "repeated"), errors(done)
        report = import_file(store, key, templates[key])
    finally:
        store.close()
    bad = {Reason.MISSING_COLUMN, Reason.WRONG_KIND, Reason.TYPE, Reason.AMBIGUOUS_COLUMN}
    assert not {i.reason for i in report.issues} & bad, errors(report)
    if key == "grid_account":
        assert report.status == "repeated"  # imported just before, as a prerequisite
        return
    assert report.status == "loaded", errors(report)
    assert report.issues == [], errors(report)
    assert sum(report.rows.values()) >= 1


def test_template_of_an_enterprise_kind_without_register_only_lacks_the_enterprise(
    templates: dict[str, Path], tmp_path: Path
) -> None:
    store = Store(tmp_path / "empty.duckdb")
    try:
        report = import_file(store, "stats_monthly", templates["stats_monthly"])
    finally:
        store.close()
    assert report.status == "rejected"
    assert [(i.reason, i.row) for i in report.issues] == [(Reason.UNKNOWN_ENTERPRISE, 3)]
