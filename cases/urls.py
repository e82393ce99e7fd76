from __future__ import annotations

from django.urls import path

from .views import case_tabs, clients, pages, records, steps

urlpatterns = [
    path("", pages.home, name="home"),
    path("cases/", pages.case_list, name="case-list"),
    path("cases/<int:pk>/", case_tabs.case_detail, name="case-detail"),
    path("cases/<int:pk>/clinical/", case_tabs.case_clinical, name="case-clinical"),
    path("cases/<int:pk>/sessions/", case_tabs.case_sessions, name="case-sessions"),
    path("cases/<int:pk>/history/", case_tabs.case_history, name="case-history"),
    path("cases/<int:pk>/documents/", case_tabs.case_documents, name="case-documents"),
    path("cases/<int:pk>/steps/<slug:name>/", steps.step, name="case-step"),
    path("cases/<int:pk>/notes/new/", records.note_add, name="note-add"),
    path("cases/<int:pk>/physiotherapist/", records.physiotherapist_change,
         name="physiotherapist-change"),
    path("cases/<int:pk>/risks/new/", records.risk_add_view, name="risk-add"),
    path("risks/<int:pk>/edit/", records.risk_edit, name="risk-edit"),
    path("cases/<int:pk>/onward-referrals/new/", records.onward_add, name="onward-add"),
    path("onward-referrals/<int:pk>/edit/", records.onward_edit, name="onward-edit"),
    path("clients/", clients.client_list, name="client-list"),
    path("clients/new/", clients.client_create_view, name="client-create"),
    path("clients/<int:pk>/", clients.client_detail, name="client-detail"),
    path("clients/<int:pk>/edit/", clients.client_edit, name="client-edit"),
    path("clients/<int:pk>/history/", clients.client_history_view, name="client-history"),
    path("clients/<int:pk>/contacts/new/", clients.contact_add, name="contact-add"),
    path("clients/<int:pk>/consents/new/", clients.consent_add, name="consent-add"),
]
