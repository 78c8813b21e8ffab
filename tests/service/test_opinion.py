"""舆情 reports: one tap 无异常 once a period, items naming students scoped like sensitive
reports, an item becomes exactly one linked problem report, the special period's daily
零报告 and its one flag, and query counts that do not grow with the rows."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from campusgrid.core import clock
from campusgrid.core.errors import Conflict, NotAllowed
from campusgrid.core.scoping import forget_scope
from campusgrid.notifications.models import Notification
from campusgrid.reports.models import Report
from campusgrid.service import selectors, services
from campusgrid.service.models import Cadence, MissingFlag, OpinionItem, OpinionReport

pytestmark = pytest.mark.django_db

# Who holds a reporting post in college A (tests/world.py): dorm heads, monitors, activists, the party member.
REPORTERS_A = {"A1001", "A1005", "A2003", "A1004", "A2004", "A1003", "A1006", "A2002"}


def _client(person):
    client = Client()
    client.force_login(person.user)
    return client


def _item(world, **extra):
    data = {"kind": "thought", "source": "offline", "summary": "张三近来情绪低落，常熬夜"}
    data.update(extra)
    return services.opinion_item_add(actor=world.small_grid_leader.user, **data)


def test_nothing_to_report_is_one_tap_and_once_a_period(world):
    report = services.opinion_report_nothing(actor=world.small_grid_leader.user)
    assert report.nothing_to_report and report.cadence == Cadence.WEEKLY
    assert report.period_start == clock.today() - dt.timedelta(days=clock.today().weekday())
    with pytest.raises(Conflict):
        services.opinion_report_nothing(actor=world.small_grid_leader.user)
    assert OpinionReport.objects.count() == 1


def test_an_item_turns_a_nothing_report_into_one_with_items(world):
    services.opinion_report_nothing(actor=world.small_grid_leader.user)
    _item(world)
    report = OpinionReport.objects.get()
    assert not report.nothing_to_report and report.items.count() == 1


def test_people_without_a_reporting_post_cannot_file(world):
    for persona in ("student", "counselor", "branch_secretary"):
        with pytest.raises(NotAllowed):
            services.opinion_report_nothing(actor=world[persona].user)
    assert not OpinionReport.objects.exists()


def test_online_items_need_their_platform_and_students_must_be_in_reach(world):
    from campusgrid.core.errors import ServiceError

    with pytest.raises(ServiceError) as raised:
        _item(world, source="online")
    assert raised.value.field == "platform"
    with pytest.raises(ServiceError) as raised:
        _item(world, student_numbers=["B1002"])
    assert raised.value.field == "students" and "B1002" in raised.value.message
    assert not OpinionItem.objects.exists()


def test_items_naming_students_are_read_only_by_the_reporter_and_level_three(world):
    named = _item(world, student_numbers=["A1002"])
    plain = _item(world, summary="群里转发未经证实的传言", source="online", platform="微信")
    seen = {
        p: set(OpinionItem.objects.visible_to(world[p].user).values_list("pk", flat=True))
        for p in (
            "small_grid_leader",
            "counselor",
            "leader",
            "branch_secretary",
            "student",
            "counselor_b",
            "activist",
        )
    }
    assert seen["small_grid_leader"] == seen["counselor"] == seen["leader"] == {named.pk, plain.pk}
    assert seen["branch_secretary"] == {plain.pk}
    assert seen["student"] == seen["counselor_b"] == seen["activist"] == set()


def test_an_item_becomes_exactly_one_linked_report(world, django_capture_on_commit_callbacks):
    item = _item(world, student_numbers=["A1002"], severity="serious")
    with django_capture_on_commit_callbacks(execute=True):
        report = services.opinion_item_escalate(actor=world.counselor.user, item=item)
    item.refresh_from_db()
    assert item.problem == report and report.opinion_item == item
    assert report.category.name == "舆情" and report.severity == "serious" and report.level == 3
    assert report.reporter == world.small_grid_leader.user  # who heard it, told of the outcome
    assert list(report.students.values_list("student_no", flat=True)) == ["A1002"]
    with pytest.raises(Conflict):
        services.opinion_item_escalate(actor=world.counselor.user, item=item)
    with pytest.raises(Conflict):
        services.opinion_item_escalate(actor=world.leader.user, item=OpinionItem.objects.get(pk=item.pk))
    assert Report.objects.count() == 1
    # Both ways: the report page links the item, the item page links the report.
    page = _client(world.counselor).get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert reverse("service:opinion-item", args=[item.pk]) in page
    page = _client(world.counselor).get(reverse("service:opinion-item", args=[item.pk])).content.decode()
    assert reverse("reports:detail", args=[report.pk]) in page and 'id="item-escalate"' not in page


def test_an_item_naming_nobody_becomes_a_report_on_the_reporters_room(world):
    item = _item(world, summary="楼道里有人议论停水")
    report = services.opinion_item_escalate(actor=world.counselor.user, item=item)
    assert report.room == world.room_mixed and not report.students.exists()


def test_the_reporter_and_the_party_grid_cannot_turn_an_item_into_a_report(world):
    item = _item(world)
    for persona in ("small_grid_leader", "branch_secretary"):
        with pytest.raises(NotAllowed):
            services.opinion_item_escalate(actor=world[persona].user, item=item)
    assert not Report.objects.exists()


def _at(day, hour, minute=0):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def test_special_period_requires_daily_zero_reports_and_flags_the_missing_once(
    world, travel, django_capture_on_commit_callbacks
):
    today = clock.today()
    period = services.special_period_create(
        actor=world.leader.user,
        college=world.college_a,
        kind="key_date",
        name="国庆节",
        start=today,
        end=today + dt.timedelta(days=2),
        due_time=dt.time(20, 0),
    )
    travel(_at(today, 9))
    mine = selectors.my_period(user=world.small_grid_leader.user)
    assert mine["cadence"] == Cadence.DAILY and mine["start"] == today and mine["special"] == period
    services.opinion_report_nothing(actor=world.small_grid_leader.user)  # today's 零报告
    services.opinion_report_nothing(actor=world.dorm_head.user)
    travel(_at(today, 19, 59))
    assert services.opinion_flag_missing() == 0  # before the due time nobody is flagged
    travel(_at(today, 20, 30))
    with django_capture_on_commit_callbacks(execute=True):
        flagged = services.opinion_flag_missing()
    expected = REPORTERS_A - {"A2002", "A1001"}
    assert flagged == len(expected)
    assert {f.reporter.username for f in MissingFlag.objects.select_related("reporter")} == expected
    told = Notification.objects.filter(user=world.counselor.user, title__contains="零报告")
    assert told.count() == 1 and "国庆节" in told.get().title
    assert not Notification.objects.filter(user=world.counselor_b.user).exists()  # college B has no period
    assert services.opinion_flag_missing() == 0  # once
    # The next day starts afresh: a 零报告 is due again.
    travel(_at(today + dt.timedelta(days=1), 21))
    assert services.opinion_flag_missing() == len(REPORTERS_A)
    # After the period the week is back.
    forget_scope(world.small_grid_leader.user)
    travel(_at(today + dt.timedelta(days=3), 9))
    assert selectors.my_period(user=world.small_grid_leader.user)["cadence"] == Cadence.WEEKLY


def test_only_leaders_set_special_periods(world):
    with pytest.raises(NotAllowed):
        services.special_period_create(
            actor=world.counselor.user,
            college=world.college_a,
            kind="key_date",
            name="国庆",
            start=clock.today(),
            end=clock.today(),
        )
    with pytest.raises(NotAllowed):
        services.special_period_create(
            actor=world.leader_b.user,
            college=world.college_a,
            kind="key_date",
            name="国庆",
            start=clock.today(),
            end=clock.today(),
        )


def test_summary_says_who_has_not_submitted(world):
    services.opinion_report_nothing(actor=world.small_grid_leader.user)
    services.opinion_item_add(
        actor=world.dorm_head.user, kind="safety", source="offline", summary="插线板老化"
    )
    summary = selectors.opinion_summary(user=world.counselor.user)
    assert {r["number"] for r in summary["due"]} == REPORTERS_A
    assert {r["number"] for r in summary["missing"]} == REPORTERS_A - {"A2002", "A1001"}
    assert summary["nothing"] == 1 and [g["label"] for g in summary["by_kind"]] == ["安全稳定"]
    # The class teacher of A1 sees A1's workers only; the branch secretary those of the branch's rooms.
    teacher = selectors.opinion_summary(user=world.class_teacher.user)
    assert {r["number"] for r in teacher["due"]} == {"A1001", "A1003", "A1004", "A1005", "A1006"}
    secretary = selectors.opinion_summary(user=world.branch_secretary.user)
    assert {r["number"] for r in secretary["due"]} == {"A1001", "A1003", "A1004", "A1005", "A1006", "A2002"}


def test_the_phone_page_files_nothing_in_one_tap(world):
    client = _client(world.activist)
    page = client.get(reverse("service:opinion-mine")).content.decode()
    assert 'id="opinion-nothing"' in page
    response = client.post(reverse("service:opinion-mine"), {"action": "nothing"}, follow=True)
    assert "无异常" in response.content.decode() and 'id="opinion-nothing"' not in response.content.decode()
    response = client.post(
        reverse("service:opinion-mine"),
        {"action": "item", "kind": "online", "source": "online", "summary": "x"},
    )
    assert response.status_code == 200  # the form again, with the errors at their fields
    text = response.content.decode()
    assert "请填写内容摘要" in text or "平台" in text


def _many_items(world, n):
    for i in range(n):
        services.opinion_item_add(
            actor=world.small_grid_leader.user,
            kind="thought",
            source="offline",
            summary=f"第{i}条情况",
            student_numbers=["A1002"],
        )


@pytest.mark.parametrize("fmt", ["", "xlsx"])
def test_summary_queries_do_not_grow_with_items(world, django_assert_num_queries, fmt):
    client = _client(world.counselor)
    url = reverse("service:opinion-summary") + (f"?format={fmt}" if fmt else "")
    _many_items(world, 2)
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _many_items(world, 12)
    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_api_files_an_item_and_escalates_it(world, api):
    response = api(world.small_grid_leader).post(
        "/api/v1/service/opinion-items/",
        {
            "kind": "online",
            "source": "online",
            "platform": "QQ",
            "summary": "群内有人散布考试泄题谣言",
            "students": ["A1002"],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert api(world.counselor).post(f"/api/v1/service/opinion-items/{pk}/escalate/").status_code == 201
    again = api(world.counselor).post(f"/api/v1/service/opinion-items/{pk}/escalate/")
    assert again.status_code == 409 and "已转为问题上报" in again.json()["detail"]
    assert (
        api(world.small_grid_leader).post("/api/v1/service/opinion-items/", [1], format="json").status_code
        == 400
    )
    bad = api(world.small_grid_leader).post(
        "/api/v1/service/opinion-items/", {"kind": "x" * 5000}, format="json"
    )
    assert bad.status_code == 400


@pytest.mark.parametrize("url", ["/api/v1/service/opinion-items/", "/api/v1/service/opinion-reports/"])
def test_opinion_api_lists_cost_the_same_for_few_and_many(world, api, django_assert_num_queries, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = api(world.counselor)
    _many_items(world, 2)
    services.opinion_report_nothing(actor=world.dorm_head.user)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _many_items(world, 10)
    for persona in ("monitor", "activist", "dorm_head_mixed"):
        services.opinion_item_add(
            actor=world[persona].user, kind="other", source="offline", summary="宿舍楼停水"
        )
    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200
