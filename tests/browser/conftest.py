"""Shared fixtures of the browser journeys: Debian's Chromium driven by
Playwright's sync API against pytest-django's live server.

Use them as:

    pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

    def test_something(world, live_server, phone_page):
        login_as(phone_page, live_server, "C0001", PASSWORD)
"""

import os

import pytest

# Playwright's sync API runs an event loop in this thread; Django refuses ORM
# calls from a thread with a running loop unless told it is safe (it is: the
# loop only drives the browser).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
}
DESKTOP = {"viewport": {"width": 1366, "height": 900}}
TIMEOUT_MS = 15_000


@pytest.fixture(scope="session")
def browser(django_db_setup):
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # Django's connection handler is context-local and Playwright's sync API starts an
    # event loop in this thread: later tests get new connection objects, which must keep
    # the snapshot that serialized_rollback restores (report categories, checklists…).
    serialized = {
        alias: getattr(connections[alias], "_test_serialized_contents", None) for alias in connections
    }
    with sync_playwright() as playwright:
        for alias, contents in serialized.items():
            if contents is not None:
                connections[alias]._test_serialized_contents = contents
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def new_page(browser):
    """new_page(**context_options) -> a page in its own browser context (own cookies)."""
    contexts = []

    def make(**options):
        context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", **options)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    """A desktop page (staff work at a desk)."""
    return new_page(**DESKTOP)


@pytest.fixture
def phone_page(new_page):
    """A phone page, 390 x 844 like a phone inside WeChat's browser (students, counselors on the go)."""
    return new_page(**PHONE)


def login_as(page, live_server, username: str, password: str) -> None:
    """Log in through the login form, as a person would, and wait for the home page."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.get_by_role("heading", name="我的工作台").wait_for()
