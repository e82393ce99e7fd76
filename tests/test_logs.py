"""No client data in the logs: every test of the suite is checked after it runs (see
`no_client_data_in_logs` in conftest.py). Here, that the check does see a leak, and that the
paths most likely to log (a refused form, a 404, a failed sign-in, a report) log none."""

from __future__ import annotations

import logging

import pytest

from .auth import sign_in
from .conftest import LOGS, leaks_in

pytestmark = pytest.mark.django_db


def test_the_check_notices_a_client_name_in_a_log_line(draft_case):
    logging.getLogger("casework.example").warning("Looked at %s", draft_case.client.full_name)
    assert leaks_in(LOGS.messages)
    LOGS.messages.clear()  # this leak was on purpose


def test_noisy_paths_log_no_client_data(client, case_manager, draft_case):
    patient = draft_case.client
    sign_in(client, case_manager)
    client.get(f"/clients/?q={patient.family_name}")
    client.post(f"/clients/{patient.pk}/edit/", {"given_name": patient.given_name,
                                                  "family_name": patient.family_name,
                                                  "nhs_number": "123"})  # refused: 400
    client.get("/clients/999999/")  # 404
    client.post("/accounts/login/", {"username": patient.family_name, "password": "x"})
    messages = list(LOGS.messages)
    assert any("Bad Request" in m or "Not Found" in m for m in messages)
    assert not leaks_in(messages)


def _gunicorn_config() -> dict:
    """gunicorn.conf.py's settings and hooks, as gunicorn reads the file."""
    from pathlib import Path

    config: dict = {}
    exec((Path(__file__).resolve().parents[1] / "gunicorn.conf.py").read_text(), config)
    return config


def test_the_web_servers_access_log_leaves_out_query_strings_and_referrers():
    fmt = _gunicorn_config()["access_log_format"]
    assert "%(U)s" in fmt
    for leaky in ("%(r)s", "%(q)s", "%(f)s", "%(u)s"):
        assert leaky not in fmt


def test_each_web_worker_freezes_the_loaded_application_out_of_the_garbage_collector():
    import gc

    config = _gunicorn_config()
    before = gc.get_threshold()
    try:
        config["post_worker_init"](None)  # gunicorn calls it once the worker has the app
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold() == config["GC_THRESHOLD_IN_REQUEST"]
        assert config["GC_THRESHOLD"][0] > before[0]
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)


def test_a_web_worker_collects_between_requests_what_a_request_made_due():
    """A page's objects never start the collector while it runs (it paused one request in
    17 by a millisecond or more): the collection they made due runs once the response has
    gone."""
    import gc

    config = _gunicorn_config()
    before = gc.get_threshold()
    young = config["GC_THRESHOLD"][0]
    collected: list[int] = []

    def seen(phase: str, info: dict) -> None:
        if phase == "start":
            collected.append(info["generation"])

    gc.callbacks.append(seen)
    try:
        config["post_worker_init"](None)  # gunicorn calls it once the worker has the app
        collected.clear()
        kept = [[] for _ in range(young // 2)]  # a small request's leftovers: not yet due
        config["post_request"](None, None, {}, None)
        assert not collected

        kept += [[] for _ in range(young)]  # made in a request: the collector waits...
        assert not collected
        config["post_request"](None, None, {}, None)  # ...for its response to have gone
        assert collected == [0]

        # The next generation when its turn is due, as Python would choose it.
        middle = config["GC_THRESHOLD"][1]
        for _ in range(middle):
            kept += [[] for _ in range(young + 1)]
            config["post_request"](None, None, {}, None)
        assert collected == [0] * (middle + 1)
        kept += [[] for _ in range(young + 1)]
        config["post_request"](None, None, {}, None)
        assert collected[-1] == 1 and gc.get_count()[1] == 0
    finally:
        gc.callbacks.remove(seen)
        gc.unfreeze()
        gc.set_threshold(*before)
