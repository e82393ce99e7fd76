"""The admin: every model listed and viewable, the case read-only, and the administrative
steps taken through the case services."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.admin_actions import ADMIN_STEPS
from cases.admin_paginator import LargeTableAdmin
from cases.models import Case, CaseState, TimelineEvent

from . import factories as f
from .auth import sign_in
from .journey import People, advance

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    user = f.StaffFactory(username="root")
    sign_in(client, user)
    return user


@pytest.fixture
def case_in_treatment(draft_case, case_manager, physio_manager, physio):
    return advance(draft_case, People(case_manager, physio_manager, physio),
                   to=CaseState.IN_TREATMENT)


def _admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_every_registered_model_lists_and_shows_its_rows(client, staff, case_in_treatment):
    for model in admin.site._registry:
        response = client.get(_admin_url(model, "changelist"))
        assert response.status_code == 200, model
        obj = model._default_manager.first()
        if obj is not None:
            assert client.get(_admin_url(model, "change", obj.pk)).status_code == 200, model


def test_a_notification_in_the_admin_offers_no_view_on_site(client, staff, case_manager):
    """Its page belongs to its recipient: opening it marks it read, and to anyone else it
    does not exist."""
    from notifications.models import Notification

    note = Notification.objects.create(recipient=case_manager, kind="x", title="A costing")
    page = client.get(_admin_url(Notification, "change", note.pk)).content.decode()
    assert "A costing" in page
    assert "View on site" not in page and note.get_absolute_url() not in page


def test_case_state_cannot_be_edited_in_the_admin(client, staff, case_in_treatment):
    page = client.get(_admin_url(Case, "change", case_in_treatment.pk)).content.decode()
    assert "In treatment" in page
    assert 'name="state"' not in page
    client.post(_admin_url(Case, "change", case_in_treatment.pk), {"state": "closed"})
    case_in_treatment.refresh_from_db()
    assert case_in_treatment.state == CaseState.IN_TREATMENT


def test_timeline_events_cannot_be_added_changed_or_deleted(client, staff, case_in_treatment):
    event = TimelineEvent.objects.filter(case=case_in_treatment).first()
    assert client.get(_admin_url(TimelineEvent, "add")).status_code == 403
    assert client.post(_admin_url(TimelineEvent, "delete", event.pk), {"post": "yes"}).status_code == 403
    client.post(_admin_url(TimelineEvent, "change", event.pk), {"summary": "rewritten"})
    event.refresh_from_db()
    assert event.summary != "rewritten"


def _run_action(client, name, cases, **data):
    return client.post(_admin_url(Case, "changelist"), {
        "action": f"action_{name}", "_selected_action": [c.pk for c in cases], "apply": "1",
        **data}, follow=True)


def test_put_on_hold_action_goes_through_the_service(client, staff, case_in_treatment):
    confirm = client.post(_admin_url(Case, "changelist"), {
        "action": "action_put_on_hold", "_selected_action": [case_in_treatment.pk]})
    assert confirm.status_code == 200 and b"reason" in confirm.content

    response = _run_action(client, "put_on_hold", [case_in_treatment], reason="Admitted to hospital")
    assert response.status_code == 200
    case_in_treatment.refresh_from_db()
    assert case_in_treatment.state == CaseState.ON_HOLD
    event = case_in_treatment.timeline.get(kind="put_on_hold")
    assert event.actor == staff and event.target_state == CaseState.ON_HOLD


def test_a_refused_action_changes_nothing_and_says_why(client, staff, draft_case):
    events = TimelineEvent.objects.count()
    response = _run_action(client, "put_on_hold", [draft_case], reason="Holiday")
    draft_case.refresh_from_db()
    assert draft_case.state == CaseState.DRAFT
    assert TimelineEvent.objects.count() == events
    assert "only when it is" in response.content.decode()


def test_admin_offers_only_the_administrative_steps():
    assert set(ADMIN_STEPS) == {"put_on_hold", "resume", "withdraw", "close"}


def test_case_changelist_queries_do_not_grow_with_rows(client, staff):
    def count_queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(_admin_url(Case, "changelist")).status_code == 200
        return len(ctx)

    f.CaseFactory()
    count_queries()  # the first request of a session also records when it started
    one = count_queries()
    for _ in range(10):
        f.CaseFactory()
    assert count_queries() == one


def test_each_rows_checkbox_is_djangos_own_markup(draft_case):
    draft_case.client.family_name = "O'Brien <b>"
    draft_case.client.save()
    model_admin = admin.site._registry[Case]
    assert isinstance(model_admin, LargeTableAdmin)
    assert model_admin.action_checkbox(draft_case) == admin.ModelAdmin.action_checkbox(
        model_admin, draft_case)
    assert "O&#x27;Brien &lt;b&gt;" in model_admin.action_checkbox(draft_case)


def test_a_long_list_renders_no_widget_for_each_row(client, staff, monkeypatch):
    from django import forms

    for _ in range(3):
        f.CaseFactory()
    widgets = []
    monkeypatch.setattr(forms.CheckboxInput, "render",
                        lambda self, *args, **kwargs: widgets.append(args) or "")
    page = client.get(_admin_url(Case, "changelist")).content.decode()
    assert page.count('class="action-select"') == 3 and widgets == []
