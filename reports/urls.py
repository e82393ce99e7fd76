from __future__ import annotations

from django.urls import path

from . import views

urlpatterns = [
    path("reports/<int:pk>/", views.report_download, name="report-download"),
    path("reports/<int:pk>/render/", views.report_rerender, name="report-rerender"),
]
