"""Reads of organisations and users."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Organisation, OrganisationKind, Role, User


def providers() -> QuerySet[Organisation]:
    return Organisation.objects.filter(kind=OrganisationKind.PROVIDER)


def physio_managers_of(organisation_id: int | None) -> QuerySet[User]:
    return User.objects.filter(
        organisation_id=organisation_id, role=Role.PHYSIO_MANAGER, is_active=True
    )


def physiotherapists_of(organisation_id: int | None) -> QuerySet[User]:
    return User.objects.filter(
        organisation_id=organisation_id, role=Role.PHYSIOTHERAPIST, is_active=True
    )


def case_managers_of(organisation_id: int | None) -> QuerySet[User]:
    return User.objects.filter(
        organisation_id=organisation_id, role=Role.CASE_MANAGER, is_active=True
    )
