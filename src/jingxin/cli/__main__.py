"""``python -m jingxin.cli``."""

from __future__ import annotations

from jingxin.cli import main

main()
