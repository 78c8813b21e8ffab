"""CAS test plumbing: settings as the environment would give them, and a requests transport
adapter that answers serviceValidate with recorded responses of real server families."""

from __future__ import annotations

import urllib.parse

import pytest
import requests
from django.urls import clear_url_caches

from campusgrid.accounts.config import cas_settings

CAS_NS = "http://www.yale.edu/tp/cas"
FAILURE = f"""<cas:serviceResponse xmlns:cas="{CAS_NS}">
    <cas:authenticationFailure code="INVALID_TICKET">
        Ticket &#39;{{ticket}}&#39; not recognized
    </cas:authenticationFailure>
</cas:serviceResponse>
"""


class RecordedCas(requests.adapters.BaseAdapter):
    """Answers `…serviceValidate?ticket=…&service=…` as a CAS server would: each issued
    ticket validates once, for the service it was issued to; then INVALID_TICKET."""

    def __init__(self):
        super().__init__()
        self.tickets: dict[str, str] = {}  # ticket -> response body
        self.requests: list[requests.PreparedRequest] = []
        self.down = False

    def issue(self, ticket: str, body: str) -> str:
        self.tickets[ticket] = body
        return ticket

    def send(self, request, **kwargs):
        self.requests.append(request)
        if self.down:
            raise requests.ConnectionError("connection refused")
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(request.url).query)
        ticket = query.get("ticket", [""])[0]
        body = self.tickets.pop(ticket, None) or FAILURE.format(ticket=ticket)
        response = requests.Response()
        response.status_code = 200
        response._content = body.encode("utf-8")
        response.headers["Content-Type"] = "application/xml;charset=UTF-8"
        response.url = request.url
        response.request = request
        return response

    def close(self):
        pass


@pytest.fixture
def recorded_cas():
    return RecordedCas()


@pytest.fixture
def enable_cas(settings, recorded_cas):
    """enable_cas(**environment) turns CAS on as those CAMPUSGRID_CAS_* variables would."""

    def enable(**env):
        env.setdefault("CAMPUSGRID_CAS_SERVER_URL", "https://cas.example.edu.cn/cas/")
        for key, value in cas_settings(env).items():
            setattr(settings, key, value)

        def session_factory():
            session = requests.Session()
            session.mount("https://", recorded_cas)
            session.mount("http://", recorded_cas)
            return session

        settings.CAS_SESSION_FACTORY = session_factory
        settings.AUTHENTICATION_BACKENDS = [
            "campusgrid.core.auth.Backend",
            "campusgrid.accounts.cas.Backend",
        ]
        settings.ROOT_URLCONF = "tests.accounts.urls_cas"
        clear_url_caches()
        return recorded_cas

    yield enable
    clear_url_caches()


@pytest.fixture
def wecom_server():
    from .fake_wecom import FakeWeCom, serve

    fake = FakeWeCom()
    server = serve(fake)
    fake.url = f"http://127.0.0.1:{server.server_address[1]}/"
    yield fake
    server.shutdown()
    server.server_close()


@pytest.fixture
def enable_wecom(settings, wecom_server):
    from campusgrid.accounts.config import wecom_settings

    from .fake_wecom import AGENT_ID, CORP_ID, SECRET

    env = {
        "CAMPUSGRID_WECOM_CORP_ID": CORP_ID,
        "CAMPUSGRID_WECOM_AGENT_ID": AGENT_ID,
        "CAMPUSGRID_WECOM_SECRET": SECRET,
        "CAMPUSGRID_WECOM_API_URL": wecom_server.url,
    }
    for key, value in wecom_settings(env).items():
        setattr(settings, key, value)
    settings.CAMPUSGRID_DELIVER_ON_COMMIT = False
    return wecom_server
