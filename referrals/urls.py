from __future__ import annotations

from django.urls import path

from . import views

urlpatterns = [
    path("clients/<int:pk>/cases/new/", views.case_create_view, name="case-create"),
    path("cases/<int:pk>/referral/", views.referral_edit, name="referral-edit"),
    path("cases/<int:pk>/provider/", views.case_provider, name="case-provider"),
    path("cases/<int:pk>/documents/new/", views.document_add_view, name="document-add"),
    path("documents/<int:pk>/", views.document_download, name="document-download"),
    path("cases/<int:pk>/costings/extra/", views.extra_costing, name="extra-costing"),
]
