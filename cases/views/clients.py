"""Clients: the list with search, create and edit, the client page, contacts and consent."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.models import Func, Q, QuerySet, Value
from django.db.models.functions import Collate, Upper
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.permissions import can, may_add_clients
from casemgmt.paths import paths_by_id
from cases.forms import DATE, TEXT, ClientForm, RefusalMixin
from cases.models import Client
from cases.paging import cursor_id, keyset_ascending, keyset_union
from cases.selectors import client_cases_for, client_get_for, client_list_for
from cases.services import (
    client_create,
    client_update,
    consent_record,
    ensure_may_add_clients,
    family_contact_add,
)
from cases.validators import normalise_nhs_number
from cases.workflow import ensure_permitted

from .base import handle_form

PAGE_SIZE = 25
# What a row of the client list shows, read as values: a page of clients builds no model,
# and the template engine finds each cell's key at its first try.
CLIENT_ROW = ("pk", "family_name", "given_name", "date_of_birth", "nhs_number",
              "claim_reference")


def search_conditions(q: str) -> list[Q]:
    """The ways a search matches a client, one condition each: a date of birth (dd/mm/yyyy);
    or an NHS number, a claim reference, or the start of a family or given name (any word)."""
    import datetime as dt

    try:
        return [Q(date_of_birth=dt.datetime.strptime(q, "%d/%m/%Y").date())]
    except ValueError:
        pass
    conditions = [Q(claim_reference__iexact=q)]
    digits = normalise_nhs_number(q)
    if digits.isdigit() and len(digits) == 10:
        conditions.append(Q(nhs_number=digits))
    for word in q.split():
        # On the names as SEARCH_NAMES spells them, which is what the indexes hold.
        conditions += [Q(family__startswith=Upper(Value(word))),
                       Q(given__startswith=Upper(Value(word)))]
    return conditions


def _letter_by_letter(expression: Func) -> Func:
    """Compared letter by letter (collation "C"), as the name indexes are ordered. SQLite
    (the demo) compares text that way already and knows no collation of that name."""
    return expression if connection.vendor == "sqlite" else Collate(expression, "C")


# Search results run by the names in capitals, letter by letter, then the id. An index of
# each firm's clients in that order (migration 0011) then gives each way of matching its
# first page in order: a thousand "Smith"s cost what ten do, where sorting every match in
# the language's order made the search grow with the practice.
SEARCH_NAMES = {"family": lambda: _letter_by_letter(Upper("family_name")),
                "given": lambda: _letter_by_letter(Upper("given_name"))}
SEARCH_ORDER = ["family", "given", "pk"]


def search_branches(clients: QuerySet[Client], q: str) -> list[QuerySet[Client]]:
    """One query per way of matching, each with the names it is sorted by."""
    named = clients.annotate(**{name: spelt() for name, spelt in SEARCH_NAMES.items()})
    return [named.filter(condition) for condition in search_conditions(q)]


@login_required
def client_list(request: HttpRequest) -> HttpResponse:
    """Clients by name, a page at a time by keyset: no page counts the firm's clients."""
    q = request.GET.get("q", "").strip()
    after = request.GET.get("after", "")
    clients = client_list_for(request.user)
    if q:
        # Each way of matching is read from its own index, which holds the names (migration
        # 0009): only ids and names are sorted, however many share a surname, and the page's
        # clients are fetched after.
        page, next_cursor = keyset_union(search_branches(clients, q), SEARCH_ORDER, after,
                                         PAGE_SIZE)
        found = {row["pk"]: row for row in
                 clients.filter(pk__in=[row["pk"] for row in page]).values(*CLIENT_ROW)}
        rows = [found[row["pk"]] for row in page]
    else:
        rows, next_cursor = keyset_ascending(clients.values(*CLIENT_ROW),
                                             ["family_name", "given_name", "pk"], after,
                                             PAGE_SIZE)
    paths = paths_by_id("client-detail")
    return render(request, "cases/client_list.html", {
        "page": [{**row, "url": paths(row["pk"])} for row in rows], "q": q, "after": after,
        "next_cursor": next_cursor, "may_add": may_add_clients(request.user)})


@login_required
def client_create_view(request: HttpRequest) -> HttpResponse:
    ensure_may_add_clients(request.user)
    form = ClientForm(request.POST or None)
    return handle_form(
        request, form=form,
        save=lambda f: client_create(actor=request.user, **f.service_kwargs()),
        template="cases/client_form.html", context={"title": "Add a client"},
        success_url=lambda client: client.get_absolute_url(),
        success_message="Client added.",
    )


@login_required
def client_edit(request: HttpRequest, pk: int) -> HttpResponse:
    client = client_get_for(user=request.user, pk=pk)
    ensure_permitted(request.user, "edit_client", client)
    form = ClientForm(request.POST or None, instance=client)
    return handle_form(
        request, form=form,
        save=lambda f: client_update(client=client, actor=request.user, **f.service_kwargs()),
        template="cases/client_form.html",
        context={"title": f"Edit {client.full_name}", "client": client},
        success_url=client.get_absolute_url(), success_message="Client details saved.",
    )


@login_required
def client_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The client and all of their cases this user may see: the multidisciplinary view."""
    client = client_get_for(user=request.user, pk=pk)
    cases = client_cases_for(user=request.user, client=client)
    from cases.models import CaseNote, Risk

    context = {
        "client": client,
        "cases": cases,
        "contacts": client.contacts.all(),
        "consents": client.consents.select_related("recorded_by"),
        "risks": Risk.objects.filter(case__in=cases).select_related("owner", "case")
        .order_by("-is_open", "review_date"),
        "notes": CaseNote.objects.filter(case__in=cases).select_related("author", "case")[:30],
        "may_edit": can(request.user, "edit_client", client),
    }
    return render(request, "cases/client_detail.html", context)


@login_required
def client_history_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Every change to the client's records, for the case managers of the client's firm."""
    from audit.selectors import client_history, describe, readable_changes

    client = client_get_for(user=request.user, pk=pk)
    ensure_permitted(request.user, "view_history", client)
    before = request.GET.get("before", "")
    entries, next_before = client_history(client_id=client.pk, before_id=cursor_id(before))
    rows = [{"entry": e, "what": describe(e), "changes": readable_changes(e)} for e in entries]
    return render(request, "cases/client_history.html", {
        "client": client, "rows": rows, "next_before": next_before, "first_page": not before})


class ContactForm(RefusalMixin, forms.Form):
    name = forms.CharField(max_length=200)
    relationship = forms.CharField(max_length=100)
    phone = forms.CharField(max_length=40, required=False)
    email = forms.EmailField(required=False)
    is_next_of_kin = forms.BooleanField(required=False, label="Next of kin")
    notes = forms.CharField(required=False, widget=TEXT)


class ConsentForm(RefusalMixin, forms.Form):
    given_by = forms.CharField(max_length=200, initial="The client",
                               help_text="The client, or who gave it on their behalf and why.")
    given_on = forms.DateField(widget=DATE)
    shared_with = forms.CharField(widget=TEXT, help_text="Who information may be shared with.")
    scope = forms.CharField(widget=TEXT, help_text="What may be shared, and for what purpose.")


def _client_subform(request, pk, form_class, service, title, message):
    client = client_get_for(user=request.user, pk=pk)
    ensure_permitted(request.user, "edit_client", client)
    form = form_class(request.POST or None)
    return handle_form(
        request, form=form,
        save=lambda f: service(client=client, actor=request.user, **f.cleaned_data),
        template="cases/record_form.html",
        context={"title": title, "back": client.get_absolute_url(), "subject": client.full_name},
        success_url=client.get_absolute_url(), success_message=message,
    )


@login_required
def contact_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _client_subform(request, pk, ContactForm, family_contact_add,
                           "Add a family contact", "Contact added.")


@login_required
def consent_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _client_subform(request, pk, ConsentForm, consent_record,
                           "Record consent to share information", "Consent recorded.")
