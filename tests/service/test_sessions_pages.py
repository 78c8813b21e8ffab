"""Session pages and API: what they show, bad input answered in Chinese, query counts
constant in rows on every list and export."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campusgrid.core import clock
from campusgrid.grid.models import PostKind
from campusgrid.service import services
from campusgrid.service.models import Attendance, HoursCredit, TrainingRequirement
from campusgrid.service.services import codes
from tests import factories as f


def _session(world, *, title="反诈宣传", past=True, audience=None, team=None, kind="education"):
    now = clock.now()
    start = now - dt.timedelta(days=1) if past else now - dt.timedelta(minutes=5)
    return services.session_create(
        actor=world.counselor.user,
        kind=kind,
        title=title,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        hours=Decimal("2"),
        audience_classes=audience if audience is not None else [world.class_a1],
        team=team,
    )


def _seed(world, n):
    """n ended sessions with two attendees credited each, and n extra students in class A1."""
    extra = [f.StudentFactory(school_class=world.class_a1) for _ in range(n)]
    for i in range(n):
        s = _session(world, title=f"活动{i}", kind="volunteer")
        for student in (world.student, extra[i]):
            services.attendance_record(
                actor=world.counselor.user, session=s, student=student, status="present"
            )
        services.hours_credit(actor=world.counselor.user, session=s)


def _count(client, url, **query):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, query)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx)


LISTS = [
    ("service:session-list", {}),
    ("service:hours-ledger", {}),
    ("service:hours-ledger", {"format": "xlsx"}),
    ("service:team-list", {}),
    ("service:training", {}),
    ("service:training", {"format": "xlsx"}),
    ("service:my-sessions", {}),
    ("service:my-hours", {}),
    ("service-session-list", {}),
    ("service-hours-list", {}),
    ("service-team-list", {}),
]


@pytest.mark.parametrize(("name", "query"), LISTS, ids=[f"{n}{q}" for n, q in LISTS])
def test_lists_and_exports_cost_the_same_for_few_and_many_rows(world, login, name, query):
    TrainingRequirement.objects.create(post_kind=PostKind.DORM_HEAD, topic="舍长岗前培训")
    services.team_create(actor=world.leader.user, college=world.college_a, name="队1", theme="学业互助")
    viewer = world.student if name.startswith("service:my") else world.counselor
    client = login(viewer)
    url = reverse(name)
    _seed(world, 2)
    client.get(url, query)  # warm the per-process caches (settings rows, content types)
    few = _count(client, url, **query)
    _seed(world, 6)
    services.team_create(actor=world.leader.user, college=world.college_a, name="队2", theme="平安公寓")
    assert _count(client, url, **query) == few


def test_session_detail_sheet_costs_the_same_for_few_and_many_attendees(world, login):
    session = _session(world)
    client = login(world.counselor)
    url = reverse("service:session-detail", args=[session.pk])
    client.get(url)
    few = _count(client, url)
    for _ in range(8):
        student = f.StudentFactory(school_class=world.class_a1)
        services.attendance_record(
            actor=world.counselor.user, session=session, student=student, status="late"
        )
    assert _count(client, url) == few


def test_organiser_ticks_on_the_page_and_credits_hours(world, login):
    session = _session(world)
    client = login(world.counselor)
    url = reverse("service:session-attendance", args=[session.pk])
    client.post(url, {"person": f"s-{world.student.pk}", "status": "late"})
    assert Attendance.objects.get(session=session, student=world.student).status == "late"
    response = client.post(url, {"person": f"s-{world.student_b.pk}", "status": "present"}, follow=True)
    assert "不在此活动的参加名单中" in response.content.decode()
    response = client.post(url, {"person": "junk", "status": "present"}, follow=True)
    assert "请选择人员" in response.content.decode()
    client.post(reverse("service:session-hours", args=[session.pk]), {"hours": "1.5"})
    assert HoursCredit.objects.get(session=session, student=world.student).hours == Decimal("1.5")
    response = client.post(
        reverse("service:session-hours", args=[session.pk]),
        {"person": "A1002", "hours": "2", "reason": ""},
        follow=True,
    )
    assert "更正原因" in response.content.decode()
    client.post(
        reverse("service:session-hours", args=[session.pk]),
        {"person": "A1002", "hours": "2", "reason": "补记"},
    )
    assert [c.hours for c in HoursCredit.objects.filter(session=session).order_by("id")] == [
        Decimal("1.5"),
        Decimal("0.5"),
    ]


def test_code_page_shows_the_current_code_and_qr(world, login):
    session = _session(world, past=False)
    client = login(world.counselor)
    html = client.get(reverse("service:session-code", args=[session.pk])).content.decode()
    assert (
        codes.current_code(session.secret, clock.now()) in html
        or codes.code_at(session.secret, codes.step_of(clock.now()) - 1) in html
    )
    fragment = client.get(reverse("service:session-code", args=[session.pk]), HTTP_HX_REQUEST="true")
    assert "<nav" not in fragment.content.decode() and 'id="signin-code"' in fragment.content.decode()
    svg = client.get(reverse("service:session-qr", args=[session.pk]))
    assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content


def test_sign_in_page_by_typed_code_and_by_qr_link(world, login):
    session = _session(world, past=False)
    client = login(world.student)
    code = codes.current_code(session.secret, clock.now())
    page = client.get(reverse("service:sign-in"), {"s": session.pk, "c": code}).content.decode()
    assert f'value="{code}"' in page
    response = client.post(reverse("service:sign-in"), {"code": code, "session": session.pk})
    assert response.status_code == 302
    assert Attendance.objects.get(session=session, student=world.student).how == "qr"
    other = login(world.student_b)
    response = other.post(reverse("service:sign-in"), {"code": code})
    assert "参加范围" in response.content.decode()
    response = other.post(reverse("service:sign-in"), {"code": "abc"})
    assert "签到码应为6位数字" in response.content.decode()


def test_api_sign_in_and_bad_bodies_answer_in_chinese(world, api):
    session = _session(world, past=False)
    code = codes.current_code(session.secret, clock.now())
    client = api(world.student)
    url = reverse("service-session-sign-in")
    assert client.post(url, {"code": code}, format="json").status_code == 200
    bad = client.post(url, ["not", "an", "object"], format="json")
    assert bad.status_code == 400
    wrong = api(world.monitor).post(url, {"code": "00000x"}, format="json")
    assert wrong.status_code == 400 and wrong.json()["field"] == "code"
    huge = api(world.monitor).post(url, {"code": "1" * 5000}, format="json")
    assert huge.status_code == 400
    counselor = api(world.counselor)
    created = counselor.post(
        reverse("service-session-list"),
        {
            "kind": "training",
            "title": "讲座",
            "starts_at": "2026-12-01T19:00:00+08:00",
            "ends_at": "2026-12-01T18:00:00+08:00",
        },
        format="json",
    )
    assert created.status_code == 400 and "结束时间" in created.json()["detail"]
    created = counselor.post(
        reverse("service-session-list"),
        {
            "kind": "training",
            "title": "讲座",
            "starts_at": "2026-12-01T19:00:00+08:00",
            "ends_at": "2026-12-01T20:00:00+08:00",
            "audience_classes": ["机械2401"],
        },
        format="json",
    )
    assert created.status_code == 400 and "机械2401" in created.json()["detail"]
    assert counselor.get(reverse("service-session-list"), {"kind": "nope"}).status_code == 400


def test_session_form_publishes_and_names_the_bad_field(world, login):
    client = login(world.counselor)
    data = {
        "kind": "volunteer",
        "title": "新生报到志愿服务",
        "topic": "新生服务",
        "starts_at": "2026-09-01T08:00",
        "ends_at": "2026-09-01T07:00",
        "hours": "3",
        "audience_classes": [world.class_a1.pk],
        "posts": "引导员 5\n搬运行李",
    }
    response = client.post(reverse("service:session-new"), data)
    assert response.status_code == 200 and "结束时间应晚于开始时间" in response.content.decode()
    data["ends_at"] = "2026-09-01T12:00"
    response = client.post(reverse("service:session-new"), data)
    assert response.status_code == 302
    from campusgrid.service.models import Session

    session = Session.objects.get(title="新生报到志愿服务")
    assert [(p.name, p.quota) for p in session.posts.all()] == [("引导员", 5), ("搬运行李", None)]
    assert list(session.audience_classes.all()) == [world.class_a1]
    # A class outside the counselor's reach is not a choice.
    data["audience_classes"] = [world.class_b1.pk]
    response = client.post(reverse("service:session-new"), data)
    assert response.status_code == 200 and "面向班级" in response.content.decode()


@pytest.mark.parametrize("style", ["iso", "slashes", "bad"])
def test_the_hours_ledger_reads_dates_as_the_people_lists_do(world, login, style):
    """志愿时长台账 takes its activities' dates through the people lists' PeriodFilter: an ISO
    date and the form's other formats (2025/11/03) filter the same, and a day that does not
    exist is no filter (issue 10's follow-up)."""
    _seed(world, 1)
    day = clock.today() - dt.timedelta(days=1)  # the activity's day
    after = day + dt.timedelta(days=1)
    written = {"iso": after.isoformat(), "slashes": after.strftime("%Y/%m/%d"), "bad": "2025-02-30"}[style]
    page = login(world.counselor).get(reverse("service:hours-ledger"), {"date_from": written})
    rows = list(page.context["page"])
    if style == "bad":
        assert rows and "hours-dates" not in page.content.decode()
    else:
        assert rows == [] and 'id="hours-dates"' in page.content.decode()
