"""Queuing a task through the Redis broker keeps one redis-py client per connection pool,
and the message still arrives."""

from __future__ import annotations

import json
import os

import pytest
import redis
from kombu import Connection

from casemgmt.broker import Transport

pytestmark = pytest.mark.redis
QUEUE = "casework-test-broker"


def _connection() -> Connection:
    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    return Connection(url, transport=Transport)


def test_publishing_keeps_one_client_and_delivers(monkeypatch):
    made = []
    real_init = redis.Redis.__init__

    def counting_init(self, *args, **kwargs):
        made.append(self)
        real_init(self, *args, **kwargs)

    with _connection() as connection:
        channel = connection.default_channel
        channel.queue_purge(QUEUE)
        producer = connection.Producer(channel)
        producer.publish({"n": 0}, routing_key=QUEUE, declare=[connection.SimpleQueue(
            QUEUE).queue])
        monkeypatch.setattr(redis.Redis, "__init__", counting_init)
        for n in range(1, 6):
            producer.publish({"n": n}, routing_key=QUEUE, serializer="json")
        monkeypatch.undo()
        assert made == []  # kombu's own channel made a client for each publish: five here
        with connection.SimpleQueue(QUEUE) as queue:
            got = [json.loads(queue.get(timeout=2).body)["n"] for _ in range(6)]
        assert sorted(got) == [0, 1, 2, 3, 4, 5]


def test_a_new_pool_gets_a_new_client():
    """After a fork kombu drops the channel's pool: the kept client goes with it."""
    with _connection() as connection:
        channel = connection.default_channel
        with channel.conn_or_acquire() as first:
            pass
        with channel.conn_or_acquire() as again:
            assert again is first
        channel._after_fork()
        with channel.conn_or_acquire() as after:
            assert after is not first and after.connection_pool is channel.pool
            assert after.ping()
