"""The whole journey in Chromium, by the three people who carry a case: what each sees
and may do at every step, from a new client to the closed case."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from cases.models import Case, CaseState

from .. import factories as f

pytestmark = pytest.mark.django_db(transaction=True)


def d(days: int = 0) -> str:
    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


def at(days: int, hour: int) -> str:
    when = dt.datetime.combine(timezone.localdate() + dt.timedelta(days=days), dt.time(hour, 0))
    return when.strftime("%Y-%m-%dT%H:%M")


class Screen:
    """What a person sees on the case page."""

    def __init__(self, page, base: str):
        self.page, self.base = page, base

    def case(self, case: Case, tab: str = ""):
        self.page.goto(f"{self.base}/cases/{case.pk}/{tab + '/' if tab else ''}")
        return self

    @property
    def state(self) -> str:
        return self.page.locator(".case-head .state").inner_text().strip()

    @property
    def buttons(self) -> set[str]:
        return {t.strip() for t in self.page.locator("#h-actions ~ ul.buttons a.button")
                .all_inner_texts()}

    def step(self, case: Case, button: str, fields: dict[str, str] | None = None,
             selects: dict[str, str] | None = None):
        self.case(case)
        self.page.get_by_role("link", name=button, exact=True).click()
        for selector, value in (fields or {}).items():
            self.page.fill(selector, value)
        for selector, value in (selects or {}).items():
            self.page.select_option(selector, value)
        self.page.locator("main form button[type=submit]").last.click()
        self.page.wait_for_load_state()
        return self

    def work_count(self, key: str) -> int:
        self.page.goto(self.base + "/")
        return int(self.page.locator(f"#work-{key} [data-count]").inner_text())


def test_a_case_from_referral_to_closure_in_the_browser(open_as, live_server, shot):
    firm, provider = f.FirmFactory(), f.ProviderFactory()
    cm_user = f.CaseManagerFactory(organisation=firm, username="helen")
    pm_user = f.PhysioManagerFactory(organisation=provider, username="aisha")
    pt_user = f.PhysiotherapistFactory(organisation=provider, username="tom",
                                       first_name="Tom", last_name="Whitaker")
    base = live_server.url
    cm, pm, pt = (Screen(open_as(u), base) for u in (cm_user, pm_user, pt_user))
    shot(cm.page, "01-case-manager-dashboard")

    # The case manager adds the client, consent and the referral, then sends it.
    page = cm.page
    page.goto(base + "/clients/new/")
    page.fill("#id_given_name", "Priya")
    page.fill("#id_family_name", "Shah")
    page.fill("#id_date_of_birth", "1985-02-14")
    page.fill("#id_nhs_number", "943 476 5919")
    page.fill("#id_claim_reference", "NW-7781")
    page.click("main form button[type=submit]")
    page.get_by_role("link", name="Record consent").click()
    page.fill("#id_given_on", d(-1))
    page.fill("#id_shared_with", "Provider, GP")
    page.fill("#id_scope", "Rehabilitation records")
    page.click("main form button[type=submit]")
    page.get_by_role("link", name="New referral").click()
    page.select_option("#id_provider", str(provider.pk))
    for field, value in {"#id_reason": "Knee pain after ACL repair",
                         "#id_diagnosis": "ACL reconstruction", "#id_current_concerns": "Stairs",
                         "#id_client_availability": "Afternoons"}.items():
        page.fill(field, value)
    page.select_option("#id_condition_category", "orthopaedic_post_surgical")
    page.select_option("#id_preferred_setting", "clinic")
    page.click("main form button[type=submit]")
    case = Case.objects.get(client__family_name="Shah")
    assert cm.case(case).state == "Draft"
    assert cm.buttons == {"Send referral", "Withdraw case"}
    cm.step(case, "Send referral")
    assert cm.case(case).state == "Referred"
    assert "Propose costing" not in cm.buttons

    # The physiotherapy manager sees the referral waiting and costs it.
    assert pm.work_count("referrals") == 1
    assert pm.case(case).buttons == {"Propose costing", "Decline referral"}
    pm.page.get_by_role("link", name="Propose costing").click()
    shot(pm.page, "02-costing-form")
    pm.page.select_option("#id_physiotherapist", str(pt_user.pk))
    pm.page.fill("#id_lines-0-unit_price", "120")
    pm.page.fill("#id_lines-1-unit_price", "")
    pm.page.fill("#id_lines-1-description", "Report typed by hand")
    pm.page.locator("main form button[type=submit]").last.click()
    # the error is next to the field and what was typed is still there
    assert pm.page.locator("#id_lines-1-unit_price_error, .has-error").count() >= 1
    assert pm.page.input_value("#id_lines-1-description") == "Report typed by hand"
    pm.page.get_by_role("button", name="Add a line").click()
    pm.page.fill("#id_lines-2-description", "Travel")
    pm.page.fill("#id_lines-2-quantity", "1")
    pm.page.fill("#id_lines-2-unit_price", "30")
    pm.page.select_option("#id_lines-2-kind", "travel")
    pm.page.fill("#id_lines-1-unit_price", "95")
    assert "£294.00" in pm.page.locator("[data-costing-total]").inner_text()  # (120+95+30)*1.2
    pm.page.locator("[data-row]").nth(2).get_by_role("button", name="Remove").click()
    assert "£258.00" in pm.page.locator("[data-costing-total]").inner_text()
    pm.page.locator("main form button[type=submit]").last.click()
    assert pm.case(case).state == "Costing proposed"

    # The case manager rejects it; the manager proposes again; the case manager approves.
    assert cm.work_count("costings") == 1
    assert pt.case(case).buttons == set()
    assert "Approve costing" not in pt.buttons
    cm.step(case, "Reject costing", {"#id_reason": "Please include travel."})
    assert cm.case(case).state == "Referred"
    pm.step(case, "Propose costing", {"#id_lines-0-unit_price": "120",
                                      "#id_lines-1-unit_price": "95"},
            {"#id_physiotherapist": str(pt_user.pk)})
    cm.step(case, "Approve costing", {"#id_authorisation_ref": "PO-555"})
    assert cm.case(case).state == "Costing approved"

    # The manager schedules the assessment, seeing the physiotherapist's bookings.
    assert pm.work_count("to_schedule") == 1
    pm.case(case).page.get_by_role("link", name="Schedule assessment").click()
    assert "other bookings" in pm.page.content()
    pm.page.fill("#id_start", at(3, 9))
    pm.page.fill("#id_end", at(3, 10))
    pm.page.fill("#id_client_informed_at", timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
    pm.page.locator("main form button[type=submit]").last.click()
    assert pm.case(case).state == "Assessment scheduled"

    # The physiotherapist assesses, writes the plan and submits with a treatment costing.
    assert pt.work_count("to_assess") == 1
    pt.case(case).page.get_by_role("link", name="Write the assessment").click()
    for field, value in {"#id_assessed_on": d(), "#id_presenting_complaint": "Knee pain",
                         "#id_condition_history": "ACL repair in March",
                         "#id_range_of_movement": "0-110", "#id_strength": "Quads 4/5",
                         "#id_walking": "Independent", "#id_transfers": "Independent",
                         "#id_pain_at_rest": "2", "#id_pain_on_activity": "6",
                         "#id_clinical_impression": "Good progress",
                         "#id_treatment_goals_agreed": "Stairs"}.items():
        pt.page.fill(field, value)
    shot(pt.page, "03-assessment-form")
    pt.page.locator("main form button[type=submit]").last.click()
    pt.case(case).page.get_by_role("link", name=re.compile("care plan")).click()
    pt.page.fill("#id_frequency", "Weekly")
    pt.page.fill("#id_number_of_sessions", "6")
    pt.page.fill("#id_review_date", d(42))
    pt.page.fill("#id_goals-0-description", "Climb stairs reciprocally")
    pt.page.fill("#id_goals-0-target_date", d(42))
    pt.page.fill("#id_interventions-0-description", "Quadriceps strengthening")
    pt.page.locator("main form button[type=submit]").last.click()
    pt.step(case, "Submit assessment", {"#id_lines-0-quantity": "6",
                                        "#id_lines-0-unit_price": "70"})
    assert pt.case(case).state == "Assessed"

    # The case manager authorises treatment.
    assert cm.work_count("assessed") == 1
    cm.step(case, "Authorise treatment", {"#id_authorisation_ref": "PO-777"})
    assert cm.case(case).state == "In treatment"
    shot(cm.page, "04-case-in-treatment")

    # Two progress reports from the physiotherapist.
    for n in range(2):
        pt.case(case).page.get_by_role("link", name="Write the progress report").click()
        pt.page.fill("#id_period_start", d(-14))
        pt.page.fill("#id_period_end", d())
        pt.page.fill("#id_sessions_attended", "2")
        pt.page.fill("#id_summary", f"Progress report {n + 1}: improving")
        pt.page.select_option("#id_goals-0-status", "in_progress")
        pt.page.locator("main form button[type=submit]").last.click()
    assert pt.case(case, "clinical").page.locator("#h-progress ~ details").count() == 2
    assert cm.case(case, "clinical").page.get_by_text("Progress report 2: improving").count() == 1

    # A review with a new plan version.
    pt.step(case, "Request review", {"#id_reason": "Swelling after a long walk"})
    assert cm.case(case).state == "Under review"
    pt.case(case).page.get_by_role("link", name=re.compile("care plan")).click()
    pt.page.fill("#id_change_reason", "Less load for two weeks")
    pt.page.fill("#id_goals-0-target_date", d(56))
    pt.page.locator("main form button[type=submit]").last.click()
    cm.step(case, "Complete review", {"#id_held_on": d(), "#id_attendees": "Client, CM, physio",
                                      "#id_summary": "Load reduced"})
    assert cm.case(case).state == "In treatment"
    cm.page.get_by_role("link", name="Plan and progress").click()
    assert cm.page.get_by_text("Less load for two weeks").first.is_visible()

    # Discharge (confirmed in a dialog) and close.
    pt.case(case).page.get_by_role("link", name="Write the discharge and final report").click()
    for field, value in {"#id_discharged_on": d(), "#id_summary": "Six sessions",
                         "#id_goals_summary": "Met", "#id_outcomes_summary": "Pain 6 to 2",
                         "#id_recommendations": "Home programme",
                         "#id_transition_arrangements": "GP informed"}.items():
        pt.page.fill(field, value)
    pt.page.locator("main form button[type=submit]").last.click()
    pt.step(case, "Discharge", selects={"#id_goals-0-status": "achieved"})
    assert cm.case(case).state == "Discharged"
    assert cm.buttons == {"Close case"}
    cm.step(case, "Close case", {"#id_outcome_summary": "Back to work",
                                 "#id_continuing_care": "Home exercises"})
    assert cm.case(case).state == "Closed"
    assert cm.buttons == set()
    shot(cm.page, "05-case-closed")
    assert Case.objects.get(pk=case.pk).state == CaseState.CLOSED
