"""Dates in Beijing time (issue 12 item 4): an aware datetime between 00:00 and 08:00
Beijing time is the previous day in UTC; the date filters convert once."""

import datetime as dt

import pytest
from django.template import Context, Template
from django.urls import reverse

from campusgrid.core.templatetags.cg import cn_date, cn_datetime
from campusgrid.ledgers import services
from campusgrid.ledgers.models import InspectionItem, LeaveRequest, LeaveState

from .conftest import at

pytestmark = pytest.mark.django_db
DAY = dt.date(2025, 12, 4)


@pytest.mark.parametrize("hour, minute", [(0, 30), (7, 59)])
def test_date_filters_show_the_beijing_date(hour, minute):
    moment = at(DAY, hour, minute).astimezone(dt.UTC)
    assert moment.date() == DAY - dt.timedelta(days=1)  # what the bug showed
    assert cn_date(moment) == "2025年12月4日"
    assert cn_datetime(moment) == f"2025年12月4日 {hour:02d}:{minute:02d}"
    rendered = Template("{% load cg %}{{ v|cn_date }}|{{ v|cn_datetime }}").render(Context({"v": moment}))
    assert rendered == f"2025年12月4日|2025年12月4日 {hour:02d}:{minute:02d}"
    # Plain dates are dates.
    assert cn_date(DAY) == "2025年12月4日" and cn_datetime(DAY) == "2025年12月4日"


@pytest.mark.parametrize("hour, minute", [(0, 30), (7, 59)])
def test_student_dashboard_shows_leave_on_its_beijing_dates(world, term, login, travel, hour, minute):
    travel(at(DAY, hour, minute))
    LeaveRequest.objects.create(
        student=world.student,
        start=at(DAY, hour, minute),
        end=at(DAY + dt.timedelta(days=2), hour, minute),
        reason="回家",
        state=LeaveState.APPROVED,
    )
    page = login(world.student).get(reverse("home")).content.decode()
    assert "2025年12月4日–2025年12月6日" in page
    assert "12月3日" not in page and "12月5日–" not in page


@pytest.mark.parametrize("hour, minute", [(0, 30), (7, 59)])
def test_findings_in_the_room_and_dossier_sections_show_the_beijing_date(
    world, term, login, travel, hour, minute
):
    travel(at(DAY, hour, minute))
    round_ = services.inspection_round_create(actor=world.counselor.user, title="夜查", rooms=[world.room_a1])
    services.finding_add(
        actor=world.counselor.user,
        inspection=round_.inspections.get(),
        item=InspectionItem.objects.get(name="违章电器"),
    )
    client = login(world.counselor)
    room = client.get(reverse("people:room", args=["东1", "301"])).content.decode()
    assert "违章电器</a> 2025年12月4日" in room
    from django.template.loader import get_template
    from django.test import RequestFactory

    from campusgrid.core.registry import render_sections

    request = RequestFactory().get("/")
    request.user = world.counselor.user
    block = next(b for b in render_sections("dossier", request, world.student) if b["key"] == "ledgers-room")
    html = get_template(block["template"]).render({**block["context"], "request": request})
    assert "违章电器</a> 2025年12月4日" in html
