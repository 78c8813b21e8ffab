"""What the ledgers add to other pages: the key-student dossier's sections (page
and PDF text) and the room page."""

import datetime as dt

import pytest
from django.test import RequestFactory
from django.urls import reverse

from campusgrid.core.registry import render_sections
from campusgrid.ledgers import services
from campusgrid.ledgers.models import InspectionItem, LeaveRequest, LeaveState

from .conftest import NIGHT, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(world, term, travel):
    for days in (9, 2):
        travel(at(NIGHT - dt.timedelta(days=days), 22))
        services.night_check_submit(
            actor=world.dorm_head.user,
            room=world.room_a1,
            date=NIGHT - dt.timedelta(days=days),
            entries={"A1002": {"status": "absent"}},
        )
    LeaveRequest.objects.create(
        student=world.student, start=at(NIGHT, 8), end=at(NIGHT, 20), reason="看病", state=LeaveState.APPROVED
    )
    travel(at(NIGHT, 10))
    round_ = services.inspection_round_create(
        actor=world.counselor.user, title="第9周检查", rooms=[world.room_a1]
    )
    inspection = round_.inspections.get()
    services.inspection_record(actor=world.counselor.user, inspection=inspection, hygiene_score=88)
    services.finding_add(
        actor=world.counselor.user, inspection=inspection, item=InspectionItem.objects.get(name="违章电器")
    )


def blocks(user, student):
    request = RequestFactory().get("/")
    request.user = user
    return {b["key"]: b for b in render_sections("dossier", request, student)}


def test_dossier_sections_gather_night_absences_leave_and_the_room(world, history):
    found = blocks(world.counselor.user, world.student)
    assert {"ledgers-night", "ledgers-leave", "ledgers-room"} <= set(found)
    night = found["ledgers-night"]["context"]
    assert night["absences_30"] == 2 and len(night["nights"]) == 2
    assert [leave.reason for leave in found["ledgers-leave"]["context"]["leaves"]] == ["看病"]
    room = found["ledgers-room"]["context"]
    assert room["room"] == world.room_a1 and room["inspections"][0].hygiene_score == 88
    assert room["findings"][0].item.name == "违章电器"


def test_dossier_sections_read_well_in_the_handover_pdf(world, history):
    pdf = pytest.importorskip("campusgrid.dossiers.pdf")
    request = RequestFactory().get("/")
    request.user = world.counselor.user
    texts = {
        b["key"]: pdf.section_text(request, b) for b in render_sections("dossier", request, world.student)
    }
    heading, lines = texts["ledgers-night"]
    assert heading == "查寝记录（近90天）"
    assert any("近30天夜不归宿 2 次" in line for line in lines)
    assert texts["ledgers-room"][0].startswith("寝室检查与评比")


def test_the_room_page_shows_recent_checks_and_findings(world, history, login):
    page = login(world.monitor).get(reverse("people:room", args=["东1", "301"])).content.decode()
    assert 'id="room-ledgers"' in page and "未归1" in page and "违章电器" in page


def test_the_student_page_shows_the_students_night_and_leave_history(world, history, login):
    page = login(world.counselor).get(reverse("people:student", args=["A1002"])).content.decode()
    assert 'id="dossier-ledgers-night"' in page and "近30天夜不归宿 <strong" in page
    assert 'id="dossier-ledgers-leave"' in page
    # A roommate's page for the dorm head shows nothing of another student's history.
    page = login(world.dorm_head).get(reverse("people:student", args=["A1003"])).content.decode()
    assert "张三" not in page
