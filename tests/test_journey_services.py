"""The whole path of a case through the services, as the people who take each step."""

from __future__ import annotations

import pytest

from cases.models import CaseState
from notifications.models import Notification

from .journey import People, advance, complete_review

pytestmark = pytest.mark.django_db


def test_a_case_travels_from_draft_to_closed(draft_case, case_manager, physio_manager, physio,
                                              django_capture_on_commit_callbacks, mailoutbox):
    people = People(case_manager, physio_manager, physio)
    with django_capture_on_commit_callbacks(execute=True):
        case = advance(draft_case, people, to=CaseState.UNDER_REVIEW)
        case = complete_review(case, people)
        case = advance(case, people, to=CaseState.CLOSED)

    assert case.state == CaseState.CLOSED
    kinds = list(case.timeline.order_by("created_at", "id").values_list("kind", flat=True))
    assert [k for k in kinds if k != "case_created"] == [
        "submit_referral", "propose_costing", "approve_costing", "schedule_assessment",
        "submit_assessment", "authorise_treatment", "request_review", "complete_review",
        "discharge", "close",
    ]
    assert case.care_plans.count() == 2
    assert Notification.objects.filter(recipient=physio_manager, kind="referral_received").exists()
    assert any("New referral" in m.subject for m in mailoutbox)
