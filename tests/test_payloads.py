"""XSS and SSRF payloads typed into every free-text field come out inert, in HTML and in PDF.

What is proven here, for a client whose every free-text field (derived from the models of
`privacy.records.RECORDS`, less the documented skips in `tests/payloads.py`) holds a payload
of its own, put there through the real services, on a case walked from referral to closure
with a rejected costing, a progress report, a review with extra sessions and a discharge, a
second case on hold and a third declined:

- the fields covered are exactly the free-text fields of the models, less the skips;
- every page that any party of the case can reach (case manager, physiotherapy manager,
  assigned physiotherapist), at two points of the case's life, and every admin page of those
  records, shows the payloads as text: nothing unescaped, no element or URL attribute made
  from them, no javascript: link, no template evaluated;
- the API returns them as typed, as JSON only;
- the assessment, progress and final reports print them as characters, and rendering them
  fetches nothing but the application's own static files, touches no network and attaches
  nothing, both when a test renders them and when they are rendered and stored on commit.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from dataclasses import dataclass
from html import escape as html_escape
from html import unescape
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader
from pypdf.generic import IndirectObject

import reports.services as report_services
from assessments.services import (
    appointment_book,
    appointment_record_outcome,
    assessment_save,
    case_schedule_assessment,
    case_submit_assessment,
    outcome_measure_record,
)
from careplans.models import Discharge, ProgressReport
from careplans.services import (
    care_plan_save_draft,
    case_authorise_treatment,
    case_complete_review,
    case_discharge,
    case_request_review,
    current_plan,
    discharge_save,
    progress_report_submit,
    review_record,
)
from cases.models import Case, CaseState, Client
from cases.selectors import case_list_for
from cases.services import (
    case_close,
    case_create,
    case_note_add,
    case_put_on_hold,
    client_create,
    consent_record,
    family_contact_add,
    onward_referral_add,
    risk_add,
)
from privacy.records import RECORDS
from referrals.services import (
    case_approve_costing,
    case_decline_referral,
    case_propose_costing,
    case_reject_costing,
    case_submit_referral,
    costing_propose_extra,
    document_add,
)
from reports.fetcher import APP_ORIGIN
from reports.models import StoredReport
from reports.services import render_pdf, report_html

from . import factories as f
from .auth import api_as, sign_in
from .journey import People, advance, today
from .payloads import (
    EMAIL_KINDS,
    KINDS,
    MARKER,
    SKIPPED,
    SSRF_HOSTS,
    Payloads,
    Watch,
    free_text_fields,
    read_html,
    squeeze,
)

pytestmark = pytest.mark.django_db

UNDER_REVIEW, CLOSED = "under_review", "closed"


# --- the world: one client, every free-text field a payload, through the services ----------


@dataclass
class World:
    people: People
    payloads: Payloads
    client: Client
    main: Case  # walked to closed (or left under review), with every record along the way
    on_hold: Case
    declined: Case
    watch: Watch  # what report rendering asked for while the world was built

    @property
    def cases(self) -> list[Case]:
        return [Case.objects.get(pk=c.pk) for c in (self.main, self.on_hold, self.declined)]


def _plan(p: Payloads, version: int) -> dict[str, Any]:
    return {
        **p.texts("careplans.CarePlan", but=("change_reason",)),
        **({"change_reason": p.text("careplans.CarePlan", "change_reason")} if version > 1 else {}),
        "number_of_sessions": 6,
        "review_date": today() + dt.timedelta(weeks=6),
        "goals": [
            {"term": "short", "target_date": today() + dt.timedelta(weeks=8),
             **p.texts("careplans.Goal")},
            {"term": "long", "target_date": today() + dt.timedelta(weeks=12),
             "description": p.text("careplans.Goal", "description")},
        ],
        "interventions": [{"kind": "exercise", **p.texts("careplans.Intervention")}],
    }


def _lines(p: Payloads, kind: str, price: str, quantity: str = "1") -> list[dict[str, str]]:
    return [{"kind": kind, "description": p.text("referrals.CostingLine", "description"),
             "quantity": quantity, "unit_price": price}]


def _goal_progress(p: Payloads, case: Case, status: str, level: int) -> list[dict[str, Any]]:
    return [{"goal": g.pk, "status": status, "gas_level": level,
             "comment": p.text("careplans.GoalProgress", "comment")}
            for g in current_plan(case).goals.all()]


def _build(people: People, provider, stage: str, watch: Watch, on_commit) -> World:
    p = Payloads()
    cm, pm = people.case_manager, people.physio_manager

    client = client_create(actor=cm, date_of_birth=dt.date(1978, 4, 12),
                           preferred_contact="email", funder_kind="insurer",
                           **p.texts("cases.Client"))
    family_contact_add(client=client, actor=cm, is_next_of_kin=True,
                       **p.texts("cases.FamilyContact"))
    consent_record(client=client, actor=cm, given_on=today() - dt.timedelta(days=3),
                   **p.texts("cases.Consent"))

    # Two more cases of the same client, for the case fields one case cannot hold at once.
    # Built before on-commit work is captured: their plain reports need not be rendered.
    on_hold = advance(f.CaseFactory(client=client, case_manager=cm, provider=provider), people,
                      to=CaseState.IN_TREATMENT)
    case_put_on_hold(case=on_hold, actor=cm, reason=p.text("cases.Case", "hold_reason"))
    declined = f.CaseFactory(client=client, case_manager=cm, provider=provider)
    case_submit_referral(case=declined, actor=cm)
    case_decline_referral(case=Case.objects.get(pk=declined.pk), actor=pm,
                          reason=p.text("cases.Case", "end_reason"))

    # The main case, with the reports rendered and stored as each step commits.
    with on_commit(execute=True):
        main = _walk_main_case(people, provider, p, client, stage)
    return World(people, p, client, main, on_hold, declined, watch)


def _walk_main_case(people: People, provider, p: Payloads, client: Client, stage: str) -> Case:
    cm, pm, physio = people.case_manager, people.physio_manager, people.physio
    main = case_create(client=client, actor=cm, provider=provider,
                       condition_category="musculoskeletal", required_expertise="musculoskeletal",
                       urgency="routine", preferred_setting="home",
                       **p.texts("referrals.Referral"))

    def fresh() -> Case:
        return Case.objects.get(pk=main.pk)

    # Referral and the assessment costing: one rejected with a reason, one approved.
    case_submit_referral(case=fresh(), actor=cm)
    costing = {"physiotherapist": physio, "notes": p.text("referrals.Costing", "notes"),
               "lines": _lines(p, "initial_assessment", "120.00")}
    case_propose_costing(case=fresh(), actor=pm, **costing)
    case_reject_costing(case=fresh(), actor=cm,
                        reason=p.text("referrals.Costing", "decision_reason"))
    case_propose_costing(case=fresh(), actor=pm, **costing)
    case_approve_costing(case=fresh(), actor=cm,
                         authorisation_ref=p.text("referrals.Costing", "authorisation_ref"))

    # The assessment, far ahead (within the 52 weeks a booking may be) so that no other
    # booking of the physiotherapist clashes.
    start = (timezone.now() + dt.timedelta(days=300)).replace(hour=10, minute=0, second=0,
                                                              microsecond=0)
    where = p.texts("assessments.Appointment", but=("outcome_note",))
    case_schedule_assessment(case=fresh(), actor=pm, start=start,
                             end=start + dt.timedelta(hours=1), setting="home",
                             client_informed_via="phone", client_informed_at=timezone.now(),
                             **where)
    assessment_save(case=fresh(), actor=physio, assessed_on=today(), pain_at_rest=4,
                    pain_on_activity=7, **p.texts("assessments.Assessment"))
    care_plan_save_draft(case=fresh(), actor=physio, **_plan(p, version=1))
    case_submit_assessment(case=fresh(), actor=physio,
                           treatment_lines=_lines(p, "treatment_session", "75.00", "6"),
                           costing_notes=p.text("referrals.Costing", "notes"))
    case_authorise_treatment(case=fresh(), actor=cm,
                             authorisation_ref=p.text("referrals.Costing", "authorisation_ref"))

    # In treatment: a custom measure, sessions, a note, a risk, an onward referral, a document.
    outcome_measure_record(case=fresh(), actor=physio, measure="custom", score="3",
                           measured_on=today(), context="progress", custom_higher_is_better=True,
                           **p.texts("assessments.OutcomeMeasurement"))
    sessions = [appointment_book(case=fresh(), actor=pm, kind="treatment",
                                 start=start + dt.timedelta(days=day),
                                 end=start + dt.timedelta(days=day, hours=1), setting="clinic",
                                 **where) for day in (1, 2)]
    appointment_record_outcome(appointment=sessions[0], actor=physio,
                               outcome="cancelled_by_client",
                               note=p.text("assessments.Appointment", "outcome_note"))
    case_note_add(case=fresh(), actor=cm, kind="phone", minutes=10, **p.texts("cases.CaseNote"))
    risk_add(case=fresh(), actor=cm, likelihood=3, impact=4, owner=cm,
             review_date=today() + dt.timedelta(days=14), **p.texts("cases.Risk"))
    onward_referral_add(case=fresh(), actor=cm, status="sent", **p.texts("cases.OnwardReferral"))
    document_add(case=fresh(), actor=cm, kind="consultant_letter",
                 title=p.text("referrals.ReferralDocument", "title"),
                 file=SimpleUploadedFile("letter.pdf", b"%PDF-1.4\n%%EOF\n",
                                         content_type="application/pdf"))

    # A progress report, then a review with a new plan version and extra sessions costed.
    progress_report_submit(case=fresh(), actor=physio, period_start=today() - dt.timedelta(days=28),
                           period_end=today(), sessions_attended=3,
                           goals=_goal_progress(p, fresh(), "in_progress", -1),
                           **p.texts("careplans.ProgressReport"))
    case_request_review(case=fresh(), actor=physio, reason=p.text("careplans.Review", "reason"))
    review_record(case=fresh(), actor=cm, held_on=today(),
                  **p.texts("careplans.Review", but=("reason",)))
    care_plan_save_draft(case=fresh(), actor=physio, **_plan(p, version=2))
    costing_propose_extra(case=fresh(), actor=pm, lines=_lines(p, "treatment_session", "150.00"),
                          notes=p.text("referrals.Costing", "notes"))
    if stage == UNDER_REVIEW:
        return fresh()

    case_complete_review(case=fresh(), actor=cm, held_on=today(),
                         authorisation_ref=p.text("referrals.Costing", "authorisation_ref"),
                         **p.texts("careplans.Review", but=("reason",)))
    discharge_save(case=fresh(), actor=physio, discharged_on=today(), sessions_attended=6,
                   **p.texts("careplans.Discharge"))
    case_discharge(case=fresh(), actor=physio, goals=_goal_progress(p, fresh(), "achieved", 1))
    case_close(case=fresh(), actor=cm, **p.texts("cases.Case", but=("hold_reason", "end_reason")))
    return fresh()


@pytest.fixture
def make_world(case_manager, physio_manager, physio, provider, monkeypatch,
               django_capture_on_commit_callbacks):
    """Builds the world; every report rendered on commit meanwhile goes through a recording
    fetcher, with the network refused and recorded."""

    def make(stage: str = CLOSED) -> World:
        watch = Watch()
        monkeypatch.setattr(report_services, "AppOnlyFetcher", watch.fetcher_class())

        def watched_render(html, fetcher=None):
            with watch.no_network():
                return render_pdf(html, fetcher)

        monkeypatch.setattr(report_services, "render_pdf", watched_render)
        return _build(People(case_manager, physio_manager, physio), provider, stage, watch,
                      django_capture_on_commit_callbacks)

    return make


@pytest.fixture
def world(make_world) -> World:
    return make_world(CLOSED)


# --- coverage: every free-text field holds its payload ---------------------------------------


def test_the_skips_are_free_text_fields_and_every_kind_of_payload_is_used():
    derived = set(free_text_fields())
    assert set(SKIPPED) <= derived, set(SKIPPED) - derived
    kinds = {kind for kind, _ in Payloads().by_field.values()}
    assert kinds == set(KINDS) | set(EMAIL_KINDS)


def test_every_free_text_field_holds_its_payload_through_the_services(world):
    expected = set(free_text_fields()) - set(SKIPPED)
    assert world.payloads.asked == expected, expected ^ world.payloads.asked

    covered = set()
    for record in RECORDS:
        rows = list(record.for_client(world.client.pk).values())
        for label, name in expected:
            payload = world.payloads.payload((label, name))
            if label == record.label and any(row[name] == payload for row in rows):
                covered.add((label, name))
    # Kept exactly as typed: escaping is the job of whatever shows it.
    assert covered == expected, sorted(expected - covered)


# --- the checks themselves: each would catch a payload that came out live ---------------------

def test_the_checks_catch_every_payload_left_live():
    for kind, template in {**KINDS, **EMAIL_KINDS}.items():
        payload = template.replace("{m}", "zq_999")
        live = f"<!doctype html><html><body><p>{payload}</p></body></html>"
        # Two payloads are plain text even unescaped: live only once linked or evaluated.
        if kind == "metadata-url":
            live = live.replace(payload, f'<a href="{payload}">{payload}</a>')
        if kind == "template":
            live = live.replace(payload, "49zq_999")
        assert read_html(live, {"zq_999": payload}).problems, kind
        inert = f"<!doctype html><html><body><p>{html_escape(payload)}</p></body></html>"
        assert read_html(inert, {"zq_999": payload}).problems == [], kind

    # A report made of live markup: the fetcher records what it was asked for, and the PDF
    # holds the attachment and the link that the checks look for.
    live = (f'<html><head><link rel=stylesheet href="{APP_ORIGIN}static/reports/report.css">'
            f'</head><body><img src="file:///etc/passwd">'
            f'<link rel=attachment href="{APP_ORIGIN}static/reports/report.css">'
            f'<a href="http://169.254.169.254/latest/meta-data/">x</a></body></html>')
    watch = Watch()
    with watch.no_network():
        pdf = render_pdf(live, watch.fetcher_class()())
    assert watch.outside_the_app() == ["file:///etc/passwd"] == watch.refused
    problems = " ".join(pdf_problems(pdf))
    assert "attachments" in problems and "/EmbeddedFiles" in problems
    assert "/URI http://169.254.169.254/latest/meta-data/" in problems


# --- HTML: every page each party reaches -----------------------------------------------------

# Kept but shown on no page (the API, the admin and the subject access export have them; the
# progress and final reports print the goal comments): their payloads are checked there.
NOT_ON_ANY_PAGE = {
    ("cases.FamilyContact", "notes"),
    ("careplans.GoalProgress", "comment"),
    # Goal Attainment Scaling levels but the expected one: only the care plan form shows them,
    # and only while a plan version is a draft.
    ("careplans.Goal", "gas_much_less"), ("careplans.Goal", "gas_less"),
    ("careplans.Goal", "gas_more"), ("careplans.Goal", "gas_much_more"),
}
SKIP_PREFIXES = ("/admin/", "/api/", "/accounts/", "/static/", "/media/")


def crawl(client, starts: list[str], limit: int = 120) -> dict[str, Any]:
    """GET the start pages and every page of the application linked from them, as a person
    would click through; query strings are dropped (pages differ by path)."""
    queue, seen, pages = list(starts), set(), {}
    while queue and len(pages) < limit:
        path = urlsplit(queue.pop(0)).path
        if path in seen or path.startswith(SKIP_PREFIXES):
            continue
        seen.add(path)
        response = client.get(path)
        if not response.get("Content-Type", "").startswith("text/html"):
            # A document or report download (the PDF tests read those): read it to the end,
            # as a browser would, which closes it the way the test client expects. Closing it
            # by hand would close the test's database connection.
            b"".join(response.streaming_content) if response.streaming else response.content
            continue
        body = response.content.decode()
        pages[path] = (response, body)
        queue += [unescape(h) for h in re.findall(r'<a\s[^>]*href="(/[^"]*)"', body)]
    return pages


def _starts(world: World) -> list[str]:
    client = world.client.pk
    return ["/", reverse("client-list"), reverse("case-list"), reverse("notification-list"),
            reverse("client-detail", args=[client]), reverse("client-history", args=[client]),
            reverse("client-edit", args=[client]),
            *(case.get_absolute_url() for case in world.cases)]


@pytest.mark.parametrize("stage", [UNDER_REVIEW, CLOSED])
def test_every_page_each_party_reaches_shows_the_payloads_as_text(stage, make_world, client):
    world = make_world(stage)
    payloads = world.payloads.all
    shown_to: dict[str, set[str]] = {}
    for role, user in vars(world.people).items():
        sign_in(client, user)
        pages = crawl(client, _starts(world))
        problems, shown = [], set()
        for path, (response, body) in pages.items():
            assert response.status_code < 500, path
            if response.status_code == 200:
                csp = response["Content-Security-Policy"]
                assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split(
                    "script-src")[1].split(";")[0], path
            reading = read_html(body, payloads)
            problems += [f"{role} {path}: {problem}" for problem in reading.problems]
            shown |= reading.shown
        assert problems == []
        shown_to[role] = shown
        # The crawl reached the client's page and the page of every case this person may see
        # (and, for the case manager, the client's history).
        wanted = {reverse("client-detail", args=[world.client.pk])}
        wanted |= {case.get_absolute_url() for case in case_list_for(user)}
        if user == world.people.case_manager:
            wanted.add(reverse("client-history", args=[world.client.pk]))
        assert {path for path in wanted if pages[path][0].status_code == 200} == wanted

    # Not vacuous: each party saw payloads, and the pages showed every payload the world
    # holds, but for the few fields that no page shows.
    assert all(shown_to.values()), shown_to
    everything = set().union(*shown_to.values())
    expected = {world.payloads.marker(key) for key in world.payloads.asked
                if key not in NOT_ON_ANY_PAGE}
    assert expected <= everything, sorted(world.payloads.field_of(m) for m in expected - everything)


def test_every_admin_page_of_the_clients_records_shows_the_payloads_as_text(world, client):
    sign_in(client, f.StaffFactory(username="root"))
    problems, shown = [], set()
    for record in RECORDS:
        model = record.model
        if model not in admin.site._registry:
            continue
        info = (model._meta.app_label, model._meta.model_name)
        urls = [reverse("admin:{}_{}_changelist".format(*info))]
        urls += [reverse("admin:{}_{}_change".format(*info), args=[pk])
                 for pk in record.for_client(world.client.pk).values_list("pk", flat=True)[:5]]
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            reading = read_html(response.content.decode(), world.payloads.all)
            problems += [f"{url}: {problem}" for problem in reading.problems]
            shown |= reading.shown
    assert problems == []
    assert shown, "the admin pages showed none of the client's records"


def test_payloads_in_query_parameters_come_back_as_text(world, client):
    """The other free text a page takes: what is typed in a search box or put in a link."""
    payloads = {f"zq_9{n:02d}": template.replace("{m}", f"zq_9{n:02d}")
                for n, template in enumerate([*KINDS.values(), *EMAIL_KINDS.values()])}
    typed = " ".join(payloads.values())
    query = f"?{urlencode({'q': typed, 'state': typed, 'after': typed, 'show': typed})}"
    urls = [reverse("client-list"), reverse("case-list"), reverse("notification-list"),
            reverse("client-history", args=[world.client.pk])]
    # Half signed in (password, not yet the code): the two-factor page keeps `next`.
    client.force_login(world.people.case_manager)
    pages = {"two-factor": client.get(reverse("two-factor") + f"?{urlencode({'next': typed})}")}
    client.logout()
    pages["login"] = client.get(reverse("login") + f"?{urlencode({'next': typed})}")
    sign_in(client, world.people.case_manager)
    pages |= {url: client.get(url + query) for url in urls}
    for url, response in pages.items():
        assert response.status_code == 200, url
        reading = read_html(response.content.decode(), payloads)
        assert reading.problems == [], url
    # The search box shows what was searched for, as typed.
    search = read_html(pages[reverse("client-list")].content.decode(), payloads)
    assert set(payloads) <= search.shown


# --- the API: the text as typed, and only ever as JSON ----------------------------------------


def _strings(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return [value] if isinstance(value, str) else []


def test_the_api_returns_the_payloads_as_typed_and_only_as_json(world):
    payloads = world.payloads.all
    from api.serializers import CASE_COLLECTIONS

    urls = [reverse("api-client-detail", args=[world.client.pk])]
    urls += [reverse(name, args=[case.pk]) for case in world.cases
             for name in ("api-case-detail", "api-case-transitions")]
    # The case's long lists, each at the address the case detail gives.
    urls += [f"/api/cases/{case.pk}/{name}/" for case in world.cases
             for name in CASE_COLLECTIONS]
    seen = set()
    for user in vars(world.people).values():
        api = api_as(user)
        for url in urls:
            response = api.get(url, HTTP_ACCEPT="text/html,application/json;q=0.9")
            if response.status_code == 404:  # not this person's case (the physiotherapist)
                continue
            assert response.status_code == 200, (user, url)
            assert response["Content-Type"].startswith("application/json"), url
            assert response["X-Content-Type-Options"] == "nosniff"
            for text in _strings(json.loads(response.content)):
                for marker in MARKER.findall(text):
                    seen.add(marker)
                    assert payloads[marker] in text, (url, text)  # not escaped, not mangled
    # Between them, the client, the case details and their lists hold every field given.
    expected = {world.payloads.marker(key) for key in world.payloads.asked}
    missing = sorted(world.payloads.field_of(m) for m in expected - seen)
    assert missing == []


# --- PDF: printed as characters, nothing fetched, nothing attached ---------------------------


def _resolve(obj: Any) -> Any:
    return obj.get_object() if isinstance(obj, IndirectObject) else obj


def pdf_problems(data: bytes) -> list[str]:
    """Attachments, embedded files, actions, links and images: none may be in a report."""
    reader = PdfReader(io.BytesIO(data))
    problems = []
    if reader.attachments:
        problems.append(f"attachments: {list(reader.attachments)}")
    root = _resolve(reader.trailer["/Root"])
    names = _resolve(root.get("/Names")) or {}
    for key in ("/EmbeddedFiles", "/JavaScript"):
        if key in names:
            problems.append(f"catalog names hold {key}")
    for key in ("/OpenAction", "/AA", "/AcroForm"):
        if key in root:
            problems.append(f"catalog holds {key}")
    for number, page in enumerate(reader.pages, start=1):
        for annotation in _resolve(page.get("/Annots")) or []:
            annotation = _resolve(annotation)
            action = _resolve(annotation.get("/A")) or {}
            problems.append(f"page {number}: {annotation.get('/Subtype')} annotation "
                            f"{action.get('/S')} {action.get('/URI') or action.get('/F')}")
        if page.images:
            problems.append(f"page {number}: images {[image.name for image in page.images]}")
    return problems


def _source_of(world: World, kind: str) -> int:
    case = world.main
    return {"assessment": case.assessment.pk,
            "progress": ProgressReport.objects.get(case=case).pk,
            "final": Discharge.objects.get(case=case).pk}[kind]


MAIN_RECORD = {"assessment": "assessments.Assessment", "progress": "careplans.ProgressReport",
               "final": "careplans.Discharge"}


@pytest.mark.parametrize("kind", ["assessment", "progress", "final"])
def test_reports_print_the_payloads_as_text_and_fetch_and_attach_nothing(kind, world):
    # Given the report's HTML, where the payloads are text
    payloads = world.payloads.all
    html = report_html(case=world.main, kind=kind, source_id=_source_of(world, kind))
    reading = read_html(html, payloads)
    assert reading.problems == []
    main_record = {world.payloads.marker(key) for key in world.payloads.asked
                   if key[0] == MAIN_RECORD[kind]}
    assert main_record <= reading.shown

    # When it is rendered with a fetcher that records every URL, and the network refused
    watch = Watch()
    with watch.no_network():
        pdf = render_pdf(html, watch.fetcher_class()())

    # Then only the application's own static files were asked for, and nothing else tried
    assert watch.asked, "the stylesheet should have come through the fetcher"
    assert watch.outside_the_app() == []
    assert watch.refused == [] and watch.network == []
    assert not any(host in url for url in watch.asked for host in SSRF_HOSTS)
    # and the PDF attaches, embeds, links and runs nothing
    assert pdf_problems(pdf) == []
    # and prints each payload the HTML shows, as characters
    text = squeeze(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages))
    missing = [m for m in sorted(reading.shown) if squeeze(payloads[m]) not in text]
    assert missing == [], [(m, payloads[m]) for m in missing]
    assert "<script>" in text and "169.254.169.254" in text
    assert not any(f"49{m}" in text for m in reading.shown)
    assert "root:x:0" not in text


def test_reports_stored_on_commit_and_rendered_again_fetched_nothing(world, client):
    # Given the reports rendered and stored when the steps committed, through a recording fetcher
    stored = StoredReport.objects.filter(case=world.main)
    assert set(stored.values_list("kind", flat=True)) == {"assessment", "progress", "final"}
    assert world.watch.asked, "rendering on commit should have gone through the fetcher"
    assert world.watch.outside_the_app() == []
    assert world.watch.refused == [] and world.watch.network == []
    for report in stored:
        data = report.file.read()
        assert pdf_problems(data) == [], report.kind
        text = squeeze(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages))
        for key in world.payloads.asked:
            if key[0] == MAIN_RECORD[report.kind]:
                assert squeeze(world.payloads.payload(key)) in text, (report.kind, key)

    # When the case manager renders each again from the case page
    asked_before = len(world.watch.asked)
    sign_in(client, world.people.case_manager)
    for report in list(stored):
        response = client.post(reverse("report-rerender", args=[report.pk]))
        assert response.status_code == 302

    # Then three more are stored, and again nothing outside the application was asked for
    assert StoredReport.objects.filter(case=world.main).count() == 6
    assert len(world.watch.asked) > asked_before
    assert world.watch.outside_the_app() == []
    assert world.watch.refused == [] and world.watch.network == []
