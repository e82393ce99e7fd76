from __future__ import annotations

from django.urls import path

from . import views

urlpatterns = [
    path("cases/<int:pk>/assessment/", views.assessment_edit, name="assessment-edit"),
    path("cases/<int:pk>/measures/new/", views.measure_add, name="measure-add"),
    path("cases/<int:pk>/appointments/new/", views.appointment_add, name="appointment-add"),
    path("appointments/<int:pk>/outcome/", views.appointment_outcome, name="appointment-outcome"),
]
