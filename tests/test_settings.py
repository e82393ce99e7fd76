"""Settings come from the environment; production will not start without a real key."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


# What the test run itself sets (services, the browser tests' async switch) is not what a
# deployment would have.
NOT_INHERITED = {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "SECRET_KEY",
                 "DJANGO_ALLOW_ASYNC_UNSAFE"}


def _settings_value(module: str, expression: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
    clean.update(env)
    clean["DJANGO_SETTINGS_MODULE"] = module
    code = f"import django; django.setup(); from django.conf import settings; print({expression})"
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=clean,
                          capture_output=True, text=True, timeout=60, check=False)


def test_production_refuses_to_start_without_a_secret_key():
    result = _settings_value("casemgmt.settings.production", "settings.DEBUG")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_the_development_key():
    result = _settings_value("casemgmt.settings.production", "settings.DEBUG",
                             SECRET_KEY="django-insecure-local-development-only-not-for-real-data")
    assert result.returncode != 0


def test_production_starts_with_a_real_key_and_is_secure():
    result = _settings_value(
        "casemgmt.settings.production",
        "settings.DEBUG, settings.SESSION_COOKIE_SECURE, settings.SECURE_HSTS_SECONDS > 0",
        SECRET_KEY="k" * 10 + "Zq8-Hj3_xP0vLm2NwR7tYb5cGd9Fs1Ae4Ui6Ko8Pl0Mn2Bv4Cx6Z",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True", "True"]


def test_without_database_url_sqlite_under_var_and_tasks_run_eagerly():
    result = _settings_value(
        "casemgmt.settings.local",
        "settings.DATABASES['default']['ENGINE'], str(settings.DATABASES['default']['NAME']),"
        " settings.CELERY_TASK_ALWAYS_EAGER, settings.TIME_ZONE, settings.LANGUAGE_CODE",
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "sqlite3" in out and "/var/" in out and "True" in out
    assert "Europe/London" in out and "en-gb" in out


def test_a_broker_url_turns_eager_mode_off():
    result = _settings_value("casemgmt.settings.local", "settings.CELERY_TASK_ALWAYS_EAGER",
                             REDIS_URL="redis://127.0.0.1:6379/0")
    assert result.stdout.strip() == "False", result.stderr


@pytest.mark.parametrize(("env", "transport"), [
    ({"REDIS_URL": "redis://127.0.0.1:6379/0"}, "casemgmt.broker:Transport"),
    # kombu takes TLS from the scheme, so a rediss:// broker keeps kombu's own transport
    ({"CELERY_BROKER_URL": "rediss://broker.example:6380/0"}, "rediss"),
    ({}, "memory"),
])
def test_celery_connects_to_a_redis_broker_through_the_kept_client_transport(env, transport):
    app = "__import__('casemgmt.celery', fromlist=['app']).app"
    result = _settings_value("casemgmt.settings.local",
                             f"{app}.connection_for_write().transport_cls", **env)
    assert result.stdout.strip() == transport, result.stderr


def test_check_deploy_is_clean_with_production_settings():
    clean = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
    clean.update(DJANGO_SETTINGS_MODULE="casemgmt.settings.production",
                 SECRET_KEY="Zq8-Hj3_xP0vLm2NwR7tYb5cGd9Fs1Ae4Ui6Ko8Pl0Mn2Bv4Cx6Zq8Hj3xP0vLm2",
                 ALLOWED_HOSTS="casework.example")
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_cannot_switch_two_factor_off():
    key = "Zq8-Hj3_xP0vLm2NwR7tYb5cGd9Fs1Ae4Ui6Ko8Pl0Mn2Bv4Cx6Zq8Hj3xP0vLm2"
    off = _settings_value("casemgmt.settings.production", "settings.CASEWORK_REQUIRE_2FA",
                          SECRET_KEY=key, CASEWORK_REQUIRE_2FA="false")
    assert off.returncode != 0 and "Two-factor" in off.stderr
    on = _settings_value("casemgmt.settings.production", "settings.CASEWORK_REQUIRE_2FA",
                         SECRET_KEY=key)
    assert on.stdout.strip() == "True", on.stderr
    demo = _settings_value("casemgmt.settings.local", "settings.CASEWORK_REQUIRE_2FA",
                           CASEWORK_REQUIRE_2FA="0")
    assert demo.stdout.strip() == "False", demo.stderr


def test_postgresql_binds_parameters_on_the_server_and_prepares_unless_told_not_to():
    """What casemgmt.db.planned_once() marks is prepared by default; psycopg prepares nothing
    on its own; behind a pooler that cannot keep prepared statements (PgBouncer in
    transaction mode) one setting turns them off, and a typo is refused."""
    def options(**env: str) -> list[str]:
        shown = ("settings.DATABASES['default']['OPTIONS']['server_side_binding'], "
                 "settings.DATABASES['default']['OPTIONS']['prepare_threshold'], "
                 "settings.CASEWORK_PREPARED_STATEMENTS")
        result = _settings_value("casemgmt.settings.local", shown,
                                 DATABASE_URL="postgres://casework@db.example:5432/casework",
                                 **env)
        assert result.returncode == 0, result.stderr
        return result.stdout.split()

    assert options() == ["True", "None", "True"]
    assert options(DATABASE_PREPARED_STATEMENTS="false") == ["True", "None", "False"]
    assert options(DATABASE_SERVER_SIDE_BINDING="false") == ["False", "None", "False"]
    typo = _settings_value("casemgmt.settings.local", "settings.CASEWORK_PREPARED_STATEMENTS",
                           DATABASE_URL="postgres://casework@db.example:5432/casework",
                           DATABASE_PREPARED_STATEMENTS="soon")
    assert typo.returncode != 0 and "DATABASE_PREPARED_STATEMENTS" in typo.stderr
    sqlite = _settings_value("casemgmt.settings.local", "settings.CASEWORK_PREPARED_STATEMENTS")
    assert sqlite.stdout.strip() == "False", sqlite.stderr


def test_each_shape_of_query_is_compiled_once_unless_told_not_to():
    """casemgmt.db.compiled is Django's own backend with a compiler that keeps each shape's
    SQL; one setting gives Django's backend as it is, on either database."""
    def engine(**env: str) -> str:
        result = _settings_value("casemgmt.settings.local",
                                 "settings.DATABASES['default']['ENGINE']", **env)
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    postgres = {"DATABASE_URL": "postgres://casework@db.example:5432/casework"}
    assert engine(**postgres) == "casemgmt.db.postgresql"
    assert engine() == "casemgmt.db.sqlite3"
    assert engine(DATABASE_COMPILE_ONCE="false", **postgres) == "django.db.backends.postgresql"
    assert engine(DATABASE_COMPILE_ONCE="false") == "django.db.backends.sqlite3"
