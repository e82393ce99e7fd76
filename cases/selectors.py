"""Which records a user may see: the one place that decides, used by every view, the API,
exports, reports and the admin's non-staff paths. Outside a user's scope is "not found".

Fetching one client, case or record here is also what the access log hears of: each one
found is noted on the request's audit scope and written to the log as the response goes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Exists, Model, OuterRef, QuerySet
from django.http import Http404

from accounts.models import Role
from audit.context import looked_at
from casemgmt.db import planned_once

from .models import Case, Client

# Whom a case names, fetched with it in the same query unless the caller shows fewer.
CASE_PEOPLE = ("client", "firm", "provider", "case_manager", "physiotherapist")


def case_list_for(user: Any, *, related: tuple[str, ...] = CASE_PEOPLE) -> QuerySet[Case]:
    """Cases the user may see, with the `related` rows joined in.

    Case manager: the cases of their firm. Physiotherapy manager: cases referred to their
    provider, from the moment of referral (never a draft). Physiotherapist: cases they are
    proposed for or assigned to. Staff: all. Anyone else: none.
    """
    # A long list names few of them: each join costs planning and a model per row.
    cases = Case.objects.select_related(*related) if related else Case.objects.all()
    if not user or not user.is_authenticated or not user.is_active:
        return cases.none()
    if user.is_staff:
        return cases
    if user.role == Role.CASE_MANAGER:
        return cases.filter(firm_id=user.organisation_id)
    if user.role == Role.PHYSIO_MANAGER:
        return cases.filter(provider_id=user.organisation_id, referred_at__isnull=False)
    if user.role == Role.PHYSIOTHERAPIST:
        return cases.filter(physiotherapist_id=user.pk, referred_at__isnull=False)
    return cases.none()


def case_get_for(*, user: Any, pk: Any,
                 shape: Callable[[QuerySet[Case]], QuerySet[Case]] | None = None,
                 related: tuple[str, ...] = CASE_PEOPLE) -> Case:
    """One case the user may see, or Http404 exactly as for a case that does not exist.
    `shape` adds what the page needs to the same query (related rows, annotations);
    `related` is whom it names, as for `case_list_for`."""
    cases = case_list_for(user, related=related)
    case = _get_or_404(shape(cases) if shape else cases, pk)
    looked_at(client_id=case.client_id, case_id=case.pk)
    return case


def client_list_for(user: Any) -> QuerySet[Client]:
    """Clients the user may see: their firm's, or those with a case the user may see."""
    clients = Client.objects.select_related("firm")
    if not user or not user.is_authenticated or not user.is_active:
        return clients.none()
    if user.is_staff:
        return clients
    if user.role == Role.CASE_MANAGER:
        return clients.filter(firm_id=user.organisation_id)
    visible_cases = case_list_for(user).filter(client_id=OuterRef("pk"))
    return clients.filter(Exists(visible_cases))


def client_get_for(*, user: Any, pk: Any) -> Client:
    client = _get_or_404(client_list_for(user), pk)
    looked_at(client_id=client.pk)
    return client


def client_cases_for(*, user: Any, client: Client) -> QuerySet[Case]:
    """The client's cases this user may see: the multidisciplinary view, scoped."""
    return case_list_for(user).filter(client=client)


def records_for(user: Any, model: type[Model]) -> QuerySet[Any]:
    """Any record that hangs off a case (notes, risks, costings, appointments...), scoped
    by the cases the user may see."""
    return model.objects.filter(case__in=case_list_for(user).values("pk"))


def record_get_for(*, user: Any, model: type[Model], pk: Any) -> Any:
    record = _get_or_404(records_for(user, model).select_related("case"), pk)
    looked_at(client_id=record.case.client_id, case_id=record.case_id, record=record)
    return record


def _get_or_404(queryset: QuerySet[Any], pk: Any) -> Any:
    try:
        pk = int(pk)
    except (ValueError, TypeError):
        raise Http404("Not found.") from None
    # A row by its id, with the short lists a caller prefetches: planned once.
    with planned_once():
        try:
            return queryset.get(pk=pk)
        except queryset.model.DoesNotExist:
            raise Http404("Not found.") from None
