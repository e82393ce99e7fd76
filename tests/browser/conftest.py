"""Browser tests: Playwright for Python driving Debian's Chromium against the live server.

Playwright never downloads a browser here: it drives the system's /usr/bin/chromium. Where it
is missing the tests skip on a laptop and fail in CI (CASEWORK_REQUIRE_SERVICES=1)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.auth import authenticator, code_now

# Playwright's sync API runs an event loop in this thread; Django's ORM calls in the test
# body are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-quic", "--no-first-run", "--disable-sync"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        message = "Debian's chromium is not installed (apt-get install -y chromium)"
        if os.environ.get("CASEWORK_REQUIRE_SERVICES") == "1":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield browser
        browser.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.failed_in_call = report.failed


@pytest.fixture
def open_as(browser, live_server, request):
    """A logged-in page for a user, in a browser context of its own. On a failure every
    open page is saved as a screenshot, to see what each person was looking at."""
    contexts = []

    def login(user, password: str = "casework-test", viewport=(1100, 900)):
        context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]},
                                      locale="en-GB", timezone_id="Europe/London")
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.on("dialog", lambda dialog: dialog.accept())
        page.goto(live_server.url + "/accounts/login/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", password)
        page.click("button[type=submit]")
        # The second factor, typed from the authenticator app as a person would.
        page.wait_for_url("**/accounts/two-factor/**")
        page.fill("#id_code", code_now(authenticator(user)))
        page.click("form:not(.inline) button[type=submit]")
        page.wait_for_url(live_server.url + "/")
        return page

    yield login
    if getattr(request.node, "failed_in_call", False):
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        for i, context in enumerate(contexts):
            for page in context.pages:
                page.screenshot(path=str(ARTIFACTS / f"FAILED-{request.node.name}-{i}.png"),
                                full_page=True)
    for context in contexts:
        context.close()


@pytest.fixture
def shot():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> None:
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)

    return take
