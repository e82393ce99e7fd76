"""seed_bulk builds a practice of the size asked, in every state, without double bookings."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db.models import Count

from assessments.models import Appointment
from audit.models import AccessEntry, AuditEntry
from cases.models import Case, CaseState, TimelineEvent

from .auth import sign_in

pytestmark = pytest.mark.django_db


def test_seed_bulk_builds_the_practice():
    call_command("seed_bulk", cases=300, stdout=None)
    assert Case.objects.count() == 300
    assert set(Case.objects.values_list("state", flat=True)) == set(CaseState.values)
    assert TimelineEvent.objects.count() >= 600
    clashes = (Appointment.objects.values("physiotherapist_id", "start")
               .annotate(n=Count("pk")).filter(n__gt=1))
    assert not clashes.exists()
    longest = Case.objects.annotate(n=Count("notes")).order_by("-n").first()
    assert longest.n >= 400 and longest.timeline.count() >= 400  # the long history
    assert AuditEntry.objects.filter(case_id=longest.pk).exists()
    assert AccessEntry.objects.count() == 600


def test_the_bench_query_header_counts_queries(client, settings, case_manager):
    settings.MIDDLEWARE = ["casemgmt.middleware.QueryCountHeader", *settings.MIDDLEWARE]
    sign_in(client, case_manager)
    response = client.get("/clients/")
    assert int(response["X-Query-Count"]) >= 2
