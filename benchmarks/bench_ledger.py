"""The 用能权 ledger's throughput: transfers a second, one client and 32 at once.

    python benchmarks/bench_ledger.py                 # 2,000 transfers in process, 1,000 over HTTP
    python benchmarks/bench_ledger.py --transfers 5000 --http 2000

On copies of the city-size store (``web_stores.py``, cached under
``benchmarks/.data/web/``): 200 enterprises are allocated 10,000 tce each, then
transfers of 1 tce go round between them (each one applied once, its own id). In
process: ``energy.ledger.transfer`` from one thread, then from 32 threads. Over HTTP:
``jingxin serve`` on 127.0.0.1 and ``POST /api/energy/transfers``, signed in as the
analyst, from one connection, then from 32 connections (one thread each, keep-alive).
Every run ends with ``verify`` finding nothing. Prints transfers/s and, over HTTP, the
p50/p95 latency.
"""

from __future__ import annotations

import argparse
import http.client
import json
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from http.cookies import SimpleCookie
from pathlib import Path

from bench_web import serving
from web_stores import web_store

from jingxin.demo.accounts import DEMO_PASSWORD
from jingxin.energy.ledger import allocate, transfer, verify
from jingxin.store import Scope, Store

FIRMS = 200
CLIENTS = 32


def _prepare(path: Path) -> list[str]:
    store = Store(path)
    e = store.table("enterprise", Scope.city())
    firms = store.run(e.select("uscc").order_by("uscc").limit(FIRMS)).column("uscc").to_pylist()
    for uscc in firms:
        allocate(store, year=2016, to=uscc, tce=10_000, actor="bench")
    store.close()
    return firms


def _pair(firms: list[str], n: int) -> tuple[str, str]:
    return firms[n % len(firms)], firms[(n * 7 + 1) % len(firms)]


def _threads(total: int, workers: int, work: Callable[[int], None]) -> float:
    """Seconds to run ``work(n)`` for n in 0..total-1 split over ``workers`` threads."""
    chunks = [range(w, total, workers) for w in range(workers)]
    threads = [threading.Thread(target=lambda c=c: [work(n) for n in c]) for c in chunks]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - start


def in_process(path: Path, firms: list[str], total: int) -> None:
    store = Store(path)
    for label, workers, prefix in (("1 thread", 1, "P1"), (f"{CLIENTS} threads", CLIENTS, "P32")):

        def work(n: int, prefix: str = prefix) -> None:
            a, b = _pair(firms, n)
            transfer(store, id=f"{prefix}-{n}", source=a, to=b, tce=1, actor="bench")

        secs = _threads(total, workers, work)
        print(
            f"in process, {label:>10}: {total / secs:8,.0f} transfers/s ({total:,} in {secs:.1f} s)"
        )
    check = verify(store)
    assert not check.problems, check.problems
    print(f"  verify: {check.entries:,} entries, no problem")
    store.close()


def _login(host: str, port: int) -> tuple[str, str]:
    c = http.client.HTTPConnection(host, port, timeout=60)
    body = json.dumps({"username": "analyst", "password": DEMO_PASSWORD})
    c.request("POST", "/api/auth/login", body, {"Content-Type": "application/json"})
    r = c.getresponse()
    token = json.loads(r.read())["csrf_token"]
    cookie: SimpleCookie = SimpleCookie()
    for header in r.headers.get_all("Set-Cookie") or []:
        cookie.load(header)
    c.close()
    return cookie["jingxin_session"].value, token


def over_http(path: Path, firms: list[str], total: int) -> None:
    with serving(path) as base:
        host, port = base.removeprefix("http://").split(":")
        session, token = _login(host, int(port))
        headers = {
            "Content-Type": "application/json",
            "Cookie": f"jingxin_session={session}",
            "X-CSRF-Token": token,
        }
        local = threading.local()
        for label, workers, prefix in (
            ("1 client", 1, "H1"),
            (f"{CLIENTS} clients", CLIENTS, "H32"),
        ):
            times: list[float] = []

            def work(n: int, prefix: str = prefix, times: list[float] = times) -> None:
                if not hasattr(local, "c"):
                    local.c = http.client.HTTPConnection(host, int(port), timeout=120)
                a, b = _pair(firms, n)
                body = json.dumps({"id": f"{prefix}-{n}", "from": a, "to": b, "tce": 1})
                start = time.perf_counter()
                local.c.request("POST", "/api/energy/transfers", body, headers)
                r = local.c.getresponse()
                r.read()
                times.append((time.perf_counter() - start) * 1000)
                if r.status != 201:
                    sys.exit(f"POST → {r.status}")

            secs = _threads(total, workers, work)
            q = statistics.quantiles(times, n=100)
            print(f"over HTTP,  {label:>10}: {total / secs:8,.0f} transfers/s, "
                  f"p50 {q[49]:.1f} ms, p95 {q[94]:.1f} ms")  # fmt: skip
            local.__dict__.clear()
    store = Store(path, read_only=True)
    check = verify(store)
    store.close()
    assert not check.problems, check.problems
    print(f"  verify: {check.entries:,} entries, no problem")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--transfers", type=int, default=2000, help="transfers in process, per run")
    p.add_argument("--http", type=int, default=1000, help="transfers over HTTP, per run")
    args = p.parse_args()
    db, _ = web_store("city")
    with tempfile.TemporaryDirectory() as tmp:
        for name in ("process", "http"):
            shutil.copy(db, Path(tmp) / f"{name}.duckdb")
        firms = _prepare(Path(tmp) / "process.duckdb")
        _prepare(Path(tmp) / "http.duckdb")
        in_process(Path(tmp) / "process.duckdb", firms, args.transfers)
        over_http(Path(tmp) / "http.duckdb", firms, args.http)


if __name__ == "__main__":
    main()
