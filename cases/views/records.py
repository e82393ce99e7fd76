"""Records kept along a case: notes, risks and onward referrals."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse

from cases.forms import CaseNoteForm, OnwardReferralForm, ReassignPhysiotherapistForm, RiskForm
from cases.models import OnwardReferral, Risk
from cases.selectors import case_get_for, record_get_for
from cases.services import (
    case_note_add,
    case_reassign_physiotherapist,
    onward_referral_add,
    onward_referral_update,
    risk_add,
    risk_update,
)

from .base import case_form


def _fields(form) -> dict:
    return {name: form.cleaned_data[name] for name in form.Meta.fields}


# Whom a form page names: its subject line is the case and its client. The risk and the
# physiotherapist forms also offer the people on the case, and fetch them all.
NAMED = ("client",)


@login_required
def note_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_get_for(user=request.user, pk=pk, related=NAMED)
    form = CaseNoteForm(request.POST or None)
    return case_form(request, case=case, form=form, title="Add a case note", action="add_case_note",
                     message="Note added.",
                     save=lambda f: case_note_add(case=case, actor=request.user, **_fields(f)))


@login_required
def risk_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_get_for(user=request.user, pk=pk)
    form = RiskForm(request.POST or None, case=case)
    return case_form(request, case=case, form=form, title="Record a risk", action="manage_risks",
                     message="Risk recorded.",
                     save=lambda f: risk_add(case=case, actor=request.user, **_fields(f)))


@login_required
def risk_edit(request: HttpRequest, pk: int) -> HttpResponse:
    risk = record_get_for(user=request.user, model=Risk, pk=pk)
    form = RiskForm(request.POST or None, instance=risk, case=risk.case)
    return case_form(request, case=risk.case, form=form, title="Review a risk", action="manage_risks",
                     message="Risk updated.",
                     save=lambda f: risk_update(risk=risk, actor=request.user, **_fields(f)))


@login_required
def onward_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_get_for(user=request.user, pk=pk, related=NAMED)
    form = OnwardReferralForm(request.POST or None)
    return case_form(request, case=case, form=form, title="Refer on to another service",
                     action="manage_onward_referrals",
                     message="Onward referral recorded.",
                     save=lambda f: onward_referral_add(case=case, actor=request.user,
                                                        **_fields(f)))


@login_required
def onward_edit(request: HttpRequest, pk: int) -> HttpResponse:
    onward = record_get_for(user=request.user, model=OnwardReferral, pk=pk)
    form = OnwardReferralForm(request.POST or None, instance=onward)
    return case_form(request, case=onward.case, form=form, title="Update an onward referral",
                     action="manage_onward_referrals",
                     message="Onward referral updated.",
                     save=lambda f: onward_referral_update(onward=onward, actor=request.user,
                                                           **_fields(f)))


@login_required
def physiotherapist_change(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_get_for(user=request.user, pk=pk)
    form = ReassignPhysiotherapistForm(request.POST or None, case=case)
    return case_form(request, case=case, form=form, title="Change the physiotherapist",
                     action="reassign_physiotherapist",
                     message="Physiotherapist changed.",
                     save=lambda f: case_reassign_physiotherapist(
                         case=case, actor=request.user, **f.cleaned_data))
