from __future__ import annotations

from django.urls import path

from . import views

urlpatterns = [
    path("", views.notification_list, name="notification-list"),
    path("<int:pk>/", views.notification_open, name="notification-open"),
    path("read-all/", views.notification_read_all, name="notification-read-all"),
    path("preferences/", views.email_preferences, name="notification-preferences"),
]
