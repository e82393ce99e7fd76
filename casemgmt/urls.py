from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from casemgmt.health import healthz
from cases import views as case_views

admin.site.site_header = "casework administration"
admin.site.site_title = "casework admin"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", case_views.home, name="home"),
    path("clients/<int:pk>/", case_views.client_detail, name="client-detail"),
    path("cases/<int:pk>/", case_views.case_detail, name="case-detail"),
]
