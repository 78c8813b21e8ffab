"""统一身份认证 end to end: CampusGrid (pytest-django's live server) against a real CAS 3
server (django-cas-server, its own process, database and port), driven in Chromium.

The student opens CampusGrid, chooses 统一身份认证登录, signs in on the CAS server's page,
comes back signed in on their dashboard; logging out at the CAS server makes it POST a SAML
LogoutRequest to CampusGrid, which ends the session; CampusGrid's own 退出 leaves CAS too."""

import urllib.parse

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.urls import clear_url_caches
from django_cas_ng.models import SessionTicket

from campusgrid.accounts.config import cas_settings
from tests.browser.conftest import DESKTOP
from tests.cas_server.process import cas_server as run_cas_server

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CAS_PASSWORD = "cas-Secret-2026"


@pytest.fixture(scope="session")
def cas_url(tmp_path_factory):
    with run_cas_server(tmp_path_factory.mktemp("cas-server"), "A1002", CAS_PASSWORD) as url:
        yield url


@pytest.fixture
def campusgrid_with_cas(settings, cas_url):
    # As the environment would configure it; the URL without its slash on purpose.
    env = {
        "CAMPUSGRID_CAS_SERVER_URL": cas_url.rstrip("/"),
        "CAMPUSGRID_CAS_VERSION": "3",
        "CAMPUSGRID_CAS_ATTRIBUTE_MAP": "cn:name",
    }
    for key, value in cas_settings(env).items():
        setattr(settings, key, value)
    settings.AUTHENTICATION_BACKENDS = ["campusgrid.core.auth.Backend", "campusgrid.accounts.cas.Backend"]
    settings.ROOT_URLCONF = "tests.accounts.urls_cas"
    clear_url_caches()
    yield
    clear_url_caches()


def _only_loopback(page):
    # The CAS server's pages link CDN styles; there is no internet here, so fail them at once.
    def route(r):
        host = urllib.parse.urlsplit(r.request.url).hostname
        return r.continue_() if host in ("127.0.0.1", "localhost") else r.abort()

    page.route("**/*", route)


def _sign_in_through_cas(page, live_server, cas_url):
    page.goto(f"{live_server.url}/")
    page.wait_for_url(f"{live_server.url}/accounts/login/**")
    page.get_by_role("link", name="统一身份认证登录").click()
    page.wait_for_url(f"{cas_url}login?**")
    page.fill("#id_username", "A1002")
    page.fill("#id_password", CAS_PASSWORD)
    page.locator("button[type=submit], input[type=submit]").first.click()
    page.wait_for_url(f"{live_server.url}/")
    page.get_by_role("heading", name="我的工作台").wait_for()


def test_student_signs_in_and_out_through_the_campus_cas_server(
    world, live_server, new_page, campusgrid_with_cas, cas_url
):
    page = new_page(**DESKTOP)
    _only_loopback(page)

    _sign_in_through_cas(page, live_server, cas_url)
    student = get_user_model().objects.get(pk=world.student.user.pk)
    assert SessionTicket.objects.count() == 1
    assert student.first_name == "张三（统一身份认证）"  # cn, whitelisted
    assert not student.is_superuser and not student.is_staff  # the CAS server said True: not applied

    # Log out at the CAS server (as from the campus portal): it POSTs the single-logout
    # request to our service URL, and our session is gone.
    page.goto(f"{cas_url}logout")
    page.wait_for_load_state()
    assert SessionTicket.objects.count() == 0
    assert not Session.objects.filter(session_key__in=_campusgrid_session_keys(page, live_server)).exists()
    page.goto(f"{live_server.url}/")
    page.wait_for_url(f"{live_server.url}/accounts/login/**")

    # Sign in again (CAS asks for the password again: its session ended too), then use
    # CampusGrid's own 退出: it leaves CAS as well.
    _sign_in_through_cas(page, live_server, cas_url)
    with page.expect_request(lambda r: r.url.startswith(f"{cas_url}logout")):
        page.get_by_title("退出登录").click()
    page.wait_for_url(f"{live_server.url}/accounts/login/")  # the CAS server sends them back
    page.goto(f"{live_server.url}/")
    page.wait_for_url(f"{live_server.url}/accounts/login/**")
    page.get_by_role("link", name="统一身份认证登录").click()
    page.wait_for_url(f"{cas_url}login?**")
    page.locator("#id_password").wait_for()  # not signed in at CAS any more


def _campusgrid_session_keys(page, live_server):
    host = urllib.parse.urlsplit(live_server.url).hostname
    return [c["value"] for c in page.context.cookies() if c["name"] == "sessionid" and c["domain"] == host]
