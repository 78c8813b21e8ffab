"""Tickets issued by a real CAS 3 server (django-cas-server on a loopback port, its own
process and database) and validated over HTTP by CampusGrid: a matched user, an unmatched
one, a replayed ticket."""

import urllib.parse

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import clear_url_caches

from campusgrid.accounts.config import cas_settings
from tests.cas_server.process import cas_server, service_ticket

PASSWORD = "cas-Secret-2026"
SERVICE = "http://testserver/accounts/cas/login/?next=%2F"


@pytest.fixture(scope="module")
def cas_url(tmp_path_factory):
    with cas_server(tmp_path_factory.mktemp("cas-server"), "A1002", PASSWORD) as url:
        yield url


@pytest.fixture
def live_cas(settings, cas_url):
    env = {
        "CAMPUSGRID_CAS_SERVER_URL": cas_url,
        "CAMPUSGRID_CAS_VERSION": "3",
        "CAMPUSGRID_CAS_ATTRIBUTE_MAP": "cn:name",
    }
    for key, value in cas_settings(env).items():
        setattr(settings, key, value)  # CAS_SESSION_FACTORY: real HTTP, with a timeout
    settings.AUTHENTICATION_BACKENDS = ["campusgrid.core.auth.Backend", "campusgrid.accounts.cas.Backend"]
    settings.ROOT_URLCONF = "tests.accounts.urls_cas"
    clear_url_caches()
    yield cas_url
    clear_url_caches()


def back_from_cas(client, ticket):
    return client.get("/accounts/cas/login/?" + urllib.parse.urlencode({"next": "/", "ticket": ticket}))


def test_real_ticket_signs_in_once_and_a_replay_is_refused(world, client, live_cas):
    ticket = service_ticket(live_cas, SERVICE, "A1002", PASSWORD)
    response = back_from_cas(client, ticket)
    assert response.status_code == 302 and response["Location"] == "/"
    assert int(client.session[SESSION_KEY]) == world.student.user.pk
    world.student.user.refresh_from_db()
    assert world.student.user.first_name == "张三（统一身份认证）"
    assert not world.student.user.is_superuser  # released by the server as True

    replay = Client()
    response = back_from_cas(replay, ticket)
    assert response.status_code == 403
    assert "已经使用过" in response.content.decode()
    assert replay.session.get(SESSION_KEY) is None


def test_real_server_user_unknown_here_is_refused(world, client, live_cas):
    ticket = service_ticket(live_cas, SERVICE, "Z9999", PASSWORD)
    response = back_from_cas(client, ticket)
    assert response.status_code == 403
    assert "Z9999" in response.content.decode() and "辅导员" in response.content.decode()
