"""Documentation stays true: the reference pages and the README's settings table are what
``scripts/gen_docs.py`` makes from the code now, and the README lists every command."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

import pytest
import typer.main

from jingxin.cli import app
from jingxin.config import Settings

ROOT = Path(__file__).resolve().parents[1]


def _gen_docs() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_docs", ROOT / "scripts" / "gen_docs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


gen_docs = _gen_docs()


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    rendered: dict[str, str] = gen_docs.render()
    return rendered


@pytest.mark.parametrize("path", list(gen_docs.PAGES))
def test_generated_docs_are_up_to_date(pages: dict[str, str], path: str) -> None:
    assert path not in gen_docs.stale({path: pages[path]}), (
        f"{path} differs from what scripts/gen_docs.py makes from the code now: run `make docs` "
        "and commit the result."
    )


def test_cli_reference_has_every_command(pages: dict[str, str]) -> None:
    paths = list(gen_docs.command_paths(typer.main.get_command(app)))
    assert len(paths) > 30  # the walk reached the sub-commands
    for path in paths:
        assert f"## `{' '.join(('jingxin', *path))}`" in pages["docs/reference/cli.md"], path


def test_readme_command_table_lists_every_command() -> None:
    section = (ROOT / "README.md").read_text("utf-8").split("## Commands", 1)[1]
    rows = [line for line in section.split("\n## ", 1)[0].splitlines() if line.startswith("| `")]
    root = typer.main.get_command(app)
    for name, command in root.commands.items():  # type: ignore[attr-defined]
        row = [r for r in rows if re.match(rf"\| `jingxin {name}\b", r)]
        assert row, f"README's command table lacks `jingxin {name}`"
        for sub in getattr(command, "commands", {}):
            word = re.compile(rf"`[^`]*\b{sub}\b[^`]*`")
            assert any(word.search(r) for r in row), f"README lacks `jingxin {name} {sub}`"


def test_every_setting_is_documented_in_readme() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    for name, field in Settings.model_fields.items():
        assert f"`JINGXIN_{name.upper()}`" in readme, name
        assert field.description and field.description in readme, name


def test_readme_quick_start_is_two_commands() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    block = readme.split("## Quick start", 1)[1].split("```bash", 1)[1].split("```", 1)[0]
    commands = [line for line in block.strip().splitlines() if line.strip()]
    assert [c.split("#")[0].strip() for c in commands] == [
        "bash scripts/demo.sh",
        "bash scripts/test.sh",
    ]
