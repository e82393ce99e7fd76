"""The demo data: every state, the overdue report, the logins, and a second run adds nothing."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory
from django.utils import timezone

from accounts.models import User
from cases.models import Case, CaseState, TimelineEvent
from notifications.models import Notification

pytestmark = pytest.mark.django_db

LOGINS = ["casemanager", "physiomanager", "physio", "casemanager2", "physiomanager2", "admin"]


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count()
            for model in (Case, TimelineEvent, Notification, User)}


def test_seed_demo_builds_every_state_and_is_idempotent():
    call_command("seed_demo", verbosity=0)
    states = set(Case.objects.values_list("state", flat=True))
    assert states == set(CaseState.values)

    overdue = Case.objects.filter(state=CaseState.IN_TREATMENT,
                                  next_report_due__lt=timezone.localdate())
    assert overdue.count() == 1

    for username in LOGINS:
        request = RequestFactory().post("/accounts/login/")
        assert authenticate(request, username=username, password="casework-demo") is not None, username
    assert User.objects.get(username="admin").is_superuser

    for case in Case.objects.exclude(state=CaseState.DRAFT):
        last = case.timeline.exclude(target_state="").order_by("-created_at", "-id").first()
        assert last is not None and last.target_state == case.state, case.reference

    before = _counts()
    call_command("seed_demo", verbosity=0)
    assert _counts() == before


def test_demo_text_is_clinical_not_placeholder():
    call_command("seed_demo", verbosity=0)
    texts = " ".join(Case.objects.values_list("referral__reason", flat=True))
    texts += " ".join(TimelineEvent.objects.values_list("summary", flat=True))
    assert "lorem" not in texts.lower()
    assert "road traffic collision" in texts
