from __future__ import annotations

import contextlib

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import models
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import Organisation, User
from .services import user_deactivate, user_end_sessions, user_reset_second_factor, user_unlock


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "postcode", "phone", "email"]
    list_filter = ["kind"]
    search_fields = ["name", "postcode", "email"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "organisation", "is_active",
                    "is_staff", "last_login"]
    list_filter = ["role", "organisation", "is_active", "is_staff"]
    list_select_related = ["organisation"]
    search_fields = ["username", "first_name", "last_name", "email", "registration_number"]
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        ("Casework", {"fields": ["organisation", "role", "job_title", "qualification",
                                 "professional_body", "registration_number", "phone",
                                 "specialisms"]}),
    ]
    actions = ["deactivate", "end_sessions", "reset_second_factor", "unlock"]

    def save_model(self, request, obj: User, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if change and "is_active" in form.changed_data and not obj.is_active:
            user_end_sessions(user=obj)  # out on their next request, wherever they are

    @admin.action(description="Deactivate and sign out everywhere")
    def deactivate(self, request, queryset) -> None:
        for user in queryset:
            user_deactivate(user=user)
        self.message_user(request, f"{queryset.count()} deactivated and signed out.")

    @admin.action(description="Sign out everywhere (end sessions and API tokens)")
    def end_sessions(self, request, queryset) -> None:
        for user in queryset:
            user_end_sessions(user=user)
        self.message_user(request, f"{queryset.count()} signed out everywhere.")

    @admin.action(description="Reset two-factor sign-in (lost phone)")
    def reset_second_factor(self, request, queryset) -> None:
        for user in queryset:
            user_reset_second_factor(user=user)
        self.message_user(request, "Two-factor reset: each sets up an authenticator again at "
                                   "their next sign-in.", messages.WARNING)

    @admin.action(description="Unlock sign-in after too many failures")
    def unlock(self, request, queryset) -> None:
        cleared = sum(user_unlock(user=user) for user in queryset)
        self.message_user(request, f"Unlocked ({cleared} failed attempts cleared).")

    add_fieldsets = [
        *DjangoUserAdmin.add_fieldsets,
        ("Casework", {"fields": ["first_name", "last_name", "email", "organisation", "role",
                                 "qualification", "professional_body", "registration_number"]}),
    ]


# django-otp's own admin shows each user's secret as a QR code to any administrator (who
# could then pass anyone's second factor) and answers a 500 for a device id that does not
# exist. Ours lists the devices and nothing more: a lost phone is reset from the user list.
with contextlib.suppress(admin.sites.NotRegistered):
    admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class AuthenticatorAdmin(admin.ModelAdmin):
    list_display = ["user", "name", "confirmed", "created_at", "last_used_at"]
    list_filter = ["confirmed"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__last_name"]
    fields = ["user", "name", "confirmed", "created_at", "last_used_at"]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
