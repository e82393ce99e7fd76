from __future__ import annotations

from django.urls import path

from . import views

urlpatterns = [
    path("clients/<int:pk>/export/", views.client_export_view, name="client-export"),
]
