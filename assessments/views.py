"""Pages of the assessment, outcome measures and appointments."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse

from cases.selectors import case_get_for, record_get_for
from cases.views.base import case_form

from .forms import AppointmentForm, AppointmentOutcomeForm, AssessmentForm, OutcomeMeasureForm
from .models import Appointment
from .services import (
    appointment_book,
    appointment_record_outcome,
    assessment_save,
    outcome_measure_record,
)


@login_required
def assessment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The physiotherapist writes the assessment in its sections; saved as a draft until
    submitted with the case's step."""
    case = case_get_for(user=request.user, pk=pk)
    form = AssessmentForm(request.POST or None, instance=getattr(case, "assessment", None))
    return case_form(request, case=case, form=form, title="Assessment", action="edit_assessment",
                     message="Assessment saved. Submit it with the care plan and costing.",
                     template="assessments/assessment_form.html",
                     save=lambda f: assessment_save(case=case, actor=request.user,
                                                    **f.service_kwargs()))


@login_required
def measure_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_get_for(user=request.user, pk=pk)
    form = OutcomeMeasureForm(request.POST or None)
    return case_form(request, case=case, form=form, title="Record an outcome measure",
                     action="record_outcome_measure",
                     message="Outcome measure recorded.",
                     save=lambda f: outcome_measure_record(case=case, actor=request.user,
                                                           **f.cleaned_data))


@login_required
def appointment_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_get_for(user=request.user, pk=pk)
    form = AppointmentForm(request.POST or None)

    def save(f):
        data = {k: v for k, v in f.cleaned_data.items() if v not in (None, "")}
        return appointment_book(case=case, actor=request.user, **data)

    return case_form(request, case=case, form=form, title="Book a session", action="book_appointment",
                     message="Session booked.", save=save)


@login_required
def appointment_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = record_get_for(user=request.user, model=Appointment, pk=pk)
    form = AppointmentOutcomeForm(request.POST or None)
    return case_form(request, case=appointment.case, form=form,
                     action="record_appointment_outcome",
                     title=f"What happened at the {appointment.get_kind_display().lower()} on "
                           f"{appointment.start:%d/%m/%Y}?",
                     message="Outcome recorded.",
                     save=lambda f: appointment_record_outcome(appointment=appointment,
                                                               actor=request.user,
                                                               **f.cleaned_data))
