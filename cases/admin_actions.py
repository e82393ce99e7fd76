"""Admin actions that take a case's administrative steps through the case services.

Each action asks for what its step needs on an intermediate page, then calls the service
for each selected case as the signed-in administrator. A refusal is reported, never forced.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from .errors import Refused
from .forms import DATE, TEXT
from .services import case_close, case_put_on_hold, case_resume, case_withdraw
from .workflow import STEPS


class ReasonForm(forms.Form):
    reason = forms.CharField(widget=TEXT)


class ResumeForm(forms.Form):
    next_report_due = forms.DateField(widget=DATE, label="Next progress report due")


class CloseForm(forms.Form):
    outcome_summary = forms.CharField(widget=TEXT)
    continuing_care = forms.CharField(widget=TEXT, label="What the client goes on with")


ADMIN_STEPS: dict[str, tuple[Callable[..., Any], type[forms.Form]]] = {
    "put_on_hold": (case_put_on_hold, ReasonForm),
    "resume": (case_resume, ResumeForm),
    "withdraw": (case_withdraw, ReasonForm),
    "close": (case_close, CloseForm),
}


def step_action(name: str):
    service, form_class = ADMIN_STEPS[name]
    step = STEPS[name]

    @admin.action(description=f"{step.button} (asks for details)")
    def action(modeladmin, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        form = form_class(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            done = 0
            for case in queryset:
                try:
                    service(case=case, actor=request.user, **form.cleaned_data)
                    done += 1
                except Refused as refused:
                    modeladmin.message_user(request, f"{case.reference}: {refused.message}",
                                            messages.ERROR)
            if done:
                modeladmin.message_user(request, f"{step.button}: done for {done} case(s).",
                                        messages.SUCCESS)
            return None
        context = {
            **modeladmin.admin_site.each_context(request),
            "title": f"{step.button}: {queryset.count()} case(s)",
            "form": form, "cases": queryset, "action": request.POST.get("action"),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME, "opts": modeladmin.model._meta,
            "step": step,
        }
        return TemplateResponse(request, "admin/cases/case/step_action.html", context)

    action.__name__ = f"action_{name}"
    return action
