from __future__ import annotations

from django.urls import path

from . import views

urlpatterns = [
    path("cases/<int:pk>/care-plan/", views.care_plan_edit, name="care-plan-edit"),
    path("cases/<int:pk>/progress-reports/new/", views.progress_report_add,
         name="progress-report-add"),
    path("cases/<int:pk>/review/", views.review_record_view, name="review-record"),
    path("cases/<int:pk>/discharge/", views.discharge_edit, name="discharge-edit"),
]
