"""Compare generated text with a golden file under ``tests/snapshots/``.

A mismatch fails with a unified diff; ``pytest --snapshot-update`` rewrites the golden
file instead (review the change in the commit, as for code).
"""

from __future__ import annotations

import csv
import difflib
import io
import json
from pathlib import Path
from typing import Any

import pytest

__all__ = ["SNAPSHOTS", "assert_golden", "rounded_csv", "rounded_json"]

SNAPSHOTS = Path(__file__).parent
MAX_DIFF_LINES = 80


def rounded_json(text: str, decimals: int = 6) -> str:
    """JSON text with every float rounded to ``decimals`` places.

    Sums of floats may differ in their last bits from run to run (a parallel engine adds
    in any order), so full-precision floats are not compared.

    >>> rounded_json('{"a": 0.30000000000000004, "b": [1, "x"]}')
    '{\\n  "a": 0.3,\\n  "b": [\\n    1,\\n    "x"\\n  ]\\n}\\n'
    """

    def walk(x: Any) -> Any:
        if isinstance(x, float):
            return round(x, decimals) + 0.0
        if isinstance(x, list):
            return [walk(v) for v in x]
        if isinstance(x, dict):
            return {k: walk(v) for k, v in x.items()}
        return x

    return json.dumps(walk(json.loads(text)), ensure_ascii=False, indent=2) + "\n"


def _round_cell(cell: str, decimals: int) -> str:
    if "." not in cell and "e" not in cell:
        return cell
    try:
        x = float(cell)
    except ValueError:
        return cell
    return repr(round(x, decimals) + 0.0)


def rounded_csv(text: str, decimals: int = 6) -> str:
    """CSV text with every decimal number rounded to ``decimals`` places (see
    :func:`rounded_json`), written with ``\\n`` line ends.

    >>> rounded_csv("a,b\\r\\n5590.575600000001,x\\r\\n")
    'a,b\\n5590.5756,x\\n'
    """
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    for row in csv.reader(io.StringIO(text)):
        w.writerow([_round_cell(c, decimals) for c in row])
    return out.getvalue()


def assert_golden(config: pytest.Config, name: str, text: str) -> None:
    """Fail with a readable diff unless ``text`` equals the golden file ``name``."""
    path = SNAPSHOTS / name
    if config.getoption("--snapshot-update"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
        return
    if not path.exists():
        pytest.fail(f"no golden file {name}: run pytest --snapshot-update and review it")
    golden = path.read_text(encoding="utf-8")
    if text == golden:
        return
    diff = list(
        difflib.unified_diff(
            golden.splitlines(),
            text.splitlines(),
            f"golden/{name}",
            f"generated/{name}",
            lineterm="",
        )
    )
    shown = "\n".join(diff[:MAX_DIFF_LINES])
    more = f"\n… {len(diff) - MAX_DIFF_LINES} more diff lines" if len(diff) > MAX_DIFF_LINES else ""
    pytest.fail(
        f"{name} differs from its golden file (pytest --snapshot-update rewrites it):\n"
        f"{shown}{more}",
        pytrace=False,
    )
