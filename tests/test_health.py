"""GET /healthz reports the database and the broker."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_healthz_answers_json_with_database_and_broker(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["database"]["ok"] is True
    assert "ok" in body["broker"]


def test_healthz_stays_200_when_the_broker_is_unreachable(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["broker"]["ok"] is False


@pytest.mark.redis
def test_healthz_keeps_its_connection_to_the_broker(client, settings):
    """One connection per process, asked again at each check, not one opened per check."""
    import os

    import redis

    from casemgmt import health

    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = url
    health._broker_client.cache_clear()
    for _ in range(3):
        assert client.get("/healthz").json()["broker"]["ok"] is True
    pool = health._broker_client(url).connection_pool
    assert isinstance(pool, redis.ConnectionPool)
    assert len(pool._available_connections) + len(pool._in_use_connections) == 1
