"""Run wrk (the HTTP load generator) and read its ``--latency`` report.

``run_wrk`` runs one load and returns a :class:`WrkResult`: requests per second, the latency
distribution wrk prints (50/75/90/99 %), p95 (printed by a small Lua ``done`` hook, since
``--latency`` has no 95 % line), errors and non-2xx answers. With ``paths`` the Lua
``request`` hook cycles through those paths instead of asking for one URL.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["WrkMissing", "WrkResult", "parse_wrk", "require_wrk", "run_wrk"]

UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3, "h": 3600e3}
_DURATION = r"([\d.]+)(us|ms|s|m|h)"
# Each wrk thread has its own Lua state: ``setup`` gives each a different starting point, so
# that two threads do not ask for the same path at the same moment.
LUA = """
local threads = 0
function setup(thread)
  thread:set("start", threads)
  threads = threads + 1
end
{paths}
function done(summary, latency, requests)
  io.write(string.format("p95 %dus\\n", latency:percentile(95)))
end
"""
LUA_PATHS = """
paths = {{{items}}}
local i = nil
function request()
  if i == nil then i = (start * 7919) % #paths end
  i = i % #paths + 1
  return wrk.format(nil, paths[i])
end
"""


class WrkMissing(RuntimeError):
    """wrk is not installed."""


@dataclass
class WrkResult:
    """One wrk run; latencies in milliseconds."""

    requests: int
    seconds: float
    rps: float
    latency_ms: dict[str, float] = field(default_factory=dict)  # "50", "75", "90", "95", "99"
    errors: dict[str, int] = field(default_factory=dict)  # connect, read, write, timeout
    non_2xx: int = 0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def require_wrk() -> str:
    """The path of wrk, or a plain message saying how to install it."""
    found = shutil.which("wrk")
    if found is None:
        raise WrkMissing(
            "未找到 wrk（HTTP 压测工具）：请先安装，例如 sudo apt-get install wrk。\n"
            "wrk (the HTTP load generator) was not found: install it, e.g. sudo apt-get install wrk."
        )
    return found


def _ms(value: str, unit: str) -> float:
    return float(value) * UNITS[unit]


def parse_wrk(text: str) -> WrkResult:
    """Read the report of ``wrk --latency`` (and the p95 line of the ``done`` hook).

    >>> r = parse_wrk(EXAMPLE)
    >>> r.requests, r.rps, r.latency_ms, r.errors["timeout"], r.non_2xx
    (47210, 3146.2, {'50': 9.8, '75': 10.5, '90': 12.1, '99': 1500.0, '95': 14.2}, 3, 5)
    """
    dist: dict[str, float] = {}
    for pct, value, unit in re.findall(rf"^\s+(50|75|90|99)%\s+{_DURATION}\s*$", text, re.M):
        dist[pct] = round(_ms(value, unit), 3)
    p95 = re.search(r"^p95 (\d+)us$", text, re.M)
    if p95:
        dist["95"] = round(int(p95.group(1)) / 1000, 3)
    done = re.search(rf"(\d+) requests in {_DURATION}", text)
    rps = re.search(r"Requests/sec:\s+([\d.]+)", text)
    if not (done and rps and {"50", "90", "99"} <= dist.keys()):
        raise ValueError(f"wrk 的输出无法解析 / cannot read wrk's output:\n{text}")
    errors = {"connect": 0, "read": 0, "write": 0, "timeout": 0}
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    if sock:
        errors = dict(zip(errors, map(int, sock.groups()), strict=True))
    non = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    return WrkResult(
        requests=int(done.group(1)),
        seconds=round(_ms(done.group(2), done.group(3)) / 1000, 3),
        rps=float(rps.group(1)),
        latency_ms=dist,
        errors=errors,
        non_2xx=int(non.group(1)) if non else 0,
    )


def run_wrk(
    url: str,
    headers: dict[str, str],
    *,
    threads: int,
    connections: int,
    duration: int,
    timeout: int = 30,
    paths: list[str] | None = None,
) -> tuple[WrkResult, str]:
    """Load ``url`` (or cycle through ``paths`` on its host); the result and wrk's report."""
    wrk = require_wrk()
    items = ", ".join(f'"{p}"' for p in paths or [])
    lua = LUA.format(paths=LUA_PATHS.format(items=items) if paths else "")
    with tempfile.TemporaryDirectory(prefix="bench-wrk-") as d:
        script = Path(d) / "hooks.lua"
        script.write_text(lua, "utf-8")
        cmd = [wrk, f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency"]
        cmd += ["--timeout", f"{timeout}s", "-s", str(script)]
        for k, v in headers.items():
            cmd += ["-H", f"{k}: {v}"]
        out = subprocess.run(  # noqa: S603
            [*cmd, url], capture_output=True, text=True, check=True, timeout=duration + 120
        ).stdout
    return parse_wrk(out), out


EXAMPLE = """Running 15s test @ http://127.0.0.1:8000/api/overview
  2 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    10.20ms    2.00ms   1.50s    90.00%
    Req/Sec     1.57k   100.00     1.80k    70.00%
  Latency Distribution
     50%    9.80ms
     75%   10.50ms
     90%   12.10ms
     99%    1.50s
  47210 requests in 15.01s, 10.00MB read
  Socket errors: connect 0, read 0, write 0, timeout 3
  Non-2xx or 3xx responses: 5
Requests/sec:   3146.20
Transfer/sec:      0.67MB
p95 14200us
"""
