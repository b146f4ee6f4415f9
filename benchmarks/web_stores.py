"""Store files for the web benchmark (``bench_web.py``): the demo city and a province.

* ``city``: the demo, as ``jingxin demo`` makes it (``run_demo``: department files through
  ingest, both years' cubes, the evaluation, the reports, the demo accounts).
* ``province``: a province's count of enterprises served by one city's platform: the
  Parquet files of ``scale_data.py``'s ``province-city`` size (≈ 50,000 enterprises, as in
  its ``province``, but in 湖州市's five counties: the platform serves one city, and its
  overview and counties refuse a store holding several cities' enterprises) bulk-loaded as
  ``bench_scale.py`` does, the cubes of the last two years computed, and the demo accounts.
  It has the statistics, electricity, PPI and peer figures, but no investment, targets,
  pools or evaluation.

Both are cached under ``benchmarks/.data/web/`` (gitignored) and rebuilt when the recipe's
``VERSION`` changes or the file is missing.
"""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path

from bench_scale import load_store
from scale_data import DATA_DIR, YEARS, ensure

from jingxin.config import get_settings
from jingxin.demo.accounts import create_demo_accounts
from jingxin.demo.run import run_demo
from jingxin.demo.targets import load_targets
from jingxin.indicators import compute_cube

__all__ = ["WEB_DIR", "web_store"]

VERSION = 2  # bump when the recipe changes, to rebuild cached stores
WEB_DIR = DATA_DIR / "web"


def _build_city(db: Path) -> None:
    targets = load_targets()
    with tempfile.TemporaryDirectory(prefix="bench-web-") as out:
        run_demo(targets, get_settings().seed, db, Path(out), "bench_web")


def _build_province(db: Path) -> None:
    store = load_store(ensure("province-city"), db)
    try:
        for year in YEARS[-2:]:
            compute_cube(store, year)
        create_demo_accounts(store, "bench")
    finally:
        store.close()


BUILDERS = {"city": _build_city, "province": _build_province}


def web_store(size: str, base: Path = WEB_DIR) -> tuple[Path, float | None]:
    """The store file of ``size`` and the seconds it took to build (None: reused)."""
    base.mkdir(parents=True, exist_ok=True)
    db = base / f"{size}.duckdb"
    meta = base / f"{size}.json"
    want = {"version": VERSION, "size": size}
    if db.is_file() and meta.is_file() and json.loads(meta.read_text("utf-8")) == want:
        return db, None
    meta.unlink(missing_ok=True)
    building = base / f"{size}.building.duckdb"
    for f in (db, building):
        f.unlink(missing_ok=True)
        Path(f"{f}.wal").unlink(missing_ok=True)
    start = time.perf_counter()
    BUILDERS[size](building)
    building.replace(db)
    meta.write_text(json.dumps(want), "utf-8")
    return db, time.perf_counter() - start
