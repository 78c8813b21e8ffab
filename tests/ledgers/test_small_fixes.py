"""Issue 12 item 11: what a leave reason must be, late-return times, labelled date
filters, the favicon."""

import datetime as dt

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from PIL import Image

from campusgrid.core.errors import ServiceError
from campusgrid.ledgers import services
from campusgrid.ledgers.models import LeaveRequest, NightCheckEntry

from .conftest import NIGHT, at

pytestmark = pytest.mark.django_db


def test_a_too_short_leave_reason_says_what_is_wanted(world, term, travel, login, api):
    travel(at(NIGHT, 9))
    form = {"kind": "personal", "start": "2025-11-04T08:00", "end": "2025-11-05T08:00", "reason": "病"}
    text = login(world.student).post(reverse("ledgers:leave-new"), form).content.decode()
    assert "请假事由至少2个字" in text and "请填写请假事由" not in text
    response = api(world.student).post(
        "/api/v1/leaves/",
        {"start": "2025-11-04T08:00:00+08:00", "end": "2025-11-05T08:00:00+08:00", "reason": "病"},
        format="json",
    )
    assert response.status_code == 400 and "至少2个字" in response.json()["detail"]
    assert response.json()["field"] == "reason"
    assert not LeaveRequest.objects.exists()


def test_a_late_return_before_the_check_opened_is_refused(world, evening, login, api):
    with pytest.raises(ServiceError, match="早于查寝开始时间21:00"):
        services.night_check_submit(
            actor=world.dorm_head.user,
            room=world.room_a1,
            date=NIGHT,
            entries={"A1002": {"status": "late", "time": "18:30"}},
        )
    page = login(world.dorm_head).post(
        reverse("ledgers:night-check", args=[world.room_a1.pk]) + f"?date={NIGHT.isoformat()}",
        {"s-A1002": "late", "t-A1002": "20:59"},
    )
    assert "张三的归寝时间20:59早于查寝开始时间21:00" in page.content.decode()
    response = api(world.dorm_head).post(
        "/api/v1/night-checks/",
        {
            "room": "东1/301",
            "date": NIGHT.isoformat(),
            "entries": [{"student_no": "A1002", "status": "late", "time": "12:00"}],
        },
        format="json",
    )
    assert response.status_code == 400 and "早于查寝开始时间" in response.json()["detail"]
    assert not NightCheckEntry.objects.exists()
    # After midnight is still that night: 00:40 is a late return.
    services.night_check_submit(
        actor=world.dorm_head.user,
        room=world.room_a1,
        date=NIGHT,
        entries={"A1002": {"status": "late", "time": "00:40"}},
    )
    assert NightCheckEntry.objects.get(student=world.student).time == dt.time(0, 40)


@pytest.mark.parametrize("name", ["ledgers:night-list", "ledgers:leave-list", "ledgers:finding-list"])
def test_date_filters_have_visible_labels(world, term, login, name):
    text = login(world.counselor).get(reverse(name)).content.decode()
    for field, label in (("date_from", "起始日期"), ("date_to", "截止日期")):
        start = text.index(f'name="{field}"')
        tag_start = text.rindex("<input", 0, start)
        input_id = text[start:].split('id="', 1)[1].split('"', 1)[0]
        assert (
            f'<label class="form-label small mb-0" for="{input_id}">{label}</label>' in text[: tag_start + 1]
        )


def test_favicon_is_a_real_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"] == "/static/campusgrid/favicon.ico"
    path = finders.find("campusgrid/favicon.ico")
    with Image.open(path) as icon:
        assert icon.format == "ICO" and icon.size[0] >= 32
    page = client.get(reverse("login")).content.decode()
    assert 'rel="icon" href="/static/campusgrid/favicon.ico"' in page
