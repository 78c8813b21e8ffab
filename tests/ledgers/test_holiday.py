"""Holiday departures and returns (节假日离校返校): a counselor opens it for their
classes, students register, returns are confirmed, the class view by status,
overdue returns and missing registrations flagged by tick, the ledger export."""

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse

from campusgrid.core.errors import Conflict, NotAllowed, ServiceError
from campusgrid.core.tick import run_due
from campusgrid.ledgers import selectors, services
from campusgrid.ledgers.models import HolidayRegistration, HolidayWindow
from campusgrid.notifications.models import Notification
from campusgrid.org.models import Holiday

from .conftest import at

pytestmark = pytest.mark.django_db
START, END = dt.date(2025, 11, 8), dt.date(2025, 11, 9)


@pytest.fixture
def holiday(term, travel):
    travel(at(dt.date(2025, 11, 5), 10))
    return Holiday.objects.create(semester=term["semester"], name="校庆", start=START, end=END)


@pytest.fixture
def windows(world, holiday):
    return services.holiday_window_open(
        actor=world.counselor.user, holiday=holiday, classes=[world.class_a1, world.class_a2]
    )


def leave_home(world, who="student", window=None, windows=None, **kwargs):
    student = world[who]
    window = window or next(w for w in windows if w.school_class_id == student.school_class_id)
    values = {
        "plan": "leave",
        "destination": "浙江省杭州市",
        "depart_on": START,
        "return_on": END,
        "transport": "高铁",
        "emergency_contact": "张父",
        "emergency_phone": "13900000001",
    }
    values.update(kwargs)
    return services.holiday_register(actor=student.user, window=window, student=student, **values)


def test_counselor_opens_for_their_classes_and_students_are_told(world, holiday, windows):
    assert {w.school_class.name for w in windows} == {"化工2401", "化工2402"}
    window = windows[0]
    assert window.register_by == START - dt.timedelta(days=1)
    assert window.return_due == at(END, 22)  # last day of the holiday, 22:00 by default
    told = set(
        Notification.objects.filter(title__contains="离校返校登记").values_list("user__username", flat=True)
    )
    assert told == {
        "A1001",
        "A1002",
        "A1003",
        "A1004",
        "A1005",
        "A1006",
        "A2001",
        "A2002",
        "A2003",
        "A2004",
        "A2005",
    }
    # Opening again changes nothing; other classes are refused.
    assert (
        services.holiday_window_open(actor=world.counselor.user, holiday=holiday, classes=[world.class_a1])
        == []
    )
    with pytest.raises(NotAllowed):
        services.holiday_window_open(actor=world.counselor.user, holiday=holiday, classes=[world.class_b1])
    for persona in ["monitor", "dorm_head", "student"]:
        with pytest.raises(NotAllowed):
            services.holiday_window_open(actor=world[persona].user, holiday=holiday, classes=[world.class_a1])


def test_students_register_staying_or_leaving_with_the_details(world, windows):
    registration = leave_home(world, windows=windows)
    # Registered days before the departure date: not away yet (issue 12 item 3).
    assert registration.plan == "leave" and registration.status() == "planned"
    with pytest.raises(ServiceError, match="离校请填写：目的地、紧急联系人"):
        leave_home(world, "activist", windows=windows, destination="", emergency_contact="")
    with pytest.raises(ServiceError, match="11位"):
        leave_home(world, "activist", windows=windows, emergency_phone="110")
    with pytest.raises(ServiceError, match="返校日期不能早于"):
        leave_home(world, "activist", windows=windows, return_on=START - dt.timedelta(days=1))
    stay = services.holiday_register(
        actor=world.monitor.user, window=windows[0], student=world.monitor, plan="stay", destination="ignored"
    )
    assert stay.status() == "stay" and stay.destination == ""
    # Changing one's mind updates the same registration.
    changed = services.holiday_register(
        actor=world.student.user, window=windows[0], student=world.student, plan="stay"
    )
    assert changed.pk == registration.pk and changed.plan == "stay"
    assert HolidayRegistration.objects.count() == 2


def test_only_the_student_or_their_counselor_registers(world, windows):
    with pytest.raises(NotAllowed):
        services.holiday_register(
            actor=world.dorm_head.user, window=windows[0], student=world.student, plan="stay"
        )
    services.holiday_register(
        actor=world.counselor.user, window=windows[0], student=world.student, plan="stay"
    )
    other_class = next(w for w in windows if w.school_class_id == world.class_a2.pk)
    with pytest.raises(ServiceError, match="不属于"):
        services.holiday_register(
            actor=world.student.user, window=other_class, student=world.student, plan="stay"
        )


def test_return_confirmed_by_the_student_the_dorm_head_or_the_counselor(world, windows, travel):
    own = leave_home(world, windows=windows)
    roommate = leave_home(world, "activist", windows=windows)
    mixed = leave_home(world, "mixed_a2", windows=windows)
    with pytest.raises(Conflict, match="尚未到离校日期"):
        services.holiday_confirm_return(actor=world.student.user, registration=own)
    travel(at(END, 18))
    services.holiday_confirm_return(actor=world.student.user, registration=own)
    confirmed = services.holiday_confirm_return(actor=world.dorm_head.user, registration=roommate)
    assert confirmed.return_confirmed_by_name == "舍长甲"
    with pytest.raises(NotAllowed):
        services.holiday_confirm_return(actor=world.dorm_head.user, registration=mixed)  # another room
    with pytest.raises(NotAllowed):
        services.holiday_confirm_return(actor=world.monitor.user, registration=mixed)
    services.holiday_confirm_return(actor=world.counselor.user, registration=mixed)
    with pytest.raises(Conflict, match="已经确认"):
        services.holiday_confirm_return(actor=world.student.user, registration=own)


def test_per_class_status_not_registered_staying_away_back_overdue(world, windows, travel):
    a1 = next(w for w in windows if w.school_class_id == world.class_a1.pk)
    leave_home(world, windows=windows)
    leave_home(world, "activist", windows=windows)
    leave_home(world, "dorm_head", windows=windows)
    services.holiday_register(actor=world.monitor.user, window=a1, student=world.monitor, plan="stay")
    travel(at(END, 20))
    services.holiday_confirm_return(
        actor=world.dorm_head.user, registration=HolidayRegistration.objects.get(student=world.dorm_head)
    )
    counts = selectors.window_counts(user=world.counselor.user, windows=[a1])[a1.pk]
    counts.pop("window_id")
    assert counts == {
        "registered": 4,
        "stay": 1,
        "planned": 0,
        "away": 2,
        "back": 1,
        "overdue": 0,
        "total": 6,
        "unregistered": 2,
    }
    travel(at(END, 22, 1))
    counts = selectors.window_counts(user=world.counselor.user, windows=[a1])[a1.pk]
    assert (counts["away"], counts["overdue"]) == (0, 2)
    overdue = {
        r["student"].student_no
        for r in selectors.window_roster(user=world.counselor.user, window=a1, status="overdue")
    }
    assert overdue == {"A1002", "A1003"}
    missing = {
        r["student"].student_no
        for r in selectors.window_roster(user=world.counselor.user, window=a1, status="unregistered")
    }
    assert missing == {"A1005", "A1006"}
    # The dorm head sees their room only.
    mine = {r["student"].student_no for r in selectors.window_roster(user=world.dorm_head.user, window=a1)}
    assert mine == {"A1001", "A1002", "A1003", "A1004"}


def test_overdue_returns_and_missing_registrations_are_flagged_once(world, windows):
    leave_home(world, windows=windows)
    leave_home(world, "mixed_a2", windows=windows)
    # The registration deadline passes: counselors and class teachers hear who is missing.
    assert run_due(at(START, 0, 5))["ledgers.holiday_overdue"] == 2
    assert (
        Notification.objects.filter(
            user=world.counselor.user, title__contains="未完成校庆离校返校登记"
        ).count()
        == 2
    )
    assert run_due(at(START, 0, 6))["ledgers.holiday_overdue"] == 0
    # The return deadline passes.
    assert run_due(at(END, 22, 1))["ledgers.holiday_overdue"] == 2
    titles = list(
        Notification.objects.filter(title__contains="逾期未返校").values_list("user__username", "title")
    )
    assert ("C0001", "化工2401有1名学生校庆后逾期未返校：张三") in titles
    assert ("C0002", "化工2401有1名学生校庆后逾期未返校：张三") in titles
    assert any(u == "C0001" and "化工2402" in t and "李四" in t for u, t in titles)
    assert run_due(at(END, 22, 2))["ledgers.holiday_overdue"] == 0
    assert HolidayRegistration.objects.overdue(at(END, 23)).count() == 2


def test_pages_register_view_by_status_and_export(world, windows, login, travel):
    a1 = next(w for w in windows if w.school_class_id == world.class_a1.pk)
    client = login(world.student)
    assert "去登记" in client.get(reverse("ledgers:holiday-list")).content.decode()
    response = client.post(
        reverse("ledgers:holiday-register", args=[a1.pk]),
        {
            "plan": "leave",
            "destination": "浙江省杭州市",
            "depart_on": "2025-11-08",
            "return_on": "2025-11-09",
            "transport": "高铁",
            "emergency_contact": "张父",
            "emergency_phone": "13900000001",
        },
    )
    assert response.status_code == 302
    travel(at(END, 23))
    counselor = login(world.counselor)
    page = counselor.get(
        reverse("ledgers:holiday-window", args=[a1.pk]), {"status": "overdue"}, HTTP_HX_REQUEST="true"
    )
    text = page.content.decode()
    assert 'data-student="A1002"' in text and 'data-student="A1001"' not in text and "确认返校" in text
    listing = counselor.get(reverse("ledgers:holiday-list")).content.decode()
    assert f'data-window="{a1.pk}"' in listing
    book = openpyxl.load_workbook(io.BytesIO(counselor.get(reverse("ledgers:holiday-ledger")).content))
    sheet = book.active
    assert sheet["A1"].value == "节假日离校返校台账"
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    assert [(r[2], r[5], r[14]) for r in rows] == [("A1002", "离校", "逾期未返")]
    assert rows[0][11] == "13900000001"
    counselor.post(reverse("ledgers:holiday-return", args=[rows and HolidayRegistration.objects.get().pk]))
    assert HolidayRegistration.objects.get().returned_at is not None


def test_open_page_for_counselors(world, holiday, login):
    client = login(world.counselor)
    page = client.get(reverse("ledgers:holiday-open")).content.decode()
    assert "校庆" in page and "化工2401" in page and "机械2401" not in page
    response = client.post(
        reverse("ledgers:holiday-open"), {"holiday": holiday.pk, "classes": [world.class_a1.pk]}
    )
    assert response.status_code == 302
    assert HolidayWindow.objects.get().school_class == world.class_a1
