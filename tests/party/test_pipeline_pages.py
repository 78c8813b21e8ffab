"""The pipeline's pages and lists: query counts constant in rows (board, 台账, API list);
政审 materials masked for those without the right and each read logged once; the PDF."""

import datetime as dt
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from campusgrid.core import clock
from campusgrid.party import services
from campusgrid.party.models import DevelopmentFile, Mentor, Step
from campusgrid.people.models import AccessLog
from campusgrid.people.sensitive import HIDDEN
from tests import factories as f

pytestmark = pytest.mark.django_db


def populate(world, start, count):
    """`count` activists in rooms of the branch, each with steps and a mentor."""
    today = clock.today()
    for i in range(start, start + count):
        room = f.RoomFactory(number=f"9{i:03d}")
        f.PartyRoomFactory(room=room, branch=world.branch, small_grid=world.small_grid)
        student = f.StudentFactory(
            student_no=f"P{i:04d}", school_class=world.class_a1, room=room, political_status="activist"
        )
        file = DevelopmentFile.objects.create(
            student=student,
            branch=world.branch,
            college=world.college_a,
            rule_version="2026",
            applied_on=today - dt.timedelta(days=400),
            stage="activist",
        )
        Step.objects.bulk_create(
            [
                Step(file=file, code="application", on=today - dt.timedelta(days=400)),
                Step(file=file, code="activist", on=today - dt.timedelta(days=300)),
            ]
        )
        Mentor.objects.create(
            file=file, role="mentor", student=world.small_grid_leader, start=today - dt.timedelta(days=300)
        )


def count_queries(client, url, **params):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200, response.content[:300]
    return len(ctx), response


@pytest.mark.parametrize(
    "url, params",
    [
        ("/party/", {}),
        ("/party/", {"format": "xlsx"}),
        ("/api/v1/party/files/", {}),
        ("/party/assemblies/", {}),
    ],
)
def test_query_counts_do_not_grow_with_rows(world, login, url, params):
    client = login(world.branch_secretary)
    populate(world, 0, 2)
    few, _ = count_queries(client, url, **params)
    populate(world, 100, 12)
    many, response = count_queries(client, url, **params)
    assert few == many, (url, few, many)
    if params.get("format") == "xlsx":
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        assert sheet.max_row == 3 + 14  # title, subtitle, header, one row a person
        header = [c.value for c in sheet[3]]
        assert "谈话" in header and "支部党员大会（接收预备党员）" in header


def test_the_board_shows_warnings_first(world, login):
    populate(world, 0, 1)  # an activist 300 days in, no thought report: report_missing
    page = login(world.branch_secretary).get("/party/").content.decode()
    assert 'id="board-warnings"' in page and 'data-warning="report_missing"' in page
    assert page.index("board-warnings") < page.index('id="board"')


def test_a_large_board_shows_the_first_rows_of_each_stage_and_counts_the_rest(world, login, monkeypatch):
    from campusgrid.party.selectors import pipeline as sel

    monkeypatch.setattr(sel, "BOARD_LIMIT", 2)
    monkeypatch.setattr(sel, "WARNINGS_LIMIT", 1)
    populate(world, 0, 5)
    client = login(world.branch_secretary)
    page = client.get("/party/").content.decode()
    assert page.count('data-file="') == 2 and "入党积极分子（5）" in page and "还有 3 人，只看此阶段" in page
    assert "预警（5人）" in page and page.count('data-warning-file="') == 1 and "还有 4 人有预警" in page
    one_stage = client.get("/party/?stage=activist").content.decode()
    assert one_stage.count('data-file="') == 5 and "只看此阶段" not in one_stage


@pytest.fixture
def reviewed(world):
    today = clock.today()
    file = DevelopmentFile.objects.create(
        student=world.student,
        branch=world.branch,
        college=world.college_a,
        rule_version="2026",
        applied_on=today - dt.timedelta(days=800),
        stage="candidate",
    )
    for code, days, data in (
        ("application", 800, {}),
        ("activist", 700, {}),
        ("candidate", 50, {}),
        ("political_review", 40, {"conclusion": "政审合格，家庭成员无问题"}),
    ):
        Step.objects.create(file=file, code=code, on=today - dt.timedelta(days=days), data=data)
    return file


def test_political_review_is_masked_and_each_read_logged(world, api, login, reviewed):
    url = f"/api/v1/party/files/{world.student.student_no}/"
    logged = AccessLog.objects.filter(item="party_political_review", student=world.student)
    body = api(world.branch_secretary).get(url).json()
    assert body["political_review"] == HIDDEN and logged.count() == 0
    assert api(world.leader).get(url).json()["political_review"] == "政审合格，家庭成员无问题"
    assert logged.count() == 1
    api(world.counselor).get(url)
    assert logged.count() == 2
    # Lists never carry it.
    assert "家庭成员" not in api(world.leader).get("/api/v1/party/files/").content.decode()
    # The page hides it until asked, then logs the one look.
    page = login(world.leader).get(f"/party/files/{world.student.student_no}/").content.decode()
    assert "家庭成员" not in page and logged.count() == 2
    page = login(world.leader).get(
        f"/party/files/{world.student.student_no}/?reveal=political", HTTP_HX_REQUEST="true"
    )
    assert "家庭成员" in page.content.decode() and logged.count() == 3
    assert (
        login(world.branch_secretary)
        .get(f"/party/files/{world.student.student_no}/?reveal=political")
        .status_code
        == 404
    )


def test_political_materials_are_served_to_the_entitled_and_logged(world, login, reviewed):
    pdf = SimpleUploadedFile("政审.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    services.material_upload(actor=world.branch_secretary.user, file=reviewed, kind="political", upload=pdf)
    material = reviewed.materials.get()
    url = f"/party/files/{world.student.student_no}/materials/{material.pk}/"
    logged = AccessLog.objects.filter(item="party_political_review")
    assert login(world.branch_secretary).get(url).status_code == 404
    response = login(world.leader).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert logged.count() == 1


@pytest.mark.parametrize(
    "name, content",
    [("a.pdf", b"not a pdf"), ("a.exe", b"MZ"), ("a.docx", b"PK\x03\x04junk"), ("a.jpg", b"not an image")],
)
def test_the_upload_guard_refuses_what_is_not_a_document(world, reviewed, name, content):
    from campusgrid.core.errors import ServiceError

    with pytest.raises(ServiceError) as exc:
        services.material_upload(
            actor=world.branch_secretary.user,
            file=reviewed,
            kind="other",
            upload=SimpleUploadedFile(name, content),
        )
    assert exc.value.field == "upload"


def test_the_register_pdf(world, login, reviewed):
    response = login(world.branch_secretary).get(f"/party/files/{world.student.student_no}/register.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    from pypdf import PdfReader

    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages).replace(
        "\x00", ""
    )
    assert "入党积极分子培养考察登记表" in text and "家庭成员" not in text
