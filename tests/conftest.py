"""Shared fixtures: the people of a case, and a helper that walks a case along its path."""

from __future__ import annotations

import os
import shutil

import pytest

from . import factories as f

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
def draft_case(case_manager, provider, physio_manager):
    client = f.ClientFactory(firm=case_manager.organisation)
    return f.CaseFactory(client=client, case_manager=case_manager, provider=provider)
