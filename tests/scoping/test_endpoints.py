"""The one generic scoping contract: for every `Endpoint` an app declares in its
`tests/<app>/contract.py` (see tests/scoping/endpoints.py), page and API alike —
in scope 200 and naming only students in scope (lists and exports included), out of
scope 404, a change refused without a write."""

import importlib
import io
import pathlib

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from campusgrid.core.models import AuditEvent
from campusgrid.people.models import AccessLog
from tests.dossiers.conftest import files, semester  # noqa: F401 (fixtures of the dossier records)
from tests.ledgers.conftest import term  # noqa: F401
from tests.ledgers.test_scoping import seeded  # noqa: F401 (the ledger records of both colleges)

from .endpoints import Endpoint, Exempt
from .test_contract import ALL, VISIBLE

pytestmark = pytest.mark.django_db


# An app's contract module may build its own records: `RECORDS = {"party": build}` with
# `build(world) -> dict`, instead of a `<name>_records` fixture here.
RECORD_BUILDERS: dict = {}


def declared() -> list:
    """Every app's ENDPOINTS, in file order."""
    entries = []
    # tests/<app>/contract.py, and contract_<part>.py where one app's parts are declared apart
    for path in sorted(pathlib.Path(__file__).resolve().parent.parent.glob("*/contract*.py")):
        module = importlib.import_module(f"tests.{path.parent.name}.{path.stem}")
        entries += getattr(module, "ENDPOINTS", [])
        RECORD_BUILDERS.update(getattr(module, "RECORDS", {}))
    return entries


ENDPOINTS = [e for e in declared() if isinstance(e, Endpoint)]


@pytest.fixture
def ledgers_records(seeded):  # noqa: F811
    return seeded


@pytest.fixture
def dossiers_records(world, files):  # noqa: F811
    """The dossier fixture's files, an open early-warning proposal and a grant for 张三."""
    import datetime as dt

    from campusgrid.core import clock
    from campusgrid.dossiers import services
    from campusgrid.dossiers.models import WarningProposal, WarningRule

    proposal = WarningProposal.objects.create(
        rule=WarningRule.objects.get(key="night-absences"),
        student=world.student,
        fingerprint="contract",
        records=[
            {"type": "night_check", "id": 1, "date": "2026-10-01", "label": "10月1日 夜不归宿", "url": ""}
        ],
        explanation="30天内查寝记录夜不归宿2次",
        suggested_level="attention",
    )
    grant = services.access_grant_create(
        actor=world.leader.user,
        grantee=world.class_teacher,
        student=world.student,
        until=clock.today() + dt.timedelta(days=30),
        reason="交接",
    )
    return {"files": files, "proposal": proposal, "grant": grant}


@pytest.fixture
def reports_records(world):
    from campusgrid.reports import services
    from tests.reports.test_pages import png

    def make(who, student, description):
        return services.report_create(
            actor=world[who].user,
            category="安全隐患",
            severity="normal",
            description=description,
            students=[student],
            photos=[png()],
        )

    return {
        "a": make("dorm_head", world.student, "插线板冒烟"),
        "b": make("dorm_head_b", world.student_b, "门锁坏了"),
    }


@pytest.fixture
def notifications_records(world):
    from campusgrid.notifications.services import notify

    return {
        "student": notify(users=[world.student.user], title="张三的通知")[0],
        "student_b": notify(users=[world.student_b.user], title="王五的通知")[0],
    }


def _numbers(response) -> set[str]:
    if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
        book = openpyxl.load_workbook(io.BytesIO(response.content))
        text = " ".join(
            str(v) for sheet in book for row in sheet.iter_rows(values_only=True) for v in row if v
        )
    elif response.get("Content-Type", "").startswith(("image/", "application/pdf")):
        return set()  # a photo or a PDF: the page that links it is checked
    else:
        text = b"".join(response).decode() if response.streaming else response.content.decode()
    return {no for no in ALL if no in text}


def _writes() -> tuple[int, int]:
    return AuditEvent.objects.count(), AccessLog.objects.count()


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.id)
def test_endpoint_follows_the_scope(endpoint, world, api, request):
    if endpoint.records in RECORD_BUILDERS:
        records = RECORD_BUILDERS[endpoint.records](world)
    else:
        records = request.getfixturevalue(f"{endpoint.records}_records") if endpoint.records else None
    url = reverse(endpoint.name, args=endpoint.args(world, records))
    is_api = url.startswith("/api/")

    def call(persona):
        person = world[persona]
        if is_api:
            client = api(person)
        else:
            client = Client()
            client.force_login(person.user)
        if endpoint.method == "GET":
            return client.get(url, endpoint.query)
        data = endpoint.data(world, records) if endpoint.data else {}
        return client.post(url, data, **({"format": "json"} if is_api else {}))

    for persona in sorted(endpoint.sees):
        response = call(persona)
        assert response.status_code == endpoint.ok, (persona, url, response.status_code)
        if not endpoint.names_others:
            outside = _numbers(response) - VISIBLE[persona]
            assert not outside, f"{url} shows {persona} students outside their scope: {sorted(outside)}"
    for persona in sorted(endpoint.hidden):
        assert call(persona).status_code == 404, (persona, url)
    for persona in sorted(endpoint.refused):
        before = _writes()
        status = call(persona).status_code
        assert status in (403, 404), (persona, url, status)
        assert _writes() == before, f"{url}: refused for {persona} but something was written"


def test_every_endpoint_entry_names_a_url_and_somebody():
    for entry in declared():
        assert reverse  # names are checked by test_contract's coverage test
        if isinstance(entry, Endpoint):
            assert entry.sees or entry.hidden or entry.refused, entry.name
            assert entry.method in ("GET", "POST"), entry.name
        else:
            assert isinstance(entry, Exempt) and entry.reason, entry
