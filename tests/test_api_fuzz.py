"""Schemathesis generates requests from the OpenAPI schema for every operation, as a signed-in
case manager with a real case: no answer may be a 5xx, and every answer must match the
schema."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from cases.models import CaseState

from .journey import People, advance

schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())


@pytest.fixture(autouse=True)
def made_up_clients_are_not_client_data():
    """The fuzzer's clients are random strings, some of them words that any log line may
    hold ("documents"): the log check watches real clients, not these."""
    from .conftest import TRACKING

    TRACKING["on"] = False
    yield
    TRACKING["on"] = True


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """Requests through the raw WSGI app end with Django closing the database connection,
    which would close the test's transaction; Django's own test client avoids the same."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token(db, case_manager, physio_manager, physio, draft_case):
    advance(draft_case, People(case_manager, physio_manager, physio), to=CaseState.IN_TREATMENT)
    return Token.objects.create(user=case_manager).key


@schema.parametrize()
@settings(max_examples=6, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_no_server_errors_and_answers_match_the_schema(case, token):
    case.call_and_validate(headers={"Authorization": f"Token {token}"},
                           checks=[not_a_server_error, response_schema_conformance])
