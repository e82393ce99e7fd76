"""Through a real Redis broker and a real Celery worker (PostgreSQL shared with the test):
a scheduled reminder travels end to end; with the broker down a step still succeeds at once
and its email goes out when the broker is back; two scans at once send each reminder once."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from casemgmt.celery import app
from cases.models import Case, CaseState
from cases.services import case_put_on_hold
from notifications.models import Notification, Reminder, ReminderKind
from notifications.reminders import scan
from notifications.tasks import flush_email_outbox, scan_reminders

from .journey import People, advance

ROOT = Path(__file__).resolve().parent.parent
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PrivateRedis:
    """A redis-server of this test's own, so stopping it disturbs nobody else."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(50):
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.1)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture
def redis_server():
    if not shutil.which("redis-server"):
        if os.environ.get("CASEWORK_REQUIRE_SERVICES") == "1":
            pytest.fail("redis-server is required")
        pytest.skip("needs redis-server")
    server = PrivateRedis()
    server.start()
    yield server
    server.stop()


def use_broker(url: str | None) -> None:
    """Point this process's Celery app at a broker (or back to eager) and drop its pools.
    Celery reads CELERY_BROKER_URL from the environment before its own settings, so that
    is set too."""
    if url:
        os.environ["CELERY_BROKER_URL"] = url
        app.conf.update(broker_url=url, task_always_eager=False)
    else:
        app.conf.update(broker_url="memory://", task_always_eager=True)
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def broker(redis_server, monkeypatch):
    monkeypatch.setenv("CELERY_BROKER_URL", redis_server.url)
    use_broker(redis_server.url)
    yield redis_server
    use_broker(None)


@pytest.fixture
def start_worker(tmp_path):
    """Start `celery worker` on the test database; emails land as files in tmp_path."""
    workers: list[subprocess.Popen] = []
    db = connection.settings_dict

    def start(broker_url: str) -> Path:
        mail_dir = tmp_path / "mail"
        mail_dir.mkdir(exist_ok=True)
        env = {**os.environ,
               "DJANGO_SETTINGS_MODULE": "casemgmt.settings.test",
               "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:"
                               f"{db['PORT'] or 5432}/{db['NAME']}",
               "CELERY_BROKER_URL": broker_url, "CASEWORK_TEST_EAGER": "0",
               "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
               "EMAIL_FILE_PATH": str(mail_dir)}
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "casemgmt", "worker", "--pool", "solo",
             "--concurrency", "1", "--loglevel", "WARNING", "--without-heartbeat",
             "--without-gossip", "--without-mingle"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
            stderr=(tmp_path / "worker.log").open("w"))
        workers.append(process)
        return mail_dir

    yield start
    for process in workers:
        process.terminate()
        process.wait(timeout=20)


def wait_for(condition, seconds: float = 30.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.25)
    return False


@pytest.fixture
def overdue_case(draft_case, case_manager, physio_manager, physio):
    case = advance(draft_case, People(case_manager, physio_manager, physio),
                   to=CaseState.IN_TREATMENT)
    Case.objects.filter(pk=case.pk).update(next_report_due=timezone.localdate() - dt.timedelta(2))
    Notification.objects.all().delete()
    return case


@pytest.mark.redis
def test_a_scheduled_reminder_travels_through_redis_and_a_worker(broker, start_worker,
                                                                 overdue_case):
    mail_dir = start_worker(broker.url)
    scan_reminders.delay()  # what beat sends on its schedule

    def delivered() -> bool:
        return Notification.objects.filter(kind=ReminderKind.REPORT_OVERDUE,
                                           emailed_at__isnull=False).count() == 2

    assert wait_for(delivered), "the worker did not deliver the overdue reminders"
    emails = b"".join(p.read_bytes() for p in mail_dir.iterdir())
    assert emails.count(b"progress report overdue") >= 2
    scan_reminders.delay()
    time.sleep(2)
    assert Notification.objects.filter(kind=ReminderKind.REPORT_OVERDUE).count() == 2


@pytest.mark.redis
def test_with_redis_down_a_step_succeeds_and_its_email_follows_later(broker, start_worker,
                                                                     overdue_case,
                                                                     case_manager):
    broker.stop()
    started = time.monotonic()
    case_put_on_hold(case=Case.objects.get(pk=overdue_case.pk), actor=case_manager,
                     reason="Admitted to hospital")
    assert time.monotonic() - started < 3
    assert Case.objects.get(pk=overdue_case.pk).state == CaseState.ON_HOLD
    waiting = Notification.objects.get(kind="case_on_hold")
    assert waiting.emailed_at is None  # in the outbox

    broker.start()
    use_broker(broker.url)
    mail_dir = start_worker(broker.url)
    flush_email_outbox.delay(0)  # what beat runs every minute
    assert wait_for(lambda: Notification.objects.get(pk=waiting.pk).emailed_at is not None)
    assert any(b"on hold" in p.read_bytes() for p in mail_dir.iterdir())


def test_two_scans_at_once_send_each_reminder_once(overdue_case,
                                                   django_capture_on_commit_callbacks):
    barrier = threading.Barrier(2)
    results = []

    def run():
        try:
            barrier.wait(timeout=10)
            results.append(scan())
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sum(r[ReminderKind.REPORT_OVERDUE] for r in results) == 2
    assert Notification.objects.filter(kind=ReminderKind.REPORT_OVERDUE).count() == 2
    assert Reminder.objects.filter(kind=ReminderKind.REPORT_OVERDUE,
                                   sent_at__isnull=False).count() == 2
