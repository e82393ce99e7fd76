"""Celery's Redis transport, with one redis-py client per connection pool.

kombu's Redis channel makes a new `redis.Redis` each time it asks Redis something outside its
event loop (`conn_or_acquire`: every publish, and a worker's sizing and restoring of
queues), and redis-py 8 fills about 170 response callbacks and an event dispatcher for each
one: about a fifth of queuing a task from a request (the cache had the same cost:
casemgmt.cache). A client only holds its pool and those callbacks, and is safe to share
between threads; the pool hands each command a connection, as before. A channel whose pool
is replaced (after a fork) makes a new client for the new pool."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from kombu.transport import redis


class Channel(redis.Channel):
    _kept_client: Any = None

    @contextmanager
    def conn_or_acquire(self, client: Any = None) -> Iterator[Any]:
        if client is not None:
            yield client
            return
        pool = self.pool
        if self._kept_client is None or self._kept_client.connection_pool is not pool:
            self._kept_client = self._create_client()
        yield self._kept_client


class Transport(redis.Transport):
    Channel = Channel
