"""Shared fixtures: the people of a case, and a helper that walks a case along its path."""

from __future__ import annotations

import logging
import os
import re
import shutil

import pytest

from . import factories as f
from .journey import People

REQUIRE_SERVICES = os.environ.get("CASEWORK_REQUIRE_SERVICES") == "1"


def pytest_runtest_setup(item):
    """Tests marked `postgres` skip on a laptop without it, and fail in CI, where
    CASEWORK_REQUIRE_SERVICES=1: a missing service must never pass as a skip."""
    from django.db import connection

    if "postgres" in item.keywords and connection.vendor != "postgresql":
        message = "needs PostgreSQL: set DATABASE_URL=postgres://..."
        if REQUIRE_SERVICES:
            pytest.fail(message)
        pytest.skip(message)
    if "redis" in item.keywords and not shutil.which("redis-server"):
        message = "needs Redis (redis-server)"
        if REQUIRE_SERVICES:
            pytest.fail(message)
        pytest.skip(message)


# --- no client data in the logs, over the whole suite --------------------------------------
# Every value that identifies a client, as the tests create them, and every log record any
# test writes. After each test, none of the one may appear in the other.

CLIENT_VALUES: set[str] = set()
TRACKING = {"on": True}  # off while a fuzzer makes up clients out of arbitrary strings


class _LogCollector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.messages.append(self.format(record))
        except Exception:  # a record that cannot format is a bug elsewhere, not a leak
            self.messages.append(str(record.msg))


LOGS = _LogCollector()


def _remember_client_values(sender, instance, **kwargs) -> None:
    if not TRACKING["on"]:
        return
    client = getattr(instance, "client", None) if sender.__name__ != "Client" else instance
    if sender.__name__ == "Client":
        values = [instance.full_name, instance.family_name, instance.nhs_number, instance.email,
                  instance.phone, instance.claim_reference, instance.postcode,
                  *instance.address.splitlines(),
                  _dob(instance.date_of_birth)]
    elif client is not None:  # a family contact
        values = [instance.name, instance.phone, instance.email]
    else:
        return
    CLIENT_VALUES.update(str(v) for v in values if _identifying(str(v or "")))


def _identifying(value: str) -> bool:
    """A value that would identify the client if a log line held it: a name with a capital,
    an address, a phone or NHS number, an email. A lone lowercase word (fuzzing makes up
    "documents") is also the name of a page, and would only cry wolf."""
    if len(value) < 6 or value.startswith("Anonymised"):
        return False
    return not re.fullmatch(r"[a-z_]+", value)


def _dob(value) -> str:
    return value.strftime("%d/%m/%Y") if hasattr(value, "strftime") else str(value or "")


def pytest_configure(config):
    from django.db.models.signals import post_save

    from cases.models import Client, FamilyContact

    for model in (Client, FamilyContact):
        post_save.connect(_remember_client_values, sender=model, weak=False,
                          dispatch_uid=f"tests:client-values:{model.__name__}")
    LOGS.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
    logging.getLogger().addHandler(LOGS)


def leaks_in(messages: list[str]) -> list[tuple[str, str]]:
    return [(value, message) for message in messages for value in CLIENT_VALUES
            if value in message]


@pytest.fixture(autouse=True)
def no_client_data_in_logs():
    root = logging.getLogger()
    if LOGS not in root.handlers:  # something set logging up afresh (django.setup() again)
        root.addHandler(LOGS)
    LOGS.messages.clear()
    yield
    leaks = leaks_in(LOGS.messages)
    assert not leaks, f"client data written to the logs: {leaks[:3]}"


@pytest.fixture
def models_built(monkeypatch):
    """`models_built(Case, ...)` watches those models and returns the list of each one built
    from a database row from then on: a page that shows values builds none of its rows."""
    built: list[type] = []

    def watch(*models):
        for model in models:
            real = model.from_db.__func__
            monkeypatch.setattr(model, "from_db", classmethod(
                lambda cls, *args, real=real: built.append(cls) or real(cls, *args)))
        return built

    return watch


@pytest.fixture
def reversals(monkeypatch):
    """`reversals()` clears the kept paths (casemgmt.paths) and returns the list of each page
    name Django reverses from then on: a page whose links are kept reverses each name once."""
    from django.urls import URLResolver

    from casemgmt import paths

    def watch() -> list[str]:
        paths._PATHS.clear()
        names: list[str] = []
        real = URLResolver._reverse_with_prefix
        monkeypatch.setattr(URLResolver, "_reverse_with_prefix", lambda self, name, *args, **kw:
                            names.append(name) or real(self, name, *args, **kw))
        return names

    return watch


@pytest.fixture
def firm():
    return f.FirmFactory()


@pytest.fixture
def provider():
    return f.ProviderFactory()


@pytest.fixture
def case_manager(firm):
    return f.CaseManagerFactory(organisation=firm, username="cm")


@pytest.fixture
def physio_manager(provider):
    return f.PhysioManagerFactory(organisation=provider, username="pm")


@pytest.fixture
def physio(provider):
    return f.PhysiotherapistFactory(organisation=provider, username="physio")


@pytest.fixture
def people(case_manager, physio_manager, physio) -> People:
    """The three who take a case's steps, for `tests.journey.advance`."""
    return People(case_manager, physio_manager, physio)


@pytest.fixture
def draft_case(case_manager, provider, physio_manager):
    client = f.ClientFactory(firm=case_manager.organisation)
    return f.CaseFactory(client=client, case_manager=case_manager, provider=provider)
