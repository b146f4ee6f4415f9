"""The enterprise profile's work alone, without HTTP: new profiles one after another.

    python benchmarks/bench_profile.py                   # city size, 50 enterprises
    python benchmarks/bench_profile.py --size province --count 100

Opens the size's store (``web_stores.py``, cached under ``benchmarks/.data/web/``)
read-only, picks ``--count`` enterprises at random (seed 1), warms the prepared reads on one
other enterprise, then times ``views.enterprises.profile`` for each in the city's scope and
in the enterprise's county's scope. Prints milliseconds per profile. Run it from a worktree
of an older commit (``PYTHONPATH=…/src``) for the baseline side by side.
"""

from __future__ import annotations

import argparse
import random
import time

from web_stores import web_store

from jingxin.store import Scope, Store
from jingxin.web.views.enterprises import profile


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--size", default="city", help="city or province")
    p.add_argument("--count", type=int, default=50, help="enterprises to profile")
    args = p.parse_args()
    db, _ = web_store(args.size)
    store = Store(db, read_only=True)
    firms = store.run(store.table("enterprise", Scope.city()).select("uscc", "region_code"))
    chosen = random.Random(1).sample(firms.to_pylist(), args.count + 1)
    warm, chosen = chosen[0], chosen[1:]
    for scope_of in (lambda f: Scope.city(), lambda f: Scope.of(f["region_code"])):
        profile(store, scope_of(warm), warm["uscc"])
    for label, scope_of in (
        ("city", lambda f: Scope.city()),
        ("county", lambda f: Scope.of(f["region_code"])),
    ):
        start = time.perf_counter()
        for f in chosen:
            profile(store, scope_of(f), f["uscc"])
        ms = (time.perf_counter() - start) / len(chosen) * 1000
        print(f"{args.size} {label:6} scope: {ms:6.1f} ms per new profile ({len(chosen)} firms)")
    store.close()


if __name__ == "__main__":
    main()
