"""Every page a person reaches from the case page renders, in every state, for each party."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cases.models import CaseState
from cases.workflow import transition_allowed_for

from .auth import sign_in
from .journey import People, advance

pytestmark = pytest.mark.django_db

STATES = [CaseState.DRAFT, CaseState.REFERRED, CaseState.COSTING_PROPOSED,
          CaseState.ASSESSMENT_SCHEDULED, CaseState.ASSESSED, CaseState.UNDER_REVIEW,
          CaseState.ON_HOLD, CaseState.CLOSED]


@pytest.mark.parametrize("state", STATES)
def test_case_page_and_step_forms_render_for_each_party(state, client, draft_case, case_manager,
                                                        physio_manager, physio):
    people = People(case_manager, physio_manager, physio)
    case = advance(draft_case, people, to=state)
    for user in (case_manager, physio_manager, physio):
        sign_in(client, user)
        hidden = (state == CaseState.DRAFT and user != case_manager) or (
            user == physio and case.physiotherapist_id != physio.pk)
        if hidden:
            assert client.get(case.get_absolute_url()).status_code == 404
            continue
        page = client.get(case.get_absolute_url())
        assert page.status_code == 200, (user, state)
        for step in transition_allowed_for(case, user):
            url = reverse("case-step", args=[case.pk, step.name])
            assert url in page.content.decode()
            assert client.get(url).status_code == 200, (user, state, step.name)
        assert client.get(reverse("home")).status_code == 200
        assert client.get(reverse("client-detail", args=[case.client_id])).status_code == 200
