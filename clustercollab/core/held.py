"""Values each process builds once and keeps until the data they come from changes.

The directory index, its taxonomies, the vector matrices and the partner graph are costly to
build and cheap to check: each carries the version it was built from (a directory stamp, a
vector-set version, a fingerprint), and a caller that has just read the current version gets
the value held, or a new one built under a lock so that concurrent threads build it once.
"""

import threading
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

Held = TypeVar("Held")


class HeldPerProcess(Generic[Held]):
    """Values by key; ``version_of(value)`` is the version a value was built from."""

    def __init__(self, version_of: Callable[[Held], Hashable]) -> None:
        self._version_of = version_of
        self._values: dict[Hashable, Held] = {}
        self._lock = threading.Lock()

    def current(self, key: Hashable, version: Hashable, build: Callable[[], Held]) -> Held:
        """The value held for ``key`` if built from ``version``, else ``build()``'s (kept)."""
        value = self._values.get(key)
        if value is not None and self._version_of(value) == version:
            return value
        with self._lock:
            value = self._values.get(key)
            if value is None or self._version_of(value) != version:
                value = self._values[key] = build()
        return value

    def clear(self) -> None:
        self._values.clear()
