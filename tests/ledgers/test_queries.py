"""Query budgets: every ledger list page, export and API list costs the same
number of queries for 10 and for 100 rows (rooms, students, records)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campusgrid.grid.models import PostKind
from campusgrid.ledgers.models import (
    Finding,
    HolidayRegistration,
    HolidayWindow,
    Inspection,
    InspectionItem,
    InspectionRound,
    LeaveRequest,
    NightCheck,
    NightCheckEntry,
    RoomRating,
)
from campusgrid.org.models import Building, Floor, Holiday, Room
from tests import factories as f

from .conftest import NIGHT, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def ledgers(world, term, travel):
    """Shared parents of the rows `populate` adds: a round, a holiday window."""
    travel(at(NIGHT, 22, 30))
    holiday = Holiday.objects.create(
        semester=term["semester"], name="校庆", start=dt.date(2025, 11, 8), end=dt.date(2025, 11, 9)
    )
    window = HolidayWindow.objects.create(
        holiday=holiday,
        school_class=world.class_a1,
        register_by=dt.date(2025, 11, 7),
        return_due=at(holiday.end, 22),
    )
    round_ = InspectionRound.objects.create(title="全面检查", date=NIGHT, semester=term["semester"])
    return {
        "window": window,
        "round": round_,
        "semester": term["semester"],
        "item": InspectionItem.objects.first(),
    }


def populate(world, ledgers, start: int, count: int) -> None:
    """`count` more rooms of 南2, each with one student of 化工2401 (every other one
    its dorm head), and for each: tonight's check with an absence, a leave, a
    holiday registration, an inspection with a finding, a rating."""
    building, _ = Building.objects.get_or_create(name="南2")
    floor, _ = Floor.objects.get_or_create(building=building, number=1)
    for i in range(start, start + count):
        room = Room.objects.create(building=building, floor=floor, number=f"{1000 + i}")
        student = f.StudentFactory(student_no=f"Q{i:04d}", school_class=world.class_a1, room=room)
        if i % 2 == 0:
            f.PostFactory(kind=PostKind.DORM_HEAD, student=student, room=room)
        check = NightCheck.objects.create(room=room, date=NIGHT, checked_by_name="舍长", absent_count=1)
        NightCheckEntry.objects.create(night_check=check, student=student, date=NIGHT, status="absent")
        LeaveRequest.objects.create(
            student=student,
            start=at(NIGHT, 8),
            end=at(NIGHT, 20),
            reason="事由",
            state="approved",
            contact="13800000000",
        )
        HolidayRegistration.objects.create(
            window=ledgers["window"],
            holiday=ledgers["window"].holiday,
            student=student,
            plan="leave",
            destination="家",
            emergency_phone="13900000000",
            return_due=ledgers["window"].return_due,
        )
        inspection = Inspection.objects.create(
            round=ledgers["round"], room=room, state="done", hygiene_score=80 + i % 20
        )
        finding = Finding.objects.create(
            inspection=inspection, room=room, item=ledgers["item"], deadline=NIGHT, found_by_name="辅导员"
        )
        finding.students.set([student])
        RoomRating.objects.create(
            room=room,
            semester=ledgers["semester"],
            inspections=1,
            average_score=80,
            stars=3,
            building_rank=i + 1,
        )


def count_queries(client, url, params=None, **headers) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {}, **headers)
    assert response.status_code == 200, url
    if hasattr(response, "streaming_content"):
        b"".join(response.streaming_content)
    return len(queries)


def _window(ledgers):
    return reverse("ledgers:holiday-window", args=[ledgers["window"].pk])


def _round(ledgers):
    return reverse("ledgers:inspection-round", args=[ledgers["round"].pk])


TONIGHT = {"date": NIGHT.isoformat()}
# The home page gathers a panel from every app (issue 15: was 42 before the panels were cut).
HOME_BUDGETS = {"counselor": 29, "office": 23}

BUDGETS = [
    ("tonight's progress", lambda _: reverse("ledgers:night-progress"), TONIGHT, {}),
    (
        "tonight's progress, htmx",
        lambda _: reverse("ledgers:night-progress"),
        TONIGHT,
        {"HTTP_HX_REQUEST": "true"},
    ),
    ("night ledger", lambda _: reverse("ledgers:night-list"), {"status": "all"}, {}),
    ("night ledger export", lambda _: reverse("ledgers:night-list"), {"format": "xlsx"}, {}),
    ("leave list", lambda _: reverse("ledgers:leave-list"), None, {}),
    ("leave export", lambda _: reverse("ledgers:leave-list"), {"format": "xlsx"}, {}),
    ("holiday list", lambda _: reverse("ledgers:holiday-list"), None, {}),
    ("holiday class view", _window, None, {}),
    ("holiday class export", _window, {"format": "xlsx"}, {}),
    ("holiday ledger export", lambda _: reverse("ledgers:holiday-ledger"), None, {}),
    ("inspection rounds and chart", lambda _: reverse("ledgers:inspection-list"), None, {}),
    ("inspection round rooms", _round, None, {}),
    ("findings", lambda _: reverse("ledgers:finding-list"), None, {}),
    ("findings export", lambda _: reverse("ledgers:finding-list"), {"format": "xlsx"}, {}),
    ("ratings", lambda _: reverse("ledgers:ratings"), None, {}),
    ("home", lambda _: reverse("home"), None, {}),
    ("API night checks", lambda _: "/api/v1/night-checks/", {"page_size": "200"}, {}),
    ("API progress", lambda _: "/api/v1/night-checks/progress/", TONIGHT, {}),
    ("API leaves", lambda _: "/api/v1/leaves/", {"page_size": "200"}, {}),
    ("API holiday windows", lambda _: "/api/v1/holiday-windows/", None, {}),
    ("API holiday registrations", lambda _: "/api/v1/holiday-registrations/", {"page_size": "200"}, {}),
    ("API inspection rounds", lambda _: "/api/v1/inspection-rounds/", None, {}),
    ("API inspections", lambda _: "/api/v1/inspections/", {"page_size": "200"}, {}),
    ("API findings", lambda _: "/api/v1/findings/", {"page_size": "200"}, {}),
    ("API room ratings", lambda _: "/api/v1/room-ratings/", {"page_size": "200"}, {}),
]


@pytest.mark.parametrize("persona", ["counselor", "office"])
@pytest.mark.parametrize("label,url,params,headers", BUDGETS, ids=[b[0] for b in BUDGETS])
def test_ledger_lists_cost_the_same_queries_for_3_and_13_rows(
    world, login, ledgers, persona, label, url, params, headers
):
    client = login(world[persona])
    populate(world, ledgers, 0, 3)
    count_queries(client, url(ledgers), params, **headers)  # warm caches (content types, sessions)
    few = count_queries(client, url(ledgers), params, **headers)
    populate(world, ledgers, 3, 10)
    more = count_queries(client, url(ledgers), params, **headers)
    assert few == more, f"{label}: {few} queries for 3 rows, {more} for 13"
    # The home page gathers a panel from every app, so its budget is larger (as in tests/grid/test_pages.py).
    assert more <= (HOME_BUDGETS[persona] if label == "home" else 25), f"{label}: {more} queries"


def test_tonights_progress_does_not_grow_with_rooms_or_classes(world, login, ledgers):
    """The figure for the issue: the progress page's queries at 10 and at 100 rooms,
    and with the rooms spread over many classes and buildings."""
    client = login(world.leader)
    url = reverse("ledgers:night-progress")
    populate(world, ledgers, 0, 10)
    count_queries(client, url, TONIGHT)
    ten = count_queries(client, url, TONIGHT)
    populate(world, ledgers, 10, 90)
    hundred = count_queries(client, url, TONIGHT)
    for i in range(20):  # 20 more classes in 20 more buildings
        school_class = f.SchoolClassFactory(name=f"化工25{i:02d}", college=world.college_a)
        room = f.RoomFactory(building=f.BuildingFactory(name=f"北{i}"), number="101")
        f.StudentFactory(student_no=f"R{i:04d}", school_class=school_class, room=room)
    spread = count_queries(client, url, TONIGHT)
    assert ten == hundred == spread, (ten, hundred, spread)
    print(
        f"\ntonight's progress (leader): {ten} queries at 10 rooms, {hundred} at 100 rooms, {spread} at 120 rooms/22 classes"
    )
