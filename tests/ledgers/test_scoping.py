"""The scoping contract for every ledger page, API endpoint and export: in scope
200, out of scope 404, change refused, lists and exports contain only scope."""

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse

from campusgrid.ledgers import services
from campusgrid.ledgers.models import (
    Finding,
    HolidayRegistration,
    HolidayWindow,
    Inspection,
    InspectionItem,
    InspectionRound,
    LeaveRequest,
    LeaveState,
    NightCheck,
    NightCheckEntry,
)
from campusgrid.org.models import Holiday
from tests.scoping.test_contract import ALL, CLASS_A1, COLLEGE_B, ROOM_A1

from .conftest import NIGHT, at, png

pytestmark = pytest.mark.django_db

PERSONAS = [
    "dorm_head",
    "monitor",
    "counselor",
    "class_teacher",
    "leader",
    "activist",
    "small_grid_leader",
    "student",
    "office",
    "leader_b",
    "counselor_b",
    "dorm_head_b",
    "student_b",
]


@pytest.fixture
def seeded(world, term, travel):
    """Records of every ledger in both colleges."""
    travel(at(NIGHT, 21, 30))
    services.night_check_submit(
        actor=world.dorm_head.user, room=world.room_a1, date=NIGHT, entries={"A1002": {"status": "absent"}}
    )
    services.night_check_submit(actor=world.dorm_head_mixed.user, room=world.room_mixed, date=NIGHT)
    services.night_check_submit(
        actor=world.dorm_head_b.user, room=world.room_b1, date=NIGHT, entries={"B1002": {"status": "absent"}}
    )
    for who in ("student", "student_b"):
        services.leave_request(
            actor=world[who].user,
            student=world[who],
            start=at(NIGHT + dt.timedelta(days=3), 8),
            end=at(NIGHT + dt.timedelta(days=4), 8),
            reason="回家",
        )
    holiday = Holiday.objects.create(
        semester=term["semester"], name="校庆", start=dt.date(2025, 11, 8), end=dt.date(2025, 11, 9)
    )
    a1 = services.holiday_window_open(actor=world.counselor.user, holiday=holiday, classes=[world.class_a1])[
        0
    ]
    b1 = services.holiday_window_open(
        actor=world.counselor_b.user, holiday=holiday, classes=[world.class_b1]
    )[0]
    for who, window in (("student", a1), ("student_b", b1), ("monitor", a1)):
        services.holiday_register(
            actor=world[who].user,
            window=window,
            student=world[who],
            plan="leave",
            destination="家",
            depart_on=holiday.start,
            return_on=holiday.end,
            transport="高铁",
            emergency_contact="父亲",
            emergency_phone="13900000001",
        )
    travel(at(NIGHT + dt.timedelta(days=1), 10))
    hazard = InspectionItem.objects.get(name="违章电器")
    round_a = services.inspection_round_create(
        actor=world.counselor.user, title="化工检查", rooms=[world.room_a1, world.room_mixed, world.room_a2]
    )
    round_b = services.inspection_round_create(
        actor=world.counselor_b.user, title="机械检查", rooms=[world.room_b1]
    )
    for round_, room, who in ((round_a, world.room_a1, "counselor"), (round_b, world.room_b1, "counselor_b")):
        inspection = Inspection.objects.get(round=round_, room=room)
        services.inspection_record(actor=world[who].user, inspection=inspection, hygiene_score=90)
        services.finding_add(actor=world[who].user, inspection=inspection, item=hazard, photo=png())
    services.room_ratings_compute(actor=world.office.user, semester=term["semester"])
    return {"holiday": holiday, "window_a": a1, "window_b": b1, "round_a": round_a, "round_b": round_b}


def numbers(content) -> set[str]:
    text = content.decode() if isinstance(content, bytes) else content
    return {no for no in ALL if no in text}


def sheet_numbers(response) -> set[str]:
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    values = {str(v) for row in book.active.iter_rows(min_row=4, values_only=True) for v in row if v}
    return {no for no in ALL if any(no in v for v in values)}


def rooms_in(text: str) -> set[str]:
    return {label for label in ("东1/301", "东1/302", "东1/303", "西1/101") if label in text}


# --- every page renders for everyone -----------------------------------------------------------

PAGES = [
    "ledgers:night-progress",
    "ledgers:night-list",
    "ledgers:leave-list",
    "ledgers:leave-new",
    "ledgers:holiday-list",
    "ledgers:inspection-list",
    "ledgers:finding-list",
    "ledgers:ratings",
    "home",
]


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_ledger_page_renders_for_every_persona(world, login, seeded, persona):
    client = login(world[persona])
    for name in PAGES:
        response = client.get(reverse(name))
        assert response.status_code == 200, (persona, name)


# --- night checks -------------------------------------------------------------------------------

CHECKERS_301 = {"dorm_head", "counselor", "class_teacher", "leader", "office"}


@pytest.mark.parametrize("persona", PERSONAS)
def test_night_pages_follow_scope(world, login, seeded, persona, travel):
    travel(at(NIGHT, 22))
    client = login(world[persona])
    url = reverse("ledgers:night-check", args=[world.room_a1.pk])
    expected = 200 if persona in CHECKERS_301 else 404
    assert client.get(url).status_code == expected
    before = list(NightCheckEntry.objects.order_by("pk").values_list("status", flat=True))
    response = client.post(url, {"s-A1002": "present"}, HTTP_HX_REQUEST="true")
    assert response.status_code == expected
    if expected == 404:
        assert list(NightCheckEntry.objects.order_by("pk").values_list("status", flat=True)) == before
    index = client.get(reverse("ledgers:night"))
    assert index.status_code == 302
    if persona == "dorm_head":
        assert index["Location"] == url
    elif persona == "dorm_head_b":
        assert index["Location"] == reverse("ledgers:night-check", args=[world.room_b1.pk])
    else:
        assert index["Location"] == reverse("ledgers:night-progress")


@pytest.mark.parametrize(
    "persona,classes",
    [
        ("counselor", {"化工2401", "化工2402"}),
        ("class_teacher", {"化工2401"}),
        ("monitor", {"化工2401"}),
        ("leader_b", {"机械2401"}),
        ("dorm_head", {"化工2401"}),
        ("office", {"化工2401", "化工2402", "机械2401"}),
    ],
)
def test_night_progress_counts_only_scope(world, login, api, seeded, persona, classes):
    client = login(world[persona])
    text = client.get(reverse("ledgers:night-progress"), {"date": NIGHT.isoformat()}).content.decode()
    if persona == "office":
        # Issue 12 item 9: across colleges the page starts with one row per college; each
        # college's classes are one click (?college=) away.
        assert 'id="progress-colleges"' in text and "化工学院" in text and "机械学院" in text
        text = "".join(
            client.get(reverse("ledgers:night-progress"), {"date": NIGHT.isoformat(), "college": c.pk})
            .content.decode()
            .split('id="night-exceptions"')[0]
            for c in (world.college_a, world.college_b)
        )
    assert {c for c in ("化工2401", "化工2402", "机械2401") if c in text} == classes
    data = api(world[persona]).get("/api/v1/night-checks/progress/", {"date": NIGHT.isoformat()}).json()
    assert {row["class"] for row in data["classes"]} == classes
    if persona == "leader_b":
        assert data["totals"]["absent"] == 1 and {b["building"] for b in data["buildings"]} == {"西1"}
        assert rooms_in(text) == {"西1/101"}
    if persona == "counselor":
        assert (
            data["totals"]["absent"] == 1
            and data["totals"]["checked_rooms"] == 2
            and data["totals"]["rooms"] == 3
        )
        assert "西1/101" not in text


NIGHT_SCOPE = {
    "dorm_head": ROOM_A1,
    "monitor": CLASS_A1 & (ROOM_A1 | {"A1005", "A1006"}),
    "counselor": ROOM_A1 | {"A1005", "A2001", "A2002", "A1006"},
    "class_teacher": CLASS_A1,
    "leader": ROOM_A1 | {"A1005", "A2001", "A2002", "A1006"},
    "student": {"A1002"},
    "office": ROOM_A1 | {"A1005", "A2001", "A2002", "A1006"} | COLLEGE_B,
    "leader_b": COLLEGE_B,
    "dorm_head_b": COLLEGE_B,
    "student_b": {"B1002"},
}


@pytest.mark.parametrize("persona", sorted(NIGHT_SCOPE))
def test_night_ledger_and_export_contain_only_scope(world, login, seeded, persona):
    client = login(world[persona])
    url = reverse("ledgers:night-list")
    page = client.get(url, {"status": "all"}, HTTP_HX_REQUEST="true")
    assert numbers(page.content) == NIGHT_SCOPE[persona]
    assert sheet_numbers(client.get(url, {"status": "all", "format": "xlsx"})) == NIGHT_SCOPE[persona]
    # Filters cannot reach outside.
    assert (
        numbers(
            client.get(url, {"status": "all", "school_class": "机械2401"}, HTTP_HX_REQUEST="true").content
        )
        <= (NIGHT_SCOPE[persona])
    )


def test_night_check_api_follows_scope(world, api, seeded, travel):
    travel(at(NIGHT, 22))
    a_check = NightCheck.objects.get(room=world.room_a1)
    b_check = NightCheck.objects.get(room=world.room_b1)
    rooms = {r["room"] for r in api(world.counselor).get("/api/v1/night-checks/").json()["results"]}
    assert rooms == {"东1/301", "东1/302"}
    assert api(world.counselor).get(f"/api/v1/night-checks/{b_check.pk}/").status_code == 404
    assert api(world.leader_b).get(f"/api/v1/night-checks/{a_check.pk}/").status_code == 404
    # A monitor sees the mixed room's check with their own class's lines only.
    mixed = api(world.monitor).get("/api/v1/night-checks/", {"room": "东1/302"}).json()["results"][0]
    assert {e["student_no"] for e in mixed["entries"]} == {"A1005", "A1006"}
    # Submitting: in scope 200/201, out of scope 404 with a Chinese message, nothing changes.
    body = {
        "room": "东1/301",
        "date": NIGHT.isoformat(),
        "entries": [{"student_no": "A1002", "status": "late", "time": "23:10"}],
    }
    refused = api(world.dorm_head_b).post("/api/v1/night-checks/", body, format="json")
    assert refused.status_code == 404 and "范围" in refused.json()["detail"]
    assert api(world.monitor).post("/api/v1/night-checks/", body, format="json").status_code == 404
    ok = api(world.dorm_head).post("/api/v1/night-checks/", body, format="json")
    assert ok.status_code == 200 and ok.json()["late"] == 1
    created = api(world.dorm_head_a2).post("/api/v1/night-checks/", {"room": "东1/303"}, format="json")
    assert created.status_code == 201 and created.json()["present"] == 3
    bad = api(world.dorm_head).post(
        "/api/v1/night-checks/",
        {"room": "东1/301", "entries": [{"student_no": "A1002", "status": "leave"}]},
        format="json",
    )
    assert bad.status_code == 400 and "请假" in bad.json()["detail"]


# --- leave ---------------------------------------------------------------------------------------

LEAVE_SCOPE = {
    "dorm_head": {"A1002"},
    "monitor": {"A1002"},
    "counselor": {"A1002"},
    "leader": {"A1002"},
    "student": {"A1002"},
    "office": {"A1002", "B1002"},
    "leader_b": {"B1002"},
    "counselor_b": {"B1002"},
    "student_b": {"B1002"},
    "small_grid_leader": {"A1002"},
}


@pytest.mark.parametrize("persona", sorted(LEAVE_SCOPE))
def test_leave_list_and_export_contain_only_scope(world, login, seeded, persona):
    client = login(world[persona])
    page = client.get(reverse("ledgers:leave-list"), HTTP_HX_REQUEST="true")
    assert numbers(page.content) == LEAVE_SCOPE[persona]
    assert (
        sheet_numbers(client.get(reverse("ledgers:leave-list"), {"format": "xlsx"})) == LEAVE_SCOPE[persona]
    )


def test_leave_on_behalf_needs_level_three(world, login, seeded):
    data = {
        "student_no": "A1002",
        "kind": "personal",
        "start": "2025-11-20T08:00",
        "end": "2025-11-21T08:00",
        "reason": "代登记",
    }
    for persona in ["dorm_head", "monitor", "counselor_b"]:
        response = login(world[persona]).post(reverse("ledgers:leave-new"), data)
        assert response.status_code == 200 and "找不到该学号" in response.content.decode(), persona
    assert login(world.counselor).post(reverse("ledgers:leave-new"), data).status_code == 302
    assert LeaveRequest.objects.filter(reason="代登记", state=LeaveState.APPROVED).count() == 1


def test_leave_detail_and_actions_follow_scope(world, login, seeded):
    leave_a = LeaveRequest.objects.get(student=world.student)
    leave_b = LeaveRequest.objects.get(student=world.student_b)
    for persona, expected in LEAVE_SCOPE.items():
        client = login(world[persona])
        assert client.get(reverse("ledgers:leave-detail", args=[leave_a.pk])).status_code == (
            200 if "A1002" in expected else 404
        )
        assert client.get(reverse("ledgers:leave-detail", args=[leave_b.pk])).status_code == (
            200 if "B1002" in expected else 404
        )
    response = login(world.counselor_b).post(reverse("ledgers:leave-act", args=[leave_a.pk, "approve"]))
    assert response.status_code == 404
    response = login(world.monitor).post(
        reverse("ledgers:leave-act", args=[leave_a.pk, "approve"]), follow=True
    )
    assert "只有该生的辅导员" in response.content.decode()
    leave_a.refresh_from_db()
    assert leave_a.state == LeaveState.PENDING


def test_leave_api_follows_scope(world, api, seeded):
    leave_a = LeaveRequest.objects.get(student=world.student)
    for persona, expected in LEAVE_SCOPE.items():
        data = api(world[persona]).get("/api/v1/leaves/").json()
        assert {r["student_no"] for r in data["results"]} == expected, persona
    assert api(world.counselor_b).get(f"/api/v1/leaves/{leave_a.pk}/").status_code == 404
    for action in ["approve", "refuse", "cancel", "return"]:
        assert api(world.counselor_b).post(f"/api/v1/leaves/{leave_a.pk}/{action}/").status_code == 404
    refused = api(world.monitor).post(f"/api/v1/leaves/{leave_a.pk}/approve/")
    assert refused.status_code == 403 and "辅导员" in refused.json()["detail"]
    assert (
        api(world.dorm_head).get(f"/api/v1/leaves/{leave_a.pk}/").json()["reason"] == "（无权查看）"
    )  # not the roommate's business; the one mask text of people.sensitive (was "")
    assert api(world.counselor).get(f"/api/v1/leaves/{leave_a.pk}/").json()["reason"] == "回家"
    assert (
        api(world.counselor).post(f"/api/v1/leaves/{leave_a.pk}/refuse/", {}, format="json").status_code
        == 400
    )
    approved = api(world.counselor).post(
        f"/api/v1/leaves/{leave_a.pk}/approve/", {"comment": "同意"}, format="json"
    )
    assert approved.status_code == 200 and approved.json()["state"] == "approved"
    cancelled = api(world.student).post(f"/api/v1/leaves/{leave_a.pk}/cancel/")
    assert cancelled.status_code == 200 and cancelled.json()["state"] == "cancelled"
    assert api(world.student).post(f"/api/v1/leaves/{leave_a.pk}/return/").status_code == 409
    new = api(world.student).post(
        "/api/v1/leaves/",
        {"start": "2025-11-20T08:00:00+08:00", "end": "2025-11-21T08:00:00+08:00", "reason": "参加比赛"},
        format="json",
    )
    assert new.status_code == 201 and new.json()["state"] == "pending"
    assert (
        api(world.student)
        .post(
            "/api/v1/leaves/",
            {
                "student_no": "B1002",
                "start": "2025-11-22T08:00:00+08:00",
                "end": "2025-11-23T08:00:00+08:00",
                "reason": "x",
            },
            format="json",
        )
        .status_code
        == 400
    )


# --- holiday -------------------------------------------------------------------------------------

HOLIDAY_SCOPE = {
    "dorm_head": {"A1002", "A1004"},
    "monitor": {"A1002", "A1004"},
    "counselor": {"A1002", "A1004"},
    "class_teacher": {"A1002", "A1004"},
    "student": {"A1002"},
    "office": {"A1002", "A1004", "B1002"},
    "leader_b": {"B1002"},
    "counselor_b": {"B1002"},
    "student_b": {"B1002"},
}


@pytest.mark.parametrize("persona", sorted(HOLIDAY_SCOPE))
def test_holiday_pages_and_exports_follow_scope(world, login, seeded, persona):
    client = login(world[persona])
    window_a, window_b = seeded["window_a"], seeded["window_b"]
    sees_a = "A1002" in HOLIDAY_SCOPE[persona]
    sees_b = "B1002" in HOLIDAY_SCOPE[persona]
    listing = client.get(reverse("ledgers:holiday-list")).content.decode()
    if persona == "office":
        # Issue 12 item 9: one row per college first; a college's windows behind ?college=.
        assert 'data-window="' not in listing and f'href="?college={world.college_a.pk}"' in listing
        listing = "".join(
            client.get(reverse("ledgers:holiday-list"), {"college": c.pk}).content.decode()
            for c in (world.college_a, world.college_b)
        )
    if persona in ("student", "student_b"):
        # Issue 12 item 10: a plain student has their own registration, not the class table or the ledger.
        assert 'data-window="' not in listing and "导出台账" not in listing
        assert client.get(reverse("ledgers:holiday-ledger")).status_code == 404
        return
    assert (f'data-window="{window_a.pk}"' in listing) == sees_a
    assert (f'data-window="{window_b.pk}"' in listing) == sees_b
    assert client.get(reverse("ledgers:holiday-window", args=[window_a.pk])).status_code == (
        200 if sees_a else 404
    )
    assert client.get(reverse("ledgers:holiday-window", args=[window_b.pk])).status_code == (
        200 if sees_b else 404
    )
    assert sheet_numbers(client.get(reverse("ledgers:holiday-ledger"))) == HOLIDAY_SCOPE[persona]
    if sees_a:
        roster = client.get(reverse("ledgers:holiday-window", args=[window_a.pk]), {"format": "xlsx"})
        assert sheet_numbers(roster) <= HOLIDAY_SCOPE[persona] | CLASS_A1
        assert not sheet_numbers(roster) & COLLEGE_B


def test_holiday_open_needs_level_three(world, login, seeded):
    for persona in ["dorm_head", "monitor", "student", "activist"]:
        assert login(world[persona]).get(reverse("ledgers:holiday-open")).status_code == 404
    response = login(world.counselor_b).post(
        reverse("ledgers:holiday-open"), {"holiday": seeded["holiday"].pk, "classes": [world.class_a2.pk]}
    )
    assert response.status_code == 200 and "不在可用的选项中" in response.content.decode()
    assert not HolidayWindow.objects.filter(school_class=world.class_a2).exists()


def test_holiday_register_is_for_the_class(world, login, seeded):
    url_a = reverse("ledgers:holiday-register", args=[seeded["window_a"].pk])
    assert login(world.student).get(url_a).status_code == 200
    assert login(world.student_b).get(url_a).status_code == 404
    assert login(world.mixed_a2).get(url_a).status_code == 404  # another class of the same college
    assert login(world.counselor).get(url_a, {"student": "A1003"}).status_code == 200
    assert login(world.counselor_b).get(url_a, {"student": "A1003"}).status_code == 404
    assert login(world.dorm_head).get(url_a, {"student": "A1003"}).status_code == 404


def test_holiday_return_follows_scope(world, login, seeded, travel):
    travel(at(dt.date(2025, 11, 9), 20))
    registration = HolidayRegistration.objects.get(student=world.student)
    for persona in ["counselor_b", "leader_b", "dorm_head_b", "student_b"]:
        assert (
            login(world[persona]).post(reverse("ledgers:holiday-return", args=[registration.pk])).status_code
            == 404
        )
    login(world.monitor).post(
        reverse("ledgers:holiday-return", args=[registration.pk])
    )  # visible, not allowed
    registration.refresh_from_db()
    assert registration.returned_at is None
    login(world.dorm_head).post(reverse("ledgers:holiday-return", args=[registration.pk]))
    registration.refresh_from_db()
    assert registration.returned_at is not None


def test_holiday_departure_follows_scope(world, login, api, seeded, travel):
    travel(at(dt.date(2025, 11, 7), 18))  # the day before the registered departure
    registration = HolidayRegistration.objects.get(student=world.student)
    url = reverse("ledgers:holiday-depart", args=[registration.pk])
    for persona in ["counselor_b", "leader_b", "dorm_head_b", "student_b"]:
        assert login(world[persona]).post(url).status_code == 404
        assert (
            api(world[persona]).post(f"/api/v1/holiday-registrations/{registration.pk}/depart/").status_code
            == 404
        )
    login(world.monitor).post(url)  # visible, not allowed
    assert (
        api(world.monitor).post(f"/api/v1/holiday-registrations/{registration.pk}/depart/").status_code == 403
    )
    registration.refresh_from_db()
    assert registration.departed_at is None
    login(world.dorm_head).post(url)
    registration.refresh_from_db()
    assert registration.departed_at is not None


def test_holiday_api_follows_scope(world, api, seeded, travel):
    for persona, expected in HOLIDAY_SCOPE.items():
        rows = api(world[persona]).get("/api/v1/holiday-registrations/").json()["results"]
        assert {r["student_no"] for r in rows} == expected, persona
    registration_a = HolidayRegistration.objects.get(student=world.student)
    window_a = seeded["window_a"]
    assert api(world.leader_b).get(f"/api/v1/holiday-registrations/{registration_a.pk}/").status_code == 404
    assert api(world.leader_b).get(f"/api/v1/holiday-windows/{window_a.pk}/").status_code == 404
    windows = api(world.counselor).get("/api/v1/holiday-windows/").json()["results"]
    assert [(w["school_class"], w["counts"]["unregistered"]) for w in windows] == [("化工2401", 4)]
    phone = (
        api(world.dorm_head)
        .get(f"/api/v1/holiday-registrations/{registration_a.pk}/")
        .json()["emergency_phone"]
    )
    assert phone == "139****0001"
    travel(at(dt.date(2025, 11, 9), 20))
    assert (
        api(world.counselor_b).post(f"/api/v1/holiday-registrations/{registration_a.pk}/return/").status_code
        == 404
    )
    assert (
        api(world.monitor).post(f"/api/v1/holiday-registrations/{registration_a.pk}/return/").status_code
        == 403
    )
    ok = api(world.student).post(f"/api/v1/holiday-registrations/{registration_a.pk}/return/")
    assert ok.status_code == 200 and ok.json()["status"] == "back"
    created = api(world.activist).post(
        "/api/v1/holiday-registrations/", {"window": window_a.pk, "plan": "stay"}, format="json"
    )
    assert created.status_code == 201 and created.json()["plan"] == "stay"
    assert (
        api(world.student_b)
        .post("/api/v1/holiday-registrations/", {"window": window_a.pk, "plan": "stay"}, format="json")
        .status_code
        == 404
    )
    opened = api(world.counselor).post(
        "/api/v1/holiday-windows/", {"holiday": seeded["holiday"].pk, "classes": ["化工2402"]}, format="json"
    )
    assert opened.status_code == 201
    refused = api(world.counselor).post(
        "/api/v1/holiday-windows/", {"holiday": seeded["holiday"].pk, "classes": ["机械2401"]}, format="json"
    )
    assert refused.status_code == 400 and "机械2401" in refused.json()["detail"]


# --- inspections ---------------------------------------------------------------------------------

INSPECTION_ROOMS = {
    "dorm_head": {"东1/301"},
    "activist": {"东1/301"},
    "monitor": {"东1/301", "东1/302"},
    "counselor": {"东1/301", "东1/302", "东1/303"},
    "leader": {"东1/301", "东1/302", "东1/303"},
    "small_grid_leader": {"东1/301", "东1/302"},
    "student": set(),
    "office": {"东1/301", "东1/302", "东1/303", "西1/101"},
    "leader_b": {"西1/101"},
    "counselor_b": {"西1/101"},
    "student_b": set(),
}


@pytest.mark.parametrize("persona", sorted(INSPECTION_ROOMS))
def test_inspection_pages_follow_scope(world, login, seeded, persona):
    client = login(world[persona])
    rooms = INSPECTION_ROOMS[persona]
    round_a, round_b = seeded["round_a"], seeded["round_b"]
    listing = client.get(reverse("ledgers:inspection-list"), HTTP_HX_REQUEST="true").content.decode()
    assert (f'data-round="{round_a.pk}"' in listing) == bool(rooms & {"东1/301", "东1/302", "东1/303"})
    assert (f'data-round="{round_b.pk}"' in listing) == ("西1/101" in rooms)
    for round_, room in ((round_a, world.room_a1), (round_b, world.room_b1)):
        visible = room.label in rooms
        assert client.get(reverse("ledgers:inspection-round", args=[round_.pk])).status_code == (
            200 if visible else 404
        )
        inspection = Inspection.objects.get(round=round_, room=room)
        assert client.get(reverse("ledgers:inspection-room", args=[inspection.pk])).status_code == (
            200 if visible else 404
        )
        finding = Finding.objects.get(room=room)
        assert client.get(reverse("ledgers:finding", args=[finding.pk])).status_code == (
            200 if visible else 404
        )
    if rooms & {"东1/301", "东1/302", "东1/303"}:
        page = client.get(reverse("ledgers:inspection-round", args=[round_a.pk]), HTTP_HX_REQUEST="true")
        assert rooms_in(page.content.decode()) == rooms - {"西1/101"}


def test_recheck_and_record_outside_reach_are_refused(world, login, seeded):
    finding = Finding.objects.get(room=world.room_a1)
    assert (
        login(world.counselor_b)
        .post(reverse("ledgers:finding", args=[finding.pk]), {"result": "fixed"})
        .status_code
        == 404
    )
    assert (
        login(world.monitor)
        .post(reverse("ledgers:finding", args=[finding.pk]), {"result": "fixed"})
        .status_code
        == 404
    )
    inspection = Inspection.objects.get(round=seeded["round_a"], room=world.room_a2)
    response = login(world.monitor).post(
        reverse("ledgers:inspection-room", args=[inspection.pk]), {"action": "record", "hygiene_score": "1"}
    )
    assert response.status_code == 404
    finding.refresh_from_db()
    assert finding.state == "open"


def test_inspection_round_only_over_rooms_in_reach(world, login, seeded):
    for persona in ["student", "monitor", "activist"]:
        assert login(world[persona]).get(reverse("ledgers:inspection-new")).status_code == 404
    client = login(world.counselor)
    response = client.post(
        reverse("ledgers:inspection-new"),
        {"title": "越界", "kind": "safety", "date": "2025-11-04", "rooms": "西1/101"},
    )
    assert response.status_code == 200 and "不在您的管理范围内" in response.content.decode()
    response = client.post(
        reverse("ledgers:inspection-new"),
        {"title": "整栋", "kind": "safety", "date": "2025-11-04", "buildings": ["东1"]},
    )
    assert response.status_code == 302
    assert InspectionRound.objects.get(title="整栋").inspections.count() == 3
    response = login(world.dorm_head).post(
        reverse("ledgers:inspection-new"), {"title": "自查", "kind": "both", "date": "2025-11-04"}
    )
    assert response.status_code == 302
    assert list(
        InspectionRound.objects.get(title="自查").inspections.values_list("room__number", flat=True)
    ) == ["301"]


@pytest.mark.parametrize("persona", sorted(INSPECTION_ROOMS))
def test_finding_ledger_and_export_contain_only_scope(world, login, seeded, persona):
    client = login(world[persona])
    expected = INSPECTION_ROOMS[persona] & {"东1/301", "西1/101"}  # the rooms with a finding
    page = client.get(reverse("ledgers:finding-list"), HTTP_HX_REQUEST="true").content.decode()
    assert rooms_in(page) == expected
    export = client.get(reverse("ledgers:finding-list"), {"format": "xlsx"})
    book = openpyxl.load_workbook(io.BytesIO(export.content))
    assert book.active["A1"].value == "安全隐患排查台账"
    exported = {row[3] for row in book.active.iter_rows(min_row=4, values_only=True)}
    assert exported == expected


def test_finding_photo_is_served_only_in_scope(world, login, seeded):
    finding = Finding.objects.get(room=world.room_a1)
    url = reverse("ledgers:finding-photo", args=[finding.pk])
    for persona, rooms in INSPECTION_ROOMS.items():
        response = login(world[persona]).get(url)
        assert response.status_code == (200 if "东1/301" in rooms else 404), persona
        if response.status_code == 200:
            assert response["Content-Type"] == "image/png" and response["X-Content-Type-Options"] == "nosniff"
            assert b"".join(response.streaming_content).startswith(b"\x89PNG")


def test_inspection_api_follows_scope(world, api, seeded, travel):
    round_a, round_b = seeded["round_a"], seeded["round_b"]
    finding_a = Finding.objects.get(room=world.room_a1)
    inspection_a = Inspection.objects.get(round=round_a, room=world.room_a1)
    for persona, rooms in INSPECTION_ROOMS.items():
        client = api(world[persona])
        listed = {r["room"] for r in client.get("/api/v1/inspections/").json()["results"]}
        assert listed == rooms, persona
        findings = {r["room"] for r in client.get("/api/v1/findings/").json()["results"]}
        assert findings == rooms & {"东1/301", "西1/101"}, persona
        round_ids = {r["id"] for r in client.get("/api/v1/inspection-rounds/").json()["results"]}
        assert (round_b.pk in round_ids) == ("西1/101" in rooms)
    counselor, outsider = api(world.counselor), api(world.counselor_b)
    assert outsider.get(f"/api/v1/inspection-rounds/{round_a.pk}/").status_code == 404
    assert outsider.get(f"/api/v1/inspections/{inspection_a.pk}/").status_code == 404
    assert outsider.get(f"/api/v1/findings/{finding_a.pk}/").status_code == 404
    assert (
        outsider.post(
            f"/api/v1/inspections/{inspection_a.pk}/record/", {"hygiene_score": 10}, format="json"
        ).status_code
        == 404
    )
    assert (
        outsider.post(
            f"/api/v1/inspections/{inspection_a.pk}/findings/", {"item": "吸烟"}, format="json"
        ).status_code
        == 404
    )
    assert (
        outsider.post(
            f"/api/v1/findings/{finding_a.pk}/recheck/", {"result": "fixed"}, format="json"
        ).status_code
        == 404
    )
    figures = counselor.get(f"/api/v1/inspection-rounds/{round_a.pk}/").json()["figures"]
    assert (figures["rooms"], figures["inspected"], figures["illegal"]) == (3, 1, 1)
    rates = counselor.get("/api/v1/inspection-rounds/rates/").json()
    assert rates["rates"] == [100.0] and api(world.leader_b).get("/api/v1/inspection-rounds/rates/").json()[
        "titles"
    ] == ["机械检查"]
    detail = counselor.get(f"/api/v1/inspections/{inspection_a.pk}/").json()
    assert detail["hygiene_score"] == 90 and detail["findings"][0]["photo"].endswith("/photo/")
    recorded = counselor.post(
        f"/api/v1/inspections/{inspection_a.pk}/record/", {"hygiene_score": 75}, format="json"
    )
    assert recorded.status_code == 200 and recorded.json()["hygiene_score"] == 75
    added = api(world.dorm_head).post(
        f"/api/v1/inspections/{inspection_a.pk}/findings/",
        {"item": "易燃物", "students": ["A1002"], "photo": png()},
        format="multipart",
    )
    assert added.status_code == 201 and added.json()["students"] == ["A1002"] and added.json()["photo"]
    wrong = counselor.post(
        f"/api/v1/inspections/{inspection_a.pk}/findings/",
        {"item": "吸烟", "students": ["B1002"]},
        format="json",
    )
    assert wrong.status_code == 400
    rechecked = counselor.post(
        f"/api/v1/findings/{finding_a.pk}/recheck/",
        {"result": "cannot_fix", "note": "需后勤更换插座"},
        format="json",
    )
    assert (
        rechecked.status_code == 200
        and rechecked.json()["state"] == "escalated"
        and rechecked.json()["report"]
    )
    created = counselor.post(
        "/api/v1/inspection-rounds/", {"title": "抽查", "kind": "safety", "rooms": ["东1/303"]}, format="json"
    )
    assert created.status_code == 201
    refused = counselor.post(
        "/api/v1/inspection-rounds/", {"title": "越界", "rooms": ["西1/101"]}, format="json"
    )
    assert refused.status_code == 400 and "西1/101" in refused.json()["detail"]


# --- ratings -------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", sorted(INSPECTION_ROOMS))
def test_ratings_follow_scope(world, login, api, seeded, persona):
    rated = {"东1/301", "西1/101"}  # the rooms with a score this semester
    expected = INSPECTION_ROOMS[persona] & rated
    if persona in ("student", "student_b"):
        expected = {"student": {"东1/301"}, "student_b": {"西1/101"}}[persona]  # their own room's rating
    client = login(world[persona])
    page = client.get(reverse("ledgers:ratings"), HTTP_HX_REQUEST="true").content.decode()
    assert rooms_in(page) == expected
    export = client.get(reverse("ledgers:ratings"), {"format": "xlsx"})
    book = openpyxl.load_workbook(io.BytesIO(export.content))
    assert {row[2] for row in book.active.iter_rows(min_row=4, values_only=True)} == expected
    rows = api(world[persona]).get("/api/v1/room-ratings/").json()["results"]
    assert {r["room"] for r in rows} == expected
    if persona not in ("leader", "leader_b", "office"):
        assert client.post(reverse("ledgers:ratings")).status_code == 404
