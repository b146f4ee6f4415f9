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

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from jingxin.config import Settings
from jingxin.store import Scope, Store
from jingxin.store.versions import data_version

__all__ = ["Platform", "ViewCache"]

T = TypeVar("T")


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
    """The store the server owns, the lock requests take turns on, and the views' cache."""

    def __init__(self, db_path: Path | str, settings: Settings) -> None:
        self.settings = settings
        self.db_path = Path(db_path)
        self.store = Store(db_path)
        self._lock = threading.RLock()
        self.cache = ViewCache()
        self.generation = 0  # bumped by every change the platform itself makes

    def changed(self) -> None:
        """Note a change made through the platform: cached views are no longer current."""
        with self._lock:
            self.generation += 1

    @contextmanager
    def use(self) -> Iterator[Store]:
        """The store, for one request's reads or writes (one thread at a time)."""
        with self._lock:
            yield self.store

    def view(self, name: str, scope: Scope, params: Hashable, compute: Callable[[Store], T]) -> T:
        """A view computed under ``scope``, from the cache while the data has not changed."""
        with self.use() as store:
            key = (name, scope, params, data_version(store) * 1_000_000 + self.generation)
            return self.cache.get_or_compute(key, lambda: compute(store))

    def close(self) -> None:
        """Close the store."""
        with self._lock:
            self.store.close()
