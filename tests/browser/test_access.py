"""In the browser: people of other organisations find nothing; nobody sees a button for a
step they may not take; the sign-in and a step can be done by keyboard on a tablet."""

from __future__ import annotations

import pytest

from cases.models import CaseState

from .. import factories as f
from ..auth import authenticator, code_now
from ..journey import People, advance

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def proposed(case_manager, physio_manager, physio, draft_case):
    return advance(draft_case, People(case_manager, physio_manager, physio),
                   to=CaseState.COSTING_PROPOSED)


def test_other_organisations_get_not_found(open_as, live_server, proposed, shot):
    for user in (f.CaseManagerFactory(username="other-firm"),
                 f.PhysioManagerFactory(username="other-provider")):
        page = open_as(user)
        response = page.goto(f"{live_server.url}/cases/{proposed.pk}/")
        assert response.status == 404
        assert proposed.client.family_name not in page.content()
    shot(page, "06-not-found-for-other-provider")


def test_no_button_for_a_step_the_user_may_not_take(open_as, live_server, proposed,
                                                    case_manager, physio):
    page = open_as(physio)
    page.goto(f"{live_server.url}/cases/{proposed.pk}/")
    assert page.get_by_role("link", name="Approve costing").count() == 0
    page = open_as(case_manager)
    page.goto(f"{live_server.url}/cases/{proposed.pk}/")
    assert page.get_by_role("link", name="Approve costing").count() == 1
    assert page.get_by_role("link", name="Propose costing").count() == 0


def test_sign_in_and_a_step_by_keyboard_at_tablet_width(browser, live_server, proposed,
                                                        case_manager, shot):
    context = browser.new_context(viewport={"width": 768, "height": 1024}, locale="en-GB")
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.focus("#id_username")
    page.keyboard.type(case_manager.username)
    page.keyboard.press("Tab")
    page.keyboard.type("casework-test")
    page.keyboard.press("Enter")
    # The second factor: the code field has the focus, Enter sends it.
    page.wait_for_url("**/accounts/two-factor/**")
    # Typing waits for the field to have the focus: on a busy machine the keys were once
    # typed before the page had given it (the test timed out on the two-factor page).
    page.wait_for_function("document.activeElement && document.activeElement.id === 'id_code'")
    page.keyboard.type(code_now(authenticator(case_manager)))
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/cases/{proposed.pk}/steps/approve_costing/")
    page.focus("#id_authorisation_ref")
    page.keyboard.type("PO-KEYBOARD")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/cases/{proposed.pk}/")
    assert page.locator(".case-head .state").inner_text() == "Costing approved"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    shot(page, "07-tablet-case-page")
    context.close()
