"""More than one machine: two gunicorn instances on different ports, against the same
PostgreSQL and Redis and the same store of files, serve one person as one application. A
sign-in on one is a sign-in on both; a document uploaded through one downloads through the
other; signing out on one signs out on both. Nothing either needs lives in its own memory.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.db import connection

from cases.models import CaseState

from .auth import PASSWORD, authenticator, code_now
from .journey import People, advance

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres, pytest.mark.redis]

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def instances(tmp_path):
    """Two gunicorn instances of the application on the test database and the cache."""
    db = connection.settings_dict
    redis_url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "casemgmt.settings.test",
           "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:"
                           f"{db['PORT'] or 5432}/{db['NAME']}",
           "REDIS_URL": redis_url, "CACHE_URL": redis_url,
           "MEDIA_ROOT": str(settings.MEDIA_ROOT)}
    processes, bases = [], []
    for n in range(2):
        port = _free_port()
        processes.append(subprocess.Popen(  # our own interpreter and arguments
            [sys.executable, "-m", "gunicorn", "casemgmt.wsgi:application", "--workers", "1",
             "--bind", f"127.0.0.1:{port}", "--access-logfile", "/dev/null",
             "--log-level", "warning"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
            stderr=(tmp_path / f"web{n}.log").open("w")))
        bases.append(f"http://127.0.0.1:{port}")
    for base in bases:
        for _ in range(100):
            try:
                if requests.get(f"{base}/healthz", timeout=5).ok:
                    break
            except requests.RequestException:
                time.sleep(0.2)
        else:
            pytest.fail(f"{base} did not start: {(tmp_path / 'web0.log').read_text()}")
    yield bases
    for process in processes:
        process.terminate()
        process.wait(timeout=20)


def _csrf(response: requests.Response) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text).group(1)


def _sign_in(session: requests.Session, base: str, user) -> None:
    page = session.get(f"{base}/accounts/login/")
    session.post(f"{base}/accounts/login/", data={
        "username": user.username, "password": PASSWORD, "csrfmiddlewaretoken": _csrf(page)},
        headers={"Referer": f"{base}/accounts/login/"})
    page = session.get(f"{base}/accounts/two-factor/")
    session.post(f"{base}/accounts/two-factor/", data={
        "code": code_now(authenticator(user)), "next": "/", "csrfmiddlewaretoken": _csrf(page)},
        headers={"Referer": f"{base}/accounts/two-factor/"})


def test_a_sign_in_and_a_document_work_across_two_instances(instances, case_manager,
                                                             physio_manager, physio, draft_case):
    first, second = instances
    case = advance(draft_case, People(case_manager, physio_manager, physio),
                   to=CaseState.REFERRED)
    browser = requests.Session()
    _sign_in(browser, first, case_manager)
    assert browser.get(f"{first}/", allow_redirects=False).status_code == 200
    # The same cookie, the other instance: the same signed-in person.
    assert browser.get(f"{second}/", allow_redirects=False).status_code == 200

    form = browser.get(f"{first}/cases/{case.pk}/documents/new/")
    letter = b"%PDF-1.4\n% the consultant's letter, uploaded through the first instance\n%%EOF\n"
    upload = browser.post(f"{first}/cases/{case.pk}/documents/new/", data={
        "title": "Consultant letter", "kind": "consultant_letter",
        "csrfmiddlewaretoken": _csrf(form)}, files={"file": ("letter.pdf", letter)},
        headers={"Referer": f"{first}/cases/{case.pk}/documents/new/"}, allow_redirects=False)
    assert upload.status_code == 302, upload.text[:500]
    document = case.documents.get()
    download = browser.get(f"{second}/documents/{document.pk}/")
    assert download.status_code == 200 and download.content == letter

    # Signing out on the second instance signs out on the first too.
    page = browser.get(f"{second}/")
    browser.post(f"{second}/accounts/logout/", data={"csrfmiddlewaretoken": _csrf(page)},
                 headers={"Referer": f"{second}/"})
    assert browser.get(f"{first}/", allow_redirects=False).status_code == 302
