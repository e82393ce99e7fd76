"""The Redis cache (the cache of every instance) keeps one redis-py client."""

from __future__ import annotations

import os

import pytest
import redis

from casemgmt.cache import RedisCache

pytestmark = pytest.mark.redis


def _cache() -> RedisCache:
    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    return RedisCache(url, {"KEY_PREFIX": "casework-test-cache", "TIMEOUT": 30})


def test_reads_and_writes_share_one_client_per_server(monkeypatch):
    cache = _cache()
    made = []
    real_init = redis.Redis.__init__

    def counting_init(self, *args, **kwargs):
        made.append(self)
        real_init(self, *args, **kwargs)

    monkeypatch.setattr(redis.Redis, "__init__", counting_init)
    cache.set("who", "case manager")
    for _ in range(5):
        assert cache.get("who") == "case manager"
    cache.delete("who")

    assert cache.get("who") is None
    assert len(made) == 1  # Django's own client made one per operation: eight here


def test_each_server_of_a_replicated_cache_has_its_own_client():
    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    cache = RedisCache([url, url], {"KEY_PREFIX": "casework-test-cache"})

    writer = cache._cache.get_client(write=True)
    reader = cache._cache.get_client(write=False)  # the second server reads

    assert writer is cache._cache.get_client(write=True)
    assert reader is cache._cache.get_client(write=False)
    assert writer.connection_pool is not reader.connection_pool
