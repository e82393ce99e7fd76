"""seed_bulk builds a practice of the size asked, in every state, without double bookings."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db.models import Count

from accounts.models import User
from assessments.models import Appointment
from audit.models import AccessEntry, AuditEntry
from cases.models import Case, CaseState, Risk, TimelineEvent

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
    assert Risk.objects.filter(is_open=True).exists()


def test_seed_bulk_spreads_the_work_across_people():
    """Every case manager and physiotherapist holds cases in several states: a caseload of
    one state only (or none) would make the dashboards measure nothing real."""
    call_command("seed_bulk", cases=2000, stdout=None)
    for field, prefix in (("case_manager", "bulk-cm"), ("physiotherapist", "bulk-physio")):
        people = User.objects.filter(username__startswith=prefix)
        states = (Case.objects.filter(**{f"{field}__in": people}).values(field)
                  .annotate(n=Count("state", distinct=True)))
        assert states.count() == people.count()
        assert min(row["n"] for row in states) >= 5


def test_the_bench_query_header_counts_queries(client, settings, case_manager):
    settings.MIDDLEWARE = ["casemgmt.middleware.QueryCountHeader", *settings.MIDDLEWARE]
    sign_in(client, case_manager)
    response = client.get("/clients/")
    assert int(response["X-Query-Count"]) >= 2


def test_seed_bulk_has_one_national_firm_with_most_of_the_cases():
    """Issue 8's practice is a national firm: its lists are the deep ones."""
    call_command("seed_bulk", cases=1000, stdout=None)
    by_firm = list(Case.objects.values("firm_id").annotate(n=Count("pk")).order_by("-n")
                   .values_list("n", flat=True))
    assert len(by_firm) >= 2
    assert by_firm[0] > 500 and by_firm[0] >= 2 * by_firm[1]


@pytest.mark.postgres
def test_seed_bulk_sends_no_query_more_values_than_a_batch(monkeypatch):
    """With parameters bound by the server, PostgreSQL takes at most 65,535 values in one
    query: at 100,000 cases, asking for every case's client by id in one query failed the
    load. No query may carry more values than a batch, whatever the size of the practice."""
    from django.db import connection

    from cases.management.commands import seed_bulk

    monkeypatch.setattr(seed_bulk, "BATCH", 100)
    sizes: list[int] = []

    def count(execute, sql, params, many, context):
        sizes.append(0 if many else len(params or ()))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        call_command("seed_bulk", cases=300, stdout=None)
    assert Case.objects.count() == 300
    assert max(sizes) <= 100
