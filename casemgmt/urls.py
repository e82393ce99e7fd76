from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from casemgmt.health import healthz

admin.site.site_header = "casework administration"
admin.site.site_title = "casework admin"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/", include("api.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("cases.urls")),
    path("", include("referrals.urls")),
    path("", include("assessments.urls")),
    path("", include("careplans.urls")),
    path("", include("reports.urls")),
    path("notifications/", include("notifications.urls")),
]
