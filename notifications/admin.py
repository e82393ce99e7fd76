from __future__ import annotations

from django.contrib import admin

from cases.admin import ReadOnlyMixin
from cases.admin_paginator import LargeTableAdmin, when_filter

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(LargeTableAdmin, ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["created_at", "recipient", "kind", "title", "read_at", "emailed_at"]
    # Its page is its recipient's own: opening it marks it read, and to anyone else it is 404.
    view_on_site = False
    list_filter = [when_filter("created_at"), "email_wanted"]
    list_select_related = ["recipient"]
    search_fields = ["recipient__username", "title"]
