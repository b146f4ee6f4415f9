"""Web API under load: wrk against ``jingxin serve`` at city and province size.

    python benchmarks/bench_web.py                        # city and province, 15 s a load
    python benchmarks/bench_web.py --sizes city --duration 10 --connections 32

For each size (stores from ``web_stores.py``, cached under ``benchmarks/.data/web/``):
``jingxin serve`` runs in a subprocess on 127.0.0.1; the benchmark signs in as the analyst
(the whole city) and, for every endpoint, times one request on a fresh server (``first``: the
view is computed; later identical requests come from the server's view cache), then loads it
with ``wrk -t2 -c32 -d15s --latency`` for the duration. Endpoints: a static file (the
baseline, the floor of any answer), the overview, the counties, an enterprise search and an
enterprise profile, each one URL asked again and again; then the same search over 300
different sorts and pages, and profiles of 300 different enterprises, which the cache cannot
answer (more distinct views than it keeps). The goal of the issue: p95 < 100 ms at city size
and < 300 ms at province size for 32 concurrent clients. The results are printed as a table
and written to ``benchmarks/.data/bench_web.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from http.cookies import SimpleCookie
from pathlib import Path
from typing import IO, Any

from scale_data import DATA_DIR
from web_stores import web_store
from wrk_runner import WrkMissing, require_wrk, run_wrk

from jingxin.demo.accounts import DEMO_PASSWORD

HOST = "127.0.0.1"
COUNTY = "330522"  # 长兴县: in the demo city and in the province
GOAL_MS = {"city": 100.0, "province": 300.0}  # p95, 32 concurrent clients
SORTS = ("value_added", "growth", "revenue", "land_mu", "name")
RESULTS = DATA_DIR / "bench_web.json"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def _wait_until_up(base: str, proc: subprocess.Popen[bytes], log: IO[bytes]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            log.seek(0)
            sys.exit(
                f"jingxin serve 未能启动 / did not start:\n{log.read().decode(errors='replace')}"
            )
        try:
            with urllib.request.urlopen(f"{base}/static/app.css", timeout=2):  # noqa: S310
                return
        except OSError:
            time.sleep(0.3)
    sys.exit("jingxin serve 两分钟内没有响应 / did not answer within two minutes")


@contextmanager
def serving(db: Path) -> Iterator[str]:
    """``jingxin serve --db db`` on a free port; its base URL."""
    port = free_port()
    cmd = [sys.executable, "-m", "jingxin.cli", "serve", "--db", str(db)]
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(  # noqa: S603
            [*cmd, "--host", HOST, "--port", str(port)], stdout=log, stderr=subprocess.STDOUT
        )
        try:
            _wait_until_up(f"http://{HOST}:{port}", proc, log)
            yield f"http://{HOST}:{port}"
        finally:
            proc.terminate()
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def sign_in(base: str, username: str = "analyst") -> str:
    """The session cookie of ``username`` (POST /api/auth/login)."""
    body = json.dumps({"username": username, "password": DEMO_PASSWORD}).encode()
    req = urllib.request.Request(  # noqa: S310
        f"{base}/api/auth/login", body, {"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(req, timeout=30) as r:  # noqa: S310
        cookie: SimpleCookie = SimpleCookie()
        for header in r.headers.get_all("Set-Cookie") or []:
            cookie.load(header)
    return cookie["jingxin_session"].value


def get(base: str, path: str, cookie: str) -> tuple[Any, float]:
    """GET ``path`` signed in; the decoded JSON (or bytes) and the milliseconds it took."""
    req = urllib.request.Request(f"{base}{path}", headers={"Cookie": f"jingxin_session={cookie}"})  # noqa: S310
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(req, timeout=120) as r:  # noqa: S310
            data = r.read()
            kind = r.headers.get("Content-Type", "")
    except urllib.error.HTTPError as exc:
        sys.exit(f"GET {path} → {exc.code}: {exc.read().decode(errors='replace')}")
    ms = (time.perf_counter() - start) * 1000
    return (json.loads(data) if kind.startswith("application/json") else data), ms


def endpoints(base: str, cookie: str) -> tuple[list[tuple[str, str | list[str]]], int]:
    """The loads of one size (name, path or paths to cycle through), and the city's
    enterprise count. The searches' answers name the real enterprises the profiles ask for."""
    search = f"/api/enterprises?region={COUNTY}&sort=growth"
    found, _ = get(base, f"/api/enterprises?region={COUNTY}&size=300", cookie)
    usccs = [i["uscc"] for i in found["items"]]
    total = get(base, "/api/enterprises?size=1", cookie)[0]["total"]
    pages = [
        f"{search.replace('sort=growth', 'sort=' + s)}&order={o}&page={p}"
        for s in SORTS
        for o in ("desc", "asc")
        for p in range(1, 31)
    ]
    loads: list[tuple[str, str | list[str]]] = [
        ("static file", "/static/app.css"),
        ("overview", "/api/overview"),
        ("counties", "/api/counties"),
        ("search", search),
        ("profile", f"/api/enterprises/{usccs[0]}"),
        ("search ×300", pages),
        ("profile ×300", [f"/api/enterprises/{u}" for u in usccs]),
    ]
    return loads, int(total)


def run_size(size: str, args: argparse.Namespace) -> list[dict[str, Any]]:
    db, built = web_store(size)
    how = f"built in {built:.0f} s" if built else "reused"
    print(f"{size}: store {how} ({db.name})", flush=True)
    rows = []
    with serving(db) as base:
        cookie = sign_in(base)
        loads, total = endpoints(base, cookie)
        headers = {"Cookie": f"jingxin_session={cookie}"}
        # Before any load, so that no backlog of an earlier load is in the way.
        first = {n: get(base, t if isinstance(t, str) else t[-1], cookie)[1] for n, t in loads}
        for name, target in loads:
            paths = target if isinstance(target, list) else None
            url = base + (target if isinstance(target, str) else "/")
            load_before = os.getloadavg()[0]
            result, _ = run_wrk(
                url,
                headers,
                threads=args.threads,
                connections=args.connections,
                duration=args.duration,
                paths=paths,
            )
            rows.append(
                {"size": size, "enterprises": total, "endpoint": name}
                | {"first_ms": round(first[name], 1), "loadavg_before": load_before}
                | result.as_dict()
            )
            print(
                f"  {name}: {result.rps:.0f} req/s, p95 {result.latency_ms.get('95')} ms",
                flush=True,
            )
            time.sleep(args.pause)  # let the server finish the load's last requests
    return rows


def _verdict(row: dict[str, Any]) -> str:
    if row["endpoint"] == "static file":
        return "baseline"
    if row["non_2xx"] or any(row["errors"].values()):
        return "errors"
    return "met" if row["latency_ms"]["95"] < GOAL_MS[row["size"]] else "missed"


def print_table(rows: list[dict[str, Any]], args: argparse.Namespace) -> None:
    head = (
        f"{'size':<9}{'enterpr.':>9}  {'endpoint':<14}{'first':>9}{'req/s':>7}{'p50':>11}"
        f"{'p90':>11}{'p95':>11}{'p99':>11}{'×static':>9}{'errors':>7}{'load':>6}  goal p95"
    )
    print(head)
    base = {r["size"]: r for r in rows if r["endpoint"] == "static file"}
    for r in rows:
        lat = r["latency_ms"]
        errors = r["non_2xx"] + sum(r["errors"].values())
        ratio = base[r["size"]]["rps"] / r["rps"] if r["rps"] else float("inf")
        print(
            f"{r['size']:<9}{r['enterprises']:>9,}  {r['endpoint']:<14}{r['first_ms']:>7.0f}ms"
            f"{r['rps']:>7.0f}"
            + "".join(f"{lat[p]:>9.1f}ms" for p in ("50", "90", "95", "99"))
            + f"{ratio:>8.1f}×{errors:>7}{r['loadavg_before']:>6.1f}  "
            + f"{_verdict(r)} (<{GOAL_MS[r['size']]:.0f} ms)"
        )
    print(
        f"wrk -t{args.threads} -c{args.connections} -d{args.duration}s --latency, signed in as "
        "the analyst; first = one request on a fresh server (the view computed, not cached); "
        "×static = the static file's requests/s over the endpoint's; ×300 = 300 different "
        "URLs in turn (the view cache cannot hold them); p95 from wrk's histogram (Lua done "
        "hook); load = the machine's 1-minute load average before the run. Goal of the issue: p95 < 100 ms (city), < 300 ms (province), 32 clients."
    )


def main() -> None:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--sizes", default="city,province", help="comma-separated: city,province")
    p.add_argument("--threads", type=int, default=2, help="wrk threads (-t)")
    p.add_argument("--connections", type=int, default=32, help="concurrent clients (-c)")
    p.add_argument("--duration", type=int, default=15, help="seconds of each load (-d)")
    p.add_argument("--pause", type=float, default=10, help="seconds between loads")
    args = p.parse_args()
    try:
        require_wrk()
    except WrkMissing as exc:
        sys.exit(str(exc))
    sizes = [s for s in args.sizes.split(",") if s]
    unknown = [s for s in sizes if s not in GOAL_MS]
    if unknown:
        p.error(f"unknown size {unknown!r}; choose from {sorted(GOAL_MS)}")
    rows = [r for s in sizes for r in run_size(s, args)]
    print_table(rows, args)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    machine = {"cores": os.cpu_count(), "platform": platform.platform(), "python": sys.version}
    params = {"threads": args.threads, "connections": args.connections, "duration_s": args.duration}
    payload = {"machine": machine, "wrk": params, "goal_p95_ms": GOAL_MS, "results": rows}
    RESULTS.write_text(json.dumps(payload, ensure_ascii=False, indent=2), "utf-8")
    print(f"results: {RESULTS.relative_to(Path(__file__).parent.parent)}")


if __name__ == "__main__":
    main()
