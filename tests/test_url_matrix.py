"""Every URL pattern of the application, with every method it answers, as anonymous and as
each of seven people, against the expected table below. The patterns come from the URL
configuration itself: a new page or endpoint without a row in the table fails this test.

The people, around one case of client C (firm A) referred to provider P, in treatment:

    anon  nobody signed in
    cmA   the case manager of firm A (the case's)     cmB  a case manager of firm B
    pmP   a physiotherapy manager of provider P       phA  the physiotherapist assigned
    phP   a physiotherapist at P, not on the case     phQ  a physiotherapist of provider Q
    adm   an administrator (staff)

Web pages are asked with an empty form on POST; the API with an empty JSON body. The admin's
own pages (two hundred of them) follow one rule, checked for each: only staff get past the
sign-in. Besides the status, every signed-in response must say `Cache-Control: no-store`,
and nothing may answer 500.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from cases.models import CaseState, OnwardReferral, Risk
from cases.services import onward_referral_add, risk_add
from notifications.models import Notification
from notifications.services import notify
from referrals.models import ReferralDocument
from reports.models import StoredReport

from . import factories as f
from .auth import sign_in, token_for
from .journey import People, advance

pytestmark = pytest.mark.django_db

PEOPLE = ["anon", "cmA", "cmB", "pmP", "phA", "phP", "phQ", "adm"]

# route name, method, then the status each person gets, in the order of PEOPLE.
# 302 for anon on the web is the way to the sign-in page; 404 is "not found" whether the
# record does not exist or is not yours; 403 a refusal with the reason; 400 the empty form
# sent back with its errors; 405 a method the page does not take.
EXPECTED = """
healthz                       GET     200 200 200 200 200 200 200 200
healthz                       POST    405 405 405 405 405 405 405 405
admin-login                   GET     302 302 302 302 302 302 302 302
admin-login                   POST    302 302 302 302 302 302 302 302
login                         GET     200 200 200 200 200 200 200 200
login                         POST    200 200 200 200 200 200 200 200
logout                        GET     405 405 405 405 405 405 405 405
logout                        POST    302 302 302 302 302 302 302 302
two-factor                    GET     302 302 302 302 302 302 302 302
two-factor                    POST    302 302 302 302 302 302 302 302
password_change               GET     302 200 200 200 200 200 200 200
password_change               POST    302 200 200 200 200 200 200 200
password_change_done          GET     302 200 200 200 200 200 200 200
password_change_done          POST    302 405 405 405 405 405 405 405
password_reset                GET     200 200 200 200 200 200 200 200
password_reset                POST    200 200 200 200 200 200 200 200
password_reset_done           GET     200 200 200 200 200 200 200 200
password_reset_done           POST    405 405 405 405 405 405 405 405
password_reset_confirm        GET     200 200 200 200 200 200 200 200
password_reset_confirm        POST    200 200 200 200 200 200 200 200
password_reset_complete       GET     200 200 200 200 200 200 200 200
password_reset_complete       POST    405 405 405 405 405 405 405 405
home                          GET     302 200 200 200 200 200 200 200
home                          POST    302 200 200 200 200 200 200 200
case-list                     GET     302 200 200 200 200 200 200 200
case-list                     POST    302 200 200 200 200 200 200 200
case-detail                   GET     302 200 404 200 200 404 404 200
case-detail                   POST    302 200 404 200 200 404 404 200
case-clinical                 GET     302 200 404 200 200 404 404 200
case-clinical                 POST    302 200 404 200 200 404 404 200
case-sessions                 GET     302 200 404 200 200 404 404 200
case-sessions                 POST    302 200 404 200 200 404 404 200
case-history                  GET     302 200 404 200 200 404 404 200
case-history                  POST    302 200 404 200 200 404 404 200
case-documents                GET     302 200 404 200 200 404 404 200
case-documents                POST    302 200 404 200 200 404 404 200
case-step                     GET     302 200 404 403 403 404 404 200
case-step                     POST    302 400 404 403 403 404 404 400
note-add                      GET     302 200 404 200 200 404 404 403
note-add                      POST    302 400 404 400 400 404 404 403
physiotherapist-change        GET     302 403 404 200 403 404 404 403
physiotherapist-change        POST    302 403 404 400 403 404 404 403
risk-add                      GET     302 200 404 200 200 404 404 403
risk-add                      POST    302 400 404 400 400 404 404 403
risk-edit                     GET     302 200 404 200 200 404 404 403
risk-edit                     POST    302 400 404 400 400 404 404 403
onward-add                    GET     302 200 404 403 200 404 404 403
onward-add                    POST    302 400 404 403 400 404 404 403
onward-edit                   GET     302 200 404 403 200 404 404 403
onward-edit                   POST    302 400 404 403 400 404 404 403
client-list                   GET     302 200 200 200 200 200 200 200
client-list                   POST    302 200 200 200 200 200 200 200
client-create                 GET     302 200 200 403 403 403 403 403
client-create                 POST    302 400 400 403 403 403 403 403
client-detail                 GET     302 200 404 200 200 404 404 200
client-detail                 POST    302 200 404 200 200 404 404 200
client-edit                   GET     302 200 404 403 403 404 404 403
client-edit                   POST    302 400 404 403 403 404 404 403
client-history                GET     302 200 404 403 403 404 404 403
client-history                POST    302 200 404 403 403 404 404 403
contact-add                   GET     302 200 404 403 403 404 404 403
contact-add                   POST    302 400 404 403 403 404 404 403
consent-add                   GET     302 200 404 403 403 404 404 403
consent-add                   POST    302 400 404 403 403 404 404 403
case-create                   GET     302 200 404 403 403 404 404 403
case-create                   POST    302 400 404 403 403 404 404 403
referral-edit                 GET     302 200 404 403 403 404 404 403
referral-edit                 POST    302 400 404 403 403 404 404 403
case-provider                 GET     302 200 404 403 403 404 404 403
case-provider                 POST    302 400 404 403 403 404 404 403
document-add                  GET     302 200 404 200 200 404 404 403
document-add                  POST    302 400 404 400 400 404 404 403
document-download             GET     302 200 404 200 200 404 404 200
document-download             POST    302 200 404 200 200 404 404 200
extra-costing                 GET     302 403 404 200 403 404 404 403
extra-costing                 POST    302 403 404 400 403 404 404 403
assessment-edit               GET     302 403 404 403 200 404 404 403
assessment-edit               POST    302 403 404 403 400 404 404 403
measure-add                   GET     302 403 404 403 200 404 404 403
measure-add                   POST    302 403 404 403 400 404 404 403
appointment-add               GET     302 403 404 200 200 404 404 403
appointment-add               POST    302 403 404 400 400 404 404 403
appointment-outcome           GET     302 403 404 200 200 404 404 403
appointment-outcome           POST    302 403 404 400 400 404 404 403
care-plan-edit                GET     302 403 404 403 200 404 404 403
care-plan-edit                POST    302 403 404 403 400 404 404 403
progress-report-add           GET     302 403 404 403 200 404 404 403
progress-report-add           POST    302 403 404 403 400 404 404 403
review-record                 GET     302 200 404 403 200 404 404 403
review-record                 POST    302 400 404 403 400 404 404 403
discharge-edit                GET     302 403 404 403 200 404 404 403
discharge-edit                POST    302 403 404 403 400 404 404 403
report-download               GET     302 200 404 200 200 404 404 200
report-download               POST    302 200 404 200 200 404 404 200
report-rerender               GET     302 405 405 405 405 405 405 405
report-rerender               POST    302 302 404 302 302 404 404 302
client-export                 GET     302 200 404 403 403 404 404 403
client-export                 POST    302 200 404 403 403 404 404 403
notification-list             GET     302 200 200 200 200 200 200 200
notification-list             POST    302 200 200 200 200 200 200 200
notification-open             GET     302 302 404 404 404 404 404 404
notification-open             POST    302 302 404 404 404 404 404 404
notification-read-all         GET     302 405 405 405 405 405 405 405
notification-read-all         POST    302 302 302 302 302 302 302 302
notification-preferences      GET     302 200 200 200 200 200 200 200
notification-preferences      POST    302 302 302 302 302 302 302 302
api-token                     POST    400 400 400 400 400 400 400 400
api-schema                    GET     200 200 200 200 200 200 200 200
api-docs                      GET     200 200 200 200 200 200 200 200
api-root                      GET     401 200 200 200 200 200 200 200
api-client-list               GET     401 200 200 200 200 200 200 200
api-client-list               POST    401 400 400 403 403 403 403 403
api-client-detail             GET     401 200 404 200 200 404 404 200
api-client-detail             PATCH   401 200 404 403 403 404 404 403
api-case-list                 GET     401 200 200 200 200 200 200 200
api-case-list                 POST    401 400 400 403 403 403 403 403
api-case-detail               GET     401 200 404 200 200 404 404 200
api-case-transitions          GET     401 200 404 200 200 404 404 200
api-case-take                 POST    401 400 404 403 403 404 404 400
api-case-notes                GET     401 200 404 200 200 404 404 200
api-case-notes                POST    401 400 404 400 400 404 404 403
api-case-risks                GET     401 200 404 200 200 404 404 200
api-case-risks                POST    401 400 404 400 400 404 404 403
api-case-onward-referrals     GET     401 200 404 200 200 404 404 200
api-case-onward-referrals     POST    401 400 404 403 400 404 404 403
api-case-documents            GET     401 200 404 200 200 404 404 200
api-case-documents            POST    401 415 404 415 415 404 404 403
api-case-referral             PATCH   401 409 404 403 403 404 404 403
api-case-assessment           PUT     401 403 404 403 409 404 404 403
api-case-care-plan            PUT     401 403 404 403 400 404 404 403
api-case-progress-reports     GET     401 200 404 200 200 404 404 200
api-case-progress-reports     POST    401 403 404 403 400 404 404 403
api-case-appointments         GET     401 200 404 200 200 404 404 200
api-case-appointments         POST    401 403 404 400 400 404 404 403
api-case-measures             GET     401 200 404 200 200 404 404 200
api-case-measures             POST    401 403 404 403 400 404 404 403
api-case-discharge            PUT     401 403 404 403 400 404 404 403
api-case-extra-costing        POST    401 403 404 400 403 404 404 403
api-case-reviews              GET     401 200 404 200 200 404 404 200
api-case-reports              GET     401 200 404 200 200 404 404 200
api-case-timeline             GET     401 200 404 200 200 404 404 200
api-case-review               PATCH   401 409 404 403 409 404 404 403
api-case-physiotherapist      POST    401 403 404 400 403 404 404 403
api-appointment-outcome       POST    401 403 404 400 400 404 404 403
api-risk-detail               PATCH   401 200 404 200 200 404 404 403
api-onward-detail             PATCH   401 200 404 403 200 404 404 403
api-notification-list         GET     401 200 200 200 200 200 200 200
api-notification-read         POST    401 200 404 404 404 404 404 404
"""

# The admin's pages: anyone not staff is sent to the sign-in page.
ADMIN_NON_STAFF = 302
OBJECT_ROUTES = {"pk", "object_id"}


@dataclass(frozen=True)
class Route:
    name: str
    pattern: str
    methods: tuple[str, ...]
    api: bool

    @property
    def admin(self) -> bool:
        return self.name.startswith("admin:")


def routes() -> list[Route]:
    """Every pattern of the URL configuration, with the methods it answers."""
    found: list[Route] = []

    def walk(patterns, prefix: str, namespace: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                inner = f"{namespace}:{p.namespace}" if namespace and p.namespace else (
                    p.namespace or namespace)
                walk(p.url_patterns, prefix + str(p.pattern), inner)
                continue
            route = prefix + str(p.pattern)
            if "format" in route:  # DRF's .json suffix variants of the same views
                continue
            name = f"{namespace}:{p.name}" if namespace else (p.name or route)
            found.append(Route(name, route, _methods(p, route), route.startswith("api/")))

    walk(get_resolver().url_patterns, "", "")
    return found


def _methods(pattern: URLPattern, route: str) -> tuple[str, ...]:
    cls = getattr(pattern.callback, "cls", None)
    actions = getattr(pattern.callback, "actions", None)
    if actions:  # DRF adds "head" to this mapping once a request has been served
        return tuple(m.upper() for m in sorted(actions)
                     if m in cls.http_method_names and m not in ("head", "options"))
    if cls is not None and route.startswith("api/"):
        return tuple(m.upper() for m in ("get", "post", "put", "patch", "delete")
                     if hasattr(cls, m))
    return ("GET", "POST")


def expected_table() -> dict[tuple[str, str], dict[str, int]]:
    table = {}
    for line in EXPECTED.strip().splitlines():
        name, method, *codes = line.split()
        table[(name, method)] = dict(zip(PEOPLE, map(int, codes), strict=True))
    return table


@pytest.fixture
def world(case_manager, physio_manager, physio, draft_case, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = advance(draft_case, People(case_manager, physio_manager, physio),
                       to=CaseState.IN_TREATMENT)
    risk_add(case=case, actor=case_manager, description="Falls at home", likelihood=2, impact=3)
    onward_referral_add(case=case, actor=case_manager, to_service="District nursing",
                        reason="Wound care")
    from django.core.files.uploadedfile import SimpleUploadedFile

    from referrals.services import document_add
    document_add(case=case, actor=case_manager, title="Consultant letter", kind="other",
                 file=SimpleUploadedFile("letter.pdf", b"%PDF-1.4\n%%EOF\n"))
    notify(case=case, kind="test", title=f"{case.reference}: for the case manager",
           recipients=[case_manager])
    other_pm = f.PhysioManagerFactory()
    people = {
        "anon": None, "cmA": case_manager, "cmB": f.CaseManagerFactory(),
        "pmP": physio_manager, "phA": physio,
        "phP": f.PhysiotherapistFactory(organisation=physio.organisation),
        "phQ": f.PhysiotherapistFactory(organisation=other_pm.organisation),
        "adm": f.StaffFactory(),
    }
    ids = {
        "case": case.pk, "client": case.client_id,
        "risk": Risk.objects.get(case=case).pk,
        "onward": OnwardReferral.objects.get(case=case).pk,
        "document": ReferralDocument.objects.get(case=case).pk,
        "report": StoredReport.objects.filter(case=case).first().pk,
        "appointment": case.appointments.first().pk,
        "notification": Notification.objects.get(recipient=case_manager, kind="test").pk,
    }
    return {"case": case, "people": people, "ids": ids}


# Which record a route's <pk> names.
PK_OF = {
    "risk-edit": "risk", "api-risk-detail": "risk", "onward-edit": "onward",
    "api-onward-detail": "onward", "document-download": "document", "report-download": "report",
    "report-rerender": "report", "appointment-outcome": "appointment",
    "api-appointment-outcome": "appointment", "notification-open": "notification",
    "api-notification-read": "notification",
}
CLIENT_ROUTES = {"client-detail", "client-edit", "client-history", "contact-add", "consent-add",
                 "case-create", "client-export", "api-client-detail"}


def url_for(route: Route, ids: dict[str, int], admin_ids: dict[str, str]) -> str:
    if route.admin:
        return "/" + _fill_admin(route, admin_ids)
    if route.name in PK_OF:
        pk = ids[PK_OF[route.name]]
    elif route.name in CLIENT_ROUTES:
        pk = ids["client"]
    else:
        pk = ids["case"]
    path = route.pattern.replace("^", "").replace("$", "")
    path = re.sub(r"\(\?P<pk>[^)]*\)|<int:pk>|<pk>", str(pk), path)
    path = re.sub(r"\(\?P<name>[^)]*\)|<slug:name>", "put_on_hold", path)
    path = path.replace("<uidb64>", "MQ").replace("<token>", "not-a-token")
    return "/" + path


def _fill_admin(route: Route, admin_ids: dict[str, str]) -> str:
    path = route.pattern
    model = route.name.removeprefix("admin:").rsplit("_", 1)[0]
    path = path.replace("<path:object_id>", admin_ids.get(model, "1"))
    path = path.replace("<app_label>", "cases")
    path = re.sub(r"<int:content_type_id>|<path:content_type_id>", "1", path)
    path = re.sub(r"<[^>]+>", "1", path)
    return path.replace("^", "").replace("$", "")


def _admin_ids() -> dict[str, str]:
    from django.contrib import admin

    ids = {}
    for model in admin.site._registry:
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            ids[f"{model._meta.app_label}_{model._meta.model_name}"] = str(first.pk)
    return ids


def _ask(person: str, user, route: Route, method: str, url: str,
         signed_in: dict | None = None) -> tuple[int, dict]:
    """One request as `person`. With `signed_in` (a dict kept for one test), each person's
    browser is signed in once and kept while its session lasts: signing in was more than half
    of the matrix's time, and a request answers the same from a session of any age."""
    if route.api and route.name not in ("api-schema", "api-docs"):
        client = APIClient()
        if user is not None:
            client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(user)}")
        response = getattr(client, method.lower())(url, {}, format="json")
    else:
        client = _browser(user, signed_in)
        response = getattr(client, method.lower())(url, {})
    return response.status_code, response


def _browser(user, signed_in: dict | None) -> Client:
    """A browser signed in as `user` (anonymous for None): the kept one while its session
    cookie lasts (signing out on any page deletes it), else a new one."""
    kept = signed_in.get(user.pk) if signed_in is not None and user is not None else None
    cookie = kept.cookies.get(settings.SESSION_COOKIE_NAME) if kept else None
    if cookie is not None and cookie.value:
        return kept
    client = Client()
    if user is not None:
        sign_in(client, user)
        if signed_in is not None:
            signed_in[user.pk] = client
    return client


def test_every_route_and_method_answers_each_person_as_the_table_says(world):
    table = expected_table()
    admin_ids = _admin_ids()
    observed: dict[tuple[str, str], dict[str, int]] = {}
    problems, signed_in = [], {}
    for route in routes():
        if not route.admin:
            missing = [m for m in route.methods if (route.name, m) not in table]
            if missing:
                problems.append(f"no row in EXPECTED for {route.name} {missing}")
                continue
        url = url_for(route, world["ids"], admin_ids)
        for method in route.methods:
            row = observed.setdefault((route.name, method), {})
            for person in PEOPLE:
                user = world["people"][person]
                status, response = _ask(person, user, route, method, url, signed_in)
                row[person] = status
                where = f"{method} {url} as {person}"
                if status >= 500:
                    problems.append(f"{where}: {status}")
                public = route.name.startswith(("api-schema", "api-docs", "healthz"))
                stored = "no-store" not in response.get("Cache-Control", "")
                if user is not None and status != 302 and not public and stored:
                    problems.append(f"{where}: not marked no-store")
            if route.admin:
                for person in PEOPLE:
                    if person != "adm" and row[person] != ADMIN_NON_STAFF:
                        problems.append(f"{method} {url} as {person}: {row[person]}")
            elif row != table[(route.name, method)]:
                problems.append(f"{route.name} {method}: expected "
                                f"{_line(table[(route.name, method)])}, got {_line(row)}")
    stale = set(table) - set(observed)
    problems += [f"EXPECTED names a route that no longer exists: {k}" for k in sorted(stale)]
    assert not problems, "\n".join(problems)


def _line(row: dict[str, int]) -> str:
    return " ".join(f"{p}={row[p]}" for p in PEOPLE)


CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')


def test_probing_another_organisations_ids_is_exactly_like_probing_ids_that_do_not_exist(world):
    """For every route with an id in it: the outsiders (cmB, phP, phQ) get the same answer,
    to the byte, for the real record as for a number that is nobody's, and it shows nothing
    of the client."""
    case = world["case"]
    patient = case.client
    secrets = [patient.family_name, patient.given_name, patient.claim_reference,
               case.reference, "Falls at home", "Consultant letter"]
    missing = {key: 987_654 for key in world["ids"]}
    problems = []
    for route in routes():
        if route.admin or not re.search(r"<int:pk>|\(\?P<pk>", route.pattern):
            continue
        real = url_for(route, world["ids"], {})
        fake = url_for(route, missing, {})
        for method in route.methods:
            for person in ("cmB", "phP", "phQ"):
                user = world["people"][person]
                status, response = _ask(person, user, route, method, real)
                fake_status, fake_response = _ask(person, user, route, method, fake)
                body = CSRF.sub(b"", response.content)
                where = f"{method} {real} as {person}"
                # 405 (a page that takes POST only) is the same for any id, so tells nothing.
                if status != fake_status or status not in (404, 405):
                    problems.append(f"{where}: {status} (missing id: {fake_status})")
                if body != CSRF.sub(b"", fake_response.content):
                    problems.append(f"{where}: the answer differs from a missing id's")
                problems += [f"{where}: shows {s!r}" for s in secrets if s.encode() in body]
    assert not problems, "\n".join(problems)
