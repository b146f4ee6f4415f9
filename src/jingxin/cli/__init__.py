"""The ``jingxin`` command line: one Typer app assembled from one module per area.

``common`` holds what every command shares (options, opening the store, the error guard);
``demo``, ``compute`` (the cube, reports, check, info), ``ingest`` (department files),
``files`` (the files held, restoring a superseded one), ``evaluation`` (亩均效益), ``pools``
(enterprise pools), ``energy`` (the 用能权 ledger), ``store`` (backup, restore) and ``web`` (serving the platform, its
users) each hold their commands. Stage packages
never import this one.
"""

from __future__ import annotations

import typer

from jingxin.cli import compute, demo, energy, evaluation, files, grid, ingest, pools, store, web

__all__ = ["app", "main"]

app = typer.Typer(
    help="经信：工业经济监测、企业评价与报告平台。",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
for area in (demo, compute, ingest, files, evaluation, pools, energy, store, web):
    app.add_typer(area.app)
_ = grid  # imported for its commands, which it registers on the energy group


def main() -> None:  # pragma: no cover - console entry for python -m jingxin.cli
    """Run the command line."""
    app()
