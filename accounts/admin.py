from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import models

from .models import Organisation, User


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
    add_fieldsets = [
        *DjangoUserAdmin.add_fieldsets,
        ("Casework", {"fields": ["first_name", "last_name", "email", "organisation", "role",
                                 "qualification", "professional_body", "registration_number"]}),
    ]
