"""Documentation stays true: every setting is in the README's settings table."""

from __future__ import annotations

from pathlib import Path

from jingxin.config import Settings

ROOT = Path(__file__).resolve().parents[1]


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
