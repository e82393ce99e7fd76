"""What a process keeps between requests (compiled SQL, My work's rankings, paths), each
store with a limit: past it, the oldest entry goes first."""

from __future__ import annotations

from typing import Any


def keep(store: dict, key: Any, value: Any, limit: int) -> Any:
    """Puts `value` in `store` under `key`, first dropping the oldest entry if the store is
    full, and returns it. Threads may share a store: one that finds the oldest already gone,
    or reads back a value another evicted, is not disturbed."""
    if len(store) >= limit:
        store.pop(next(iter(store), None), None)
    store[key] = value
    return value
