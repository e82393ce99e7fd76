from __future__ import annotations

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from . import views
from .token import TokenView

router = DefaultRouter(trailing_slash=True)
router.register("clients", views.ClientViewSet, basename="api-client")
router.register("cases", views.CaseViewSet, basename="api-case")
router.register("appointments", views.AppointmentViewSet, basename="api-appointment")
router.register("risks", views.RiskViewSet, basename="api-risk")
router.register("onward-referrals", views.OnwardReferralViewSet, basename="api-onward")
router.register("notifications", views.NotificationViewSet, basename="api-notification")

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its script as a file, so the docs need no inline script.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include(router.urls)),
]
