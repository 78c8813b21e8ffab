"""The report detail page and API after issue 10/12: a failed action keeps its
input and shows the error at that action (12.8); handle and feed back in one step
(12.7); the reporter is asked to 确认; lookups raise one error with the field (page
and API alike); the shared FilterSet; derived overdue state; the unread badge."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from campusgrid.core.errors import ServiceError
from campusgrid.grid import selectors as grid_selectors
from campusgrid.notifications.models import Notification
from campusgrid.people import selectors as people_selectors
from campusgrid.reports import services
from campusgrid.reports.models import Report, State

pytestmark = pytest.mark.django_db
T0 = timezone.make_aware(dt.datetime(2026, 11, 2, 9, 0))


@pytest.fixture(autouse=True)
def _time(travel):
    travel(T0)


def make(world, who="dorm_head", **kwargs):
    defaults = {
        "category": "安全隐患",
        "severity": "normal",
        "description": "插线板冒烟",
        "students": [world.student],
    }
    defaults.update(kwargs)
    return services.report_create(actor=world[who].user, **defaults)


def accepted_by_counselor(world):
    report = make(world, "monitor")  # level 3
    return services.report_act(actor=world.counselor.user, report=report, action="accept")


# --- 12.8: a failed action keeps what was typed ---------------------------------------------


def test_failed_transfer_keeps_input_and_names_the_action(world, login):
    report = accepted_by_counselor(world)
    url = reverse("reports:act", args=[report.pk, "transfer"])
    response = login(world.counselor).post(
        url, {"note": "请班主任跟进", "assignee": "NOBODY9", "version": report.version}
    )
    assert response.status_code == 400
    html = response.content.decode()
    form = html[
        html.index('id="action-transfer"') : html.index("</form>", html.index('id="action-transfer"'))
    ]
    assert "“同级转办”未完成：找不到学号或工号“NOBODY9”" in form
    assert 'value="NOBODY9"' in form and "请班主任跟进" in form and "is-invalid" in form
    # Not at the top, and the other forms are not filled in.
    assert html.index("未完成") > html.index('id="action-transfer"')
    handle = html[html.index('id="action-handle"') :]
    assert "请班主任跟进" not in handle[: handle.index("</form>")]
    report.refresh_from_db()
    assert report.assignee_id is None and report.state == State.ACCEPTED


def test_failed_transfer_to_someone_of_another_level_is_shown_at_the_transfer_form(world, login):
    report = accepted_by_counselor(world)
    response = login(world.counselor).post(
        reverse("reports:act", args=[report.pk, "transfer"]),
        {"note": "转", "assignee": world.monitor.student_no, "version": report.version},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "只能转办给同一层级" in html[html.index('id="action-transfer"') :]
    assert f'value="{world.monitor.student_no}"' in html


def test_missing_note_keeps_the_level_choice(world, login):
    report = make(world)
    response = login(world.monitor).post(
        reverse("reports:act", args=[report.pk, "escalate"]),
        {"note": "", "to_level": "4", "version": report.version},
    )
    html = response.content.decode()
    form = html[
        html.index('id="action-escalate"') : html.index("</form>", html.index('id="action-escalate"'))
    ]
    assert "“上报上一级”未完成：请填写上报原因" in form
    assert '<option value="4" selected>' in form


def test_api_transfer_to_unknown_number_names_the_field(world, api):
    report = accepted_by_counselor(world)
    response = api(world.counselor).post(
        f"/api/v1/reports/{report.pk}/transfer/", {"note": "x", "assignee": "NOBODY9"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["field"] == "assignee" and "NOBODY9" in response.json()["detail"]


# --- 12.7: handle and feed back in one step; the reporter is asked to confirm ---------------


def test_handle_with_feedback_in_one_step_keeps_both_states(world, login):
    report = accepted_by_counselor(world)
    page = login(world.counselor).get(reverse("reports:detail", args=[report.pk])).content.decode()
    form = page[page.index('id="action-handle"') : page.index("</form>", page.index('id="action-handle"'))]
    assert 'name="also_feedback" value="on" id="handle-also_feedback" checked' in form
    assert "同时作为反馈结果发送" in form
    response = login(world.counselor).post(
        reverse("reports:act", args=[report.pk, "handle"]),
        {"note": "已协调更换插线板", "also_feedback": "on", "version": report.version},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == State.FED_BACK
    assert report.outcome == report.feedback == "已协调更换插线板"
    steps = [(e.action, e.from_state, e.to_state) for e in report.events.all()][-2:]
    assert steps == [("handle", State.ACCEPTED, State.HANDLED), ("feedback", State.HANDLED, State.FED_BACK)]
    assert Notification.objects.filter(user=world.monitor.user, title__contains="请确认").exists()


def test_handle_without_feedback_stays_handled(world, login):
    report = accepted_by_counselor(world)
    login(world.counselor).post(
        reverse("reports:act", args=[report.pk, "handle"]), {"note": "已处理", "version": report.version}
    )
    report.refresh_from_db()
    assert report.state == State.HANDLED and report.feedback == ""


def test_api_handle_with_feedback(world, api):
    report = accepted_by_counselor(world)
    response = api(world.counselor).post(
        f"/api/v1/reports/{report.pk}/handle/", {"note": "已处理", "also_feedback": True}, format="json"
    )
    assert response.status_code == 200 and response.json()["state"] == "fed_back"
    assert [e["action"] for e in response.json()["timeline"]][-2:] == ["handle", "feedback"]


def test_reporters_todo_row_asks_to_confirm(world, login):
    report = accepted_by_counselor(world)
    services.report_act(
        actor=world.counselor.user, report=report, action="handle", note="已处理", also_feedback=True
    )
    html = login(world.monitor).get(reverse("reports:todo")).content.decode()
    row = html[html.index(f'data-report-id="{report.pk}"') :]
    row = row[: row.index("</a>")]
    assert f'data-asks="{report.pk}">请确认<' in row
    home = login(world.monitor).get("/").content.decode()
    assert f'data-asks="{report.pk}">请确认<' in home


def test_unread_badge_on_the_header(world, login):
    make(world)  # tells the monitor
    unread = Notification.objects.filter(user=world.monitor.user, read_at__isnull=True).count()
    assert unread >= 1
    html = login(world.monitor).get(reverse("reports:todo")).content.decode()
    header = html[html.index("<nav") : html.index("</nav>")]
    assert 'id="header-unread">' + str(unread) + "<" in header
    assert 'id="header-notifications"' in header
    html = login(world.leader_b).get(reverse("reports:todo")).content.decode()
    assert 'id="header-unread"' not in html


# --- lookups: one error with the field, page and API ---------------------------------------


def test_lookups_raise_one_error_that_names_the_field(world):
    with pytest.raises(ServiceError) as error:
        people_selectors.students_by_numbers(user=world.dorm_head.user, numbers=["A1002", "B1002"])
    assert error.value.field == "students" and "B1002" in error.value.message
    found = people_selectors.students_by_numbers(
        user=world.dorm_head.user, numbers=[" A1003", "A1002", "A1003"]
    )
    assert [s.student_no for s in found] == ["A1003", "A1002"]
    with pytest.raises(ServiceError) as error:
        grid_selectors.room_by_label(user=world.dorm_head.user, label="西1/101")
    assert error.value.field == "room"
    assert grid_selectors.room_by_label(user=world.dorm_head.user, label="东1/301") == world.room_a1
    with pytest.raises(ServiceError) as error:
        grid_selectors.place_get(user=world.counselor.user, field="school_class", value="机械2401")
    assert error.value.field == "school_class"
    with pytest.raises(ServiceError) as error:
        grid_selectors.holder_get(user=world.counselor.user, number="B1002", holder_kind="student")
    assert error.value.field == "holder"


def test_report_page_and_api_refuse_a_room_out_of_reach_on_the_room_field(world, login, api):
    response = login(world.dorm_head).post(
        reverse("reports:new"),
        {"category": "1", "severity": "normal", "description": "插线板冒烟", "room": "西1/101"},
    )
    assert response.status_code == 200
    response = create_api(api, world.dorm_head, room="西1/101")
    assert response.status_code == 400 and response.json()["field"] == "room"
    response = create_api(api, world.dorm_head, students=["B1002"])
    assert response.status_code == 400 and response.json()["field"] == "students"


def create_api(api, person, **body):
    payload = {"category": "安全隐患", "severity": "一般", "students": ["A1002"], "description": "插线板冒烟"}
    payload.update(body)
    return api(person).post("/api/v1/reports/", payload, format="json")


# --- derived states and the shared FilterSet ------------------------------------------------


def test_overdue_queryset_and_property_agree(world, travel):
    late = make(world)
    on_time = make(world, severity="normal")
    Report.objects.filter(pk=late.pk).update(accept_due=T0 - dt.timedelta(minutes=1))
    late.refresh_from_db()
    assert set(Report.objects.overdue(T0).values_list("pk", flat=True)) == {late.pk}
    assert late.is_overdue and not on_time.is_overdue
    travel(T0 + dt.timedelta(days=8))  # past both handle deadlines
    assert set(Report.objects.overdue().values_list("pk", flat=True)) == {late.pk, on_time.pk}
    on_time.refresh_from_db()
    assert on_time.is_overdue and on_time.handle_overdue


def test_filterset_is_shared_by_page_and_api(world, login, api):
    a = make(world)
    b = make(world, category="违章电器")
    Report.objects.filter(pk=a.pk).update(accept_due=T0 - dt.timedelta(minutes=1))
    page = login(world.counselor).get(reverse("reports:list") + "?overdue=on").content.decode()
    assert f'data-report-id="{a.pk}"' in page and f'data-report-id="{b.pk}"' not in page
    data = api(world.counselor).get("/api/v1/reports/?overdue=1").json()
    assert [r["id"] for r in data["results"]] == [a.pk]
    data = api(world.counselor).get("/api/v1/reports/?category=违章电器").json()
    assert [r["id"] for r in data["results"]] == [b.pk]
    # A date that is no date: a Chinese error on the page, 400 with the field from the API.
    page = login(world.counselor).get(reverse("reports:list") + "?date_from=明天")
    assert page.status_code == 200 and "起始日期" in page.content.decode()
    response = api(world.counselor).get("/api/v1/reports/?date_from=明天")
    assert response.status_code == 400 and response.json()["field"] == "date_from"


def test_college_filter_offers_only_colleges_in_scope(world, login):
    make(world)
    make(world, "dorm_head_b", students=[world.student_b])
    office = login(world.office).get(reverse("reports:list")).content.decode()
    assert 'name="college"' in office and "机械学院" in office
    counselor = login(world.counselor).get(reverse("reports:list")).content.decode()
    assert 'name="college"' not in counselor
    page = (
        login(world.office).get(reverse("reports:list") + f"?college={world.college_b.pk}").content.decode()
    )
    assert page.count("data-report-id=") == 1
