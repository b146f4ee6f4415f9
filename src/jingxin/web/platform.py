"""The server's one store and its results cache: the web platform's state.

Deployment model: one server process owns the DuckDB file (DuckDB allows one writing
process); requests run on uvicorn's worker threads and take turns on the store through
:meth:`Platform.use`, a lock around the one connection. Page results are cached by
:class:`ViewCache`, whose key always carries the caller's :class:`~jingxin.store.Scope` and
the store's data version, so a county never receives a result computed for another scope
and no result outlives a change of the data it came from. ``docs/web.md`` says what changes
for several processes or machines.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeVar

from fastapi.encoders import jsonable_encoder

from jingxin.config import Settings
from jingxin.errors import JingxinError
from jingxin.store import Scope, Store
from jingxin.store.audit import now
from jingxin.store.users import Session, session_of
from jingxin.store.versions import data_version

__all__ = ["Job", "Platform", "ViewCache", "encode_json"]

T = TypeVar("T")
log = logging.getLogger("jingxin.web")


def encode_json(value: Any) -> bytes:
    """``value`` as the API's JSON body, encoded as FastAPI's ``JSONResponse`` would.

    >>> encode_json({"名称": "湖州", "n": 1.5})
    b'{"\\xe5\\x90\\x8d\\xe7\\xa7\\xb0":"\\xe6\\xb9\\x96\\xe5\\xb7\\x9e","n":1.5}'
    """
    return json.dumps(
        jsonable_encoder(value), ensure_ascii=False, allow_nan=False, separators=(",", ":")
    ).encode("utf-8")


class ViewCache:
    """A small LRU cache of computed views, keyed by (view, scope, parameters, data version).

    Examples
    --------
    >>> c = ViewCache(2)
    >>> c.get_or_compute(("overview", Scope.city(), (), 1), lambda: "city")
    'city'
    >>> c.get_or_compute(("overview", Scope.of("330522"), (), 1), lambda: "county")
    'county'
    >>> c.get_or_compute(("overview", Scope.city(), (), 1), lambda: "again")
    'city'
    """

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_compute(self, key: tuple[str, Scope, Hashable, int], compute: Callable[[], T]) -> T:
        """The cached value of ``key``, computing and keeping it when absent."""
        if not isinstance(key[1], Scope):
            raise TypeError("缓存键必须包含可见范围（Scope）。")
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                value: T = self._items[key]
                return value
        value = compute()
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value

    def clear(self) -> None:
        """Forget every cached value."""
        with self._lock:
            self._items.clear()


@dataclass
class Job:
    """A long computation in a thread of its own: running, done (with its result) or failed
    (with a sentence), or ``busy`` when another one is running."""

    status: Literal["running", "done", "failed", "busy"]
    result: Any = None
    message: str = ""
    error_status: int = 400  # of a failure: 400 for the platform's own errors, 500 for a bug


class Platform:
    """The store the server owns, the lock requests take turns on, and the caches.

    Reads go through :meth:`read`, changes through :meth:`write`. Because this process is
    the only one that can open the DuckDB file for writing, every change of the store passes
    through :meth:`write`, which forgets the remembered sessions and, for a change of data,
    bumps :attr:`generation`, which the cached data version, views and jobs key on: none
    outlives a change. (A change made outside :meth:`write` would not be seen until the next
    write: there is no other way to write.)
    """

    #: Seconds a session looked up in the store is trusted without asking the store again
    #: (its expiry and every change through the platform still end it at once).
    SESSION_SECONDS = 30.0

    def __init__(self, db_path: Path | str, settings: Settings) -> None:
        self.settings = settings
        self.db_path = Path(db_path)
        self.store = Store(db_path)
        self._lock = threading.RLock()
        self.cache = ViewCache()
        self.generation = 0  # bumped by every change the platform itself makes
        self._version: tuple[int, int] | None = None  # (generation, data version)
        self._sessions: dict[str, tuple[float, Session | None]] = {}
        self._jobs: dict[tuple[str, Hashable, int], Job] = {}
        self._threads: list[tuple[threading.Thread, Any]] = []

    def changed(self, *, data: bool = True) -> None:
        """Note a change made through the platform: remembered sessions are no longer
        current, and (unless ``data`` is false: a sign-in, a sign-out, an account) neither
        are the cached views, the data version and the jobs' results."""
        with self._lock:
            self._sessions.clear()
            if data:
                self.generation += 1
                self._version = None

    @contextmanager
    def read(self) -> Iterator[Store]:
        """The store, for one request's reads (one thread at a time)."""
        with self._lock:
            yield self.store

    @contextmanager
    def write(self, *, data: bool = True) -> Iterator[Store]:
        """The store, for one request's changes: the caches are stale afterwards, whether
        the change succeeded or failed part way. ``data=False`` for a change of sessions or
        accounts only, which leaves the views (they depend on no account) in the cache."""
        with self._lock:
            try:
                yield self.store
            finally:
                self.changed(data=data)

    def data_version(self) -> int:
        """The store's data version, asked of the store once per generation."""
        with self._lock:
            if self._version is None or self._version[0] != self.generation:
                self._version = (self.generation, data_version(self.store))
            return self._version[1]

    def session(self, token: str) -> Session | None:
        """The live session of a cookie's token (``None`` when there is none), remembered
        for :attr:`SESSION_SECONDS` until the next change and never past its expiry."""
        if not token or len(token) > 128:
            return None
        key = hashlib.sha256(token.encode()).hexdigest()
        clock = time.monotonic()
        with self._lock:
            hit = self._sessions.get(key)
            if (
                hit is not None
                and clock - hit[0] < self.SESSION_SECONDS
                and (hit[1] is None or hit[1].expires_at > now())
            ):
                return hit[1]
            session = session_of(self.store, token, self.settings.secret_key)
            if len(self._sessions) > 10_000:
                self._sessions.clear()
            self._sessions[key] = (clock, session)
            return session

    def view(self, name: str, scope: Scope, params: Hashable, compute: Callable[[Store], T]) -> T:
        """A view computed under ``scope``, from the cache while the data has not changed."""
        with self._lock:
            key = (name, scope, params, self.data_version() * 1_000_000 + self.generation)
            return self.cache.get_or_compute(key, lambda: compute(self.store))

    def view_json(
        self, name: str, scope: Scope, params: Hashable, compute: Callable[[Store], Any]
    ) -> bytes:
        """:meth:`view` encoded as JSON once, for the API (the encoding is cached too)."""
        with self._lock:
            key = (f"{name}.json", scope, params, self.data_version() * 1_000_000 + self.generation)
            return self.cache.get_or_compute(
                key, lambda: encode_json(self.view(name, scope, params, compute))
            )

    def background(self, name: str, params: Hashable, compute: Callable[[Any], Any]) -> Job:
        """The job computing ``compute(reader)`` over the whole city, started when there is
        none for ``(name, params)`` and the current data: its result is kept until the data
        change. ``compute`` gets :meth:`Store.reader`'s backend (its own connection), so a
        job of a minute does not hold the requests' lock. One job runs at a time (the
        machine's cores are the requests' too): another answers ``busy``."""
        with self._lock:
            key = (name, params, self.data_version() * 1_000_000 + self.generation)
            job = self._jobs.get(key)
            if job is not None:
                return job
            if any(j.status == "running" for j in self._jobs.values()):
                return Job("busy", message="另一项计算正在进行：请稍后再试。")
            self._jobs = {k: j for k, j in self._jobs.items() if k[:2] != key[:2]}
            job = self._jobs[key] = Job("running")
            reader = self.store.reader(Scope.city())

        def run() -> None:
            try:
                job.result = compute(reader)
                job.status = "done"
            except JingxinError as exc:
                job.message, job.status = str(exc), "failed"
            except Exception:  # the job's thread has no one else to tell
                log.exception("后台计算 %s 出错", name)
                job.message, job.error_status = "计算出错：请查看服务器日志。", 500
                job.status = "failed"
            finally:
                reader.disconnect()

        thread = threading.Thread(target=run, name=f"jingxin-{name}", daemon=True)
        self._threads.append((thread, reader))
        thread.start()
        return job

    def close(self) -> None:
        """Stop the jobs still running (their queries interrupted), then close the store: a
        connection cannot close while a cursor of it is running a query."""
        for thread, reader in self._threads:
            if thread.is_alive():
                Store.interrupt(reader)
                thread.join(timeout=60)
        with self._lock:
            self.store.close()
