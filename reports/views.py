"""Stored reports: downloaded only by those who may see the case, rendered again on demand."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from casemgmt.downloads import attachment
from cases.errors import Refused
from cases.selectors import record_get_for

from .models import StoredReport
from .services import report_render_again


@login_required
def report_download(request: HttpRequest, pk: int) -> FileResponse:
    report = record_get_for(user=request.user, model=StoredReport, pk=pk)
    return attachment(report, report.file, "application/pdf")


@login_required
@require_POST
def report_rerender(request: HttpRequest, pk: int) -> HttpResponse:
    report = record_get_for(user=request.user, model=StoredReport, pk=pk)
    try:
        report_render_again(case=report.case, actor=request.user, kind=report.kind,
                            source_id=report.source_id)
    except Refused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, f"{report.get_kind_display()} rendered again.")
    return redirect(report.case.get_absolute_url())
