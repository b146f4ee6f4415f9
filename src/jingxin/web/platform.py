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
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from fastapi.encoders import jsonable_encoder

from jingxin.config import Settings
from jingxin.store import Scope, Store
from jingxin.store.audit import now
from jingxin.store.users import Session, session_of
from jingxin.store.versions import data_version

__all__ = ["Platform", "ViewCache", "encode_json"]

T = TypeVar("T")


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


class Platform:
    """The store the server owns, the lock requests take turns on, and the caches.

    Reads go through :meth:`read`, changes through :meth:`write`. Because this process is
    the only one that can open the DuckDB file for writing, every change of the store passes
    through :meth:`write`, which bumps :attr:`generation`; the caches key on it, so a cached
    data version, session or view never outlives a change. (A change made outside
    :meth:`write` would not be seen until the next write: there is no other way to write.)
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
        self._sessions: dict[str, tuple[int, float, Session | None]] = {}

    def changed(self) -> None:
        """Note a change made through the platform: cached views, the data version and
        sessions are no longer current."""
        with self._lock:
            self.generation += 1
            self._version = None
            self._sessions.clear()

    @contextmanager
    def read(self) -> Iterator[Store]:
        """The store, for one request's reads (one thread at a time)."""
        with self._lock:
            yield self.store

    @contextmanager
    def write(self) -> Iterator[Store]:
        """The store, for one request's changes: every cache is stale afterwards, whether
        the change succeeded or failed part way."""
        with self._lock:
            try:
                yield self.store
            finally:
                self.changed()

    def data_version(self) -> int:
        """The store's data version, asked of the store once per generation."""
        with self._lock:
            if self._version is None or self._version[0] != self.generation:
                self._version = (self.generation, data_version(self.store))
            return self._version[1]

    def session(self, token: str) -> Session | None:
        """The live session of a cookie's token (``None`` when there is none), remembered
        for :attr:`SESSION_SECONDS` within one generation and never past its expiry."""
        if not token or len(token) > 128:
            return None
        key = hashlib.sha256(token.encode()).hexdigest()
        clock = time.monotonic()
        with self._lock:
            hit = self._sessions.get(key)
            if (
                hit is not None
                and hit[0] == self.generation
                and clock - hit[1] < self.SESSION_SECONDS
                and (hit[2] is None or hit[2].expires_at > now())
            ):
                return hit[2]
            session = session_of(self.store, token, self.settings.secret_key)
            if len(self._sessions) > 10_000:
                self._sessions.clear()
            self._sessions[key] = (self.generation, clock, session)
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

    def close(self) -> None:
        """Close the store."""
        with self._lock:
            self.store.close()
