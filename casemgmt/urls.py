from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.views import LoginView
from django.urls import include, path
from django.views.generic import RedirectView

from accounts.forms import SignInForm
from accounts.two_factor import two_factor
from casemgmt.health import healthz

admin.site.site_header = "casework administration"
admin.site.site_title = "casework admin"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # One sign-in page for everyone, with its lockout and second factor.
    path("admin/login/", RedirectView.as_view(url="/accounts/login/?next=/admin/",
                                              query_string=False), name="admin-login"),
    path("admin/", admin.site.urls),
    path("api/", include("api.urls")),
    path("accounts/two-factor/", two_factor, name="two-factor"),
    path("accounts/login/", LoginView.as_view(authentication_form=SignInForm), name="login"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("cases.urls")),
    path("", include("referrals.urls")),
    path("", include("assessments.urls")),
    path("", include("careplans.urls")),
    path("", include("reports.urls")),
    path("", include("privacy.urls")),
    path("notifications/", include("notifications.urls")),
]
