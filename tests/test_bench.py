"""The benchmark command runs end to end on a small practice and prints the JSON that runs
are compared by (issue 8): every key page per role with its ratio to /healthz measured in the
same run, the reminder scan, a six-page report and queuing a task."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres, pytest.mark.redis]

PAGES = {("dashboard", "case_manager"), ("dashboard", "physio_manager"),
         ("dashboard", "physiotherapist"), ("client list", "case_manager"),
         ("client search", "case_manager"), ("case list by state, page 1", "case_manager"),
         ("case list by state, page 500", "case_manager"),
         ("case with a long history", "case_manager"), ("post a case note", "case_manager"),
         ("report PDF", "case_manager"), ("admin case list", "admin"),
         ("API case list", "case_manager"), ("API case detail", "case_manager")}


def test_bench_measures_every_key_page_against_the_baseline(settings):
    # The server runs the production-like settings, whose hasher must read the passwords.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    settings.CELERY_TASK_ALWAYS_EAGER = False  # time publishing to the app's broker
    call_command("seed_bulk", cases=200, stdout=io.StringIO())
    out = io.StringIO()
    call_command("bench", requests=3, stdout=out)
    result = json.loads(out.getvalue())

    assert result["cases"] == 200
    assert result["baseline"]["name"] == "healthz" and result["baseline"]["p95_ms"] > 0
    pages = {(row["name"], row["role"]): row for row in result["pages"]}
    assert set(pages) >= PAGES
    for row in pages.values():
        assert 0 < row["p50_ms"] <= row["p95_ms"]
        assert row["rps"] > 0
        assert 1 <= row["queries"] <= 10, row  # counted by the server, per request
        assert row["ratio_p95"] == round(row["p95_ms"] / result["baseline"]["p95_ms"], 2)
    assert result["reminder_scan_s"] >= 0
    assert result["report_pages"] == 6 and 0 < result["report_6_pages_s"] < 5
    assert result["report_peak_mb"] > 0
    assert result["task_queue_ms"]["p95_ms"] > 0
