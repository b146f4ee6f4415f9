"""The house's rules, checked on every test run (issue #10).

* The import layers and "only the store imports DuckDB" hold (import-linter, contracts in
  ``pyproject.toml``).
* Nothing outside ``store/`` touches the DuckDB connection or runs SQL: no ``.con``,
  ``.arrow(``, ``.execute(``, ``transaction(`` or whole-store ``.ibis``.
* No module is over 600 lines.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "jingxin"
STORE = PACKAGE / "store"

# What only the store may do with the database.
_ENGINE = re.compile(
    r"\.con\b|\.arrow\(|\.execute\(|\btransaction\(|\.ibis\b|^\s*(import|from) duckdb"
)


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def test_import_contracts_hold() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run(
        [str(lint), "--no-cache", str(ROOT / "pyproject.toml")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    broken = done.stdout[done.stdout.find("Broken contracts") :]
    assert done.returncode == 0, broken or done.stdout + done.stderr


def test_only_the_store_touches_the_database() -> None:
    hits = []
    for path in _modules():
        if STORE in path.parents:
            continue
        for n, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            code = line.split("#", 1)[0]
            if _ENGINE.search(code):
                hits.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert not hits, "SQL or the connection outside store/:\n" + "\n".join(hits)


def test_no_module_over_600_lines() -> None:
    big = {
        str(p.relative_to(ROOT)): n
        for p in _modules()
        if (n := len(p.read_text("utf-8").splitlines())) > 600
    }
    assert not big, big
