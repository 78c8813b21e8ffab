"""Work meetings (issue 13 item 4b): recorded with attendees, minutes, decisions and 舆情
items by the branch secretary; an item becomes exactly one linked report; a branch that held
no meeting in a quarter is flagged once."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campusgrid.core.errors import Conflict, NotAllowed, ServiceError
from campusgrid.notifications.models import Notification
from campusgrid.party.models import MeetingQuarterFlag, OpinionItem, WorkMeeting
from campusgrid.party.services import meetings as services
from campusgrid.reports.models import Report
from tests import factories as f

from .test_assess import TODAY, at, semester_fixture  # noqa: F401 (the fixture `semester`)

pytestmark = pytest.mark.django_db


def meet(world, who="branch_secretary", day=TODAY, **overrides):
    values = {
        "actor": world[who].user,
        "branch": world.branch,
        "date": day,
        "place": "党员之家",
        "host_name": "书记辛",
        "attendees": [world.small_grid_leader, world.activist, world.activist_mixed, world.branch_secretary],
        "minutes": "通报寝室检查情况，布置文明宿舍创建。",
        "decisions": [
            {
                "text": "本月完成寝室走访",
                "responsible": world.small_grid_leader,
                "due_on": day + dt.timedelta(days=14),
            }
        ],
        "opinions": [{"text": "同学反映热水时间太短", "room": world.room_a1, "students": []}],
    }
    values.update(overrides)
    return services.meeting_record(**values)


def test_the_secretary_records_a_meeting(world, semester):
    meeting = meet(world)
    from campusgrid.service.models import Attendance, SessionKind

    present = Attendance.objects.filter(session=meeting.session, status="present")
    assert set(present.values_list("student__student_no", flat=True)) == {"A2002", "A1003", "A1006", "A2005"}
    assert meeting.session.kind == SessionKind.PARTY_MEETING and meeting.session.branch == world.branch
    assert meeting.session.starts_at.date() == TODAY
    decision = meeting.decisions.get()
    assert decision.responsible_name == "党员戊" and decision.due_on == TODAY + dt.timedelta(days=14)
    assert meeting.opinions.get().room == world.room_a1


@pytest.mark.parametrize(
    "overrides,field",
    [
        ({"date": TODAY + dt.timedelta(days=1)}, "date"),
        ({"date": "十一月"}, "date"),
        ({"minutes": ""}, "minutes"),
        ({"minutes": 12}, "minutes"),
        ({"attendees": []}, "attendees"),
        ({"opinions": [{"text": "楼道灯坏了", "room": None, "students": []}]}, "opinions"),
        (
            {"decisions": [{"text": "走访", "responsible": None, "responsible_name": "", "due_on": TODAY}]},
            "decisions",
        ),
        (
            {
                "decisions": [
                    {"text": "走访", "responsible_name": "老师", "due_on": TODAY - dt.timedelta(days=1)}
                ]
            },
            "decisions",
        ),
    ],
)
def test_bad_meetings_are_refused_naming_the_field(world, semester, overrides, field):
    with pytest.raises(ServiceError) as error:
        meet(world, **overrides)
    assert error.value.field == field
    assert not WorkMeeting.objects.exists()


def test_only_the_branch_people_and_rooms(world, semester):
    with pytest.raises(ServiceError):
        meet(world, attendees=[world.student])  # a league member: not the branch's party people
    with pytest.raises(ServiceError):
        meet(
            world, opinions=[{"text": "楼道灯坏了", "room": world.room_a2, "students": []}]
        )  # not a branch room
    for who in ("small_grid_leader", "leader", "activist", "counselor"):
        with pytest.raises(NotAllowed):
            meet(world, who=who)
    assert not WorkMeeting.objects.exists()


def test_an_item_becomes_exactly_one_linked_report(world, semester):
    item = meet(world).opinions.get()
    report = services.opinion_report(actor=world.branch_secretary.user, item=item)
    item.refresh_from_db()
    assert item.report == report and report.party_opinion == item
    assert report.category.name == "舆情" and report.source_key == f"party-opinion:{item.pk}"
    assert report.room == world.room_a1 and "同学反映热水时间太短" in report.description
    with pytest.raises(Conflict):
        services.opinion_report(actor=world.branch_secretary.user, item=item)
    assert Report.objects.filter(source_key=item.source_key).count() == 1
    with pytest.raises(NotAllowed):
        services.opinion_report(actor=world.small_grid_leader.user, item=item)


def test_one_click_on_the_page(world, semester, login):
    item = meet(world).opinions.get()
    client = login(world.branch_secretary)
    detail = client.get(reverse("party:meeting-detail", args=[item.meeting_id])).content.decode()
    assert "转为问题上报" in detail
    client.post(reverse("party:opinion-report", args=[item.pk]))
    client.post(reverse("party:opinion-report", args=[item.pk]))  # the second click makes nothing
    assert Report.objects.filter(source_key=item.source_key).count() == 1
    detail = client.get(reverse("party:meeting-detail", args=[item.meeting_id])).content.decode()
    assert "已转为问题上报" in detail
    # Others see the meeting but no button.
    assert (
        "raise-"
        not in login(world.activist)
        .get(reverse("party:meeting-detail", args=[item.meeting_id]))
        .content.decode()
    )


def test_the_meeting_form_page(world, semester, login):
    client = login(world.branch_secretary)
    url = reverse("party:meeting-new") + f"?branch={world.branch.pk}"
    assert client.get(url).status_code == 200
    data = {
        "branch": world.branch.pk,
        "date": TODAY.isoformat(),
        "minutes": "讨论寝室卫生",
        "attendees": [world.activist.pk, world.small_grid_leader.pk],
        "d-TOTAL_FORMS": "2",
        "d-INITIAL_FORMS": "0",
        "d-MIN_NUM_FORMS": "0",
        "d-MAX_NUM_FORMS": "30",
        "d-0-text": "卫生互查",
        "d-0-responsible": world.activist.pk,
        "d-0-due_on": (TODAY + dt.timedelta(days=7)).isoformat(),
        "o-TOTAL_FORMS": "2",
        "o-INITIAL_FORMS": "0",
        "o-MIN_NUM_FORMS": "0",
        "o-MAX_NUM_FORMS": "30",
        "o-0-text": "有同学转发不实消息",
        "o-0-room": world.room_mixed.pk,
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    meeting = WorkMeeting.objects.get()
    assert meeting.decisions.get().responsible == world.activist
    assert meeting.opinions.get().room == world.room_mixed
    # A bad date: the page says so, nothing is lost, nothing written.
    data["date"] = (TODAY + dt.timedelta(days=3)).isoformat()
    response = client.post(url, data)
    assert response.status_code == 200 and "会议日期不能晚于今天" in response.content.decode()
    assert "讨论寝室卫生" in response.content.decode()
    assert WorkMeeting.objects.count() == 1
    assert login(world.small_grid_leader).get(url).status_code == 404


def test_a_branch_without_a_meeting_in_a_quarter_is_flagged_once(world, semester, travel):
    other = f.BranchFactory(college=world.college_a, name="化工学院学生第二党支部")
    meet(world, day=dt.date(2025, 11, 3))  # the first branch met in Q4
    travel(at(dt.date(2025, 12, 20)))
    assert services.meeting_flag_quarters() == 2  # Q3 ended with no meeting in either branch
    assert services.meeting_flag_quarters() == 0  # once
    travel(at(dt.date(2026, 1, 5)))
    assert services.meeting_flag_quarters() == 1
    flag = MeetingQuarterFlag.objects.get(quarter=4)
    assert (flag.branch, flag.year, flag.quarter) == (other, 2025, 4)
    assert services.meeting_flag_quarters() == 0  # once
    travel(at(dt.date(2026, 3, 30)))
    assert services.meeting_flag_quarters() == 0  # still Q1: nothing new to flag


def test_the_flag_tells_the_secretary(world, semester, travel):
    from campusgrid.grid.models import PostKind

    other = f.BranchFactory(college=world.college_a, name="化工学院学生第二党支部")
    secretary = f.StudentFactory(student_no="A3001", school_class=world.class_a2)
    f.PostFactory(kind=PostKind.BRANCH_SECRETARY, student=secretary, branch=other)
    meet(world, day=dt.date(2025, 11, 3))
    travel(at(dt.date(2026, 1, 5)))
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        services.meeting_flag_quarters()
    titles = list(Notification.objects.filter(user=secretary.user).values_list("title", flat=True))
    assert titles == ["化工学院学生第二党支部2025年第4季度未召开公寓党建工作例会"]
    assert not Notification.objects.filter(
        user=world.branch_secretary.user, title__contains="未召开"
    ).exists()


def test_the_quarter_status_on_the_list(world, semester, login):
    client = login(world.branch_secretary)
    page = client.get(reverse("party:meeting-list")).content.decode()
    assert "尚未召开公寓党建工作例会" in page
    meet(world)
    page = client.get(reverse("party:meeting-list")).content.decode()
    assert "2025年第4季度已召开例会" in page


def test_who_sees_the_meetings(world, semester, api):
    meeting = meet(world)
    url = reverse("party-meeting-detail", args=[meeting.pk])
    for who in ("branch_secretary", "small_grid_leader", "activist", "leader", "office"):
        assert api(world[who]).get(url).status_code == 200, who
    for who in ("student", "dorm_head_b", "leader_b", "student_b"):
        assert api(world[who]).get(url).status_code == 404, who


def test_api_records_a_meeting_and_raises_an_item(world, semester, api):
    client = api(world.branch_secretary)
    body = {
        "branch": world.branch.pk,
        "date": TODAY.isoformat(),
        "minutes": "学习细则",
        "attendees": ["A1003", "A2002"],
        "decisions": [{"text": "走访", "responsible_no": "A2002", "due_on": "2025-11-30"}],
        "opinions": [{"text": "热水时间短", "room": "东1/302"}],
    }
    response = client.post(reverse("party-meeting-list"), body, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["attendees"] == ["积极分子乙", "党员戊"] or set(data["attendees"]) == {"积极分子乙", "党员戊"}
    item = data["opinions"][0]["id"]
    url = reverse("party-meeting-report-opinion", args=[data["id"]])
    assert client.post(url, {"item": item}, format="json").status_code == 201
    assert client.post(url, {"item": item}, format="json").status_code == 409
    assert OpinionItem.objects.get(pk=item).report is not None
    bad = client.post(reverse("party-meeting-list"), {**body, "attendees": ["A1002"]}, format="json")
    assert bad.status_code == 400 and "A1002" in bad.json()["detail"]
    assert client.post(reverse("party-meeting-list"), [1], format="json").status_code == 400
    assert api(world.activist).post(reverse("party-meeting-list"), body, format="json").status_code in (
        403,
        404,
    )


def test_the_meeting_list_does_not_grow_queries_with_rows(world, semester, login, api):
    from campusgrid.core.scoping import forget_scope

    def counts():
        forget_scope(world.branch_secretary.user)
        client = login(world.branch_secretary)
        with CaptureQueriesContext(connection) as page:
            client.get(reverse("party:meeting-list"))
        with CaptureQueriesContext(connection) as listing:
            api(world.branch_secretary).get(reverse("party-meeting-list"))
        return len(page.captured_queries), len(listing.captured_queries)

    meet(world)
    counts()
    few = counts()
    for day in (1, 2, 3):
        meet(world, day=TODAY - dt.timedelta(days=day))
    assert counts() == few


def test_the_demo_has_assessments_awards_and_two_quarters_of_meetings(travel):
    import io

    from django.core.management import call_command

    from campusgrid.org.models import Semester
    from campusgrid.party.models import Assessment, Award, AwardState
    from campusgrid.party.selectors.meetings import quarter_of

    travel(at(dt.date(2025, 11, 5), 22))
    call_command("demo", "--students", "600", "--seed", "3", stdout=io.StringIO())
    current = Semester.current()
    last = Semester.objects.filter(end__lt=current.start).order_by("-start").first()
    assert Assessment.objects.filter(semester=last, kind="member").exists()
    assert Assessment.objects.filter(semester=last, kind="activist").exists()
    assert not Assessment.objects.exclude(semester=last).exists()
    assert Award.objects.filter(semester=last, state=AwardState.PUBLISHED).exists()
    assert Award.objects.filter(semester=last, state=AwardState.REJECTED).exists()
    quarters = {quarter_of(d) for d in WorkMeeting.objects.values_list("date", flat=True)}
    assert quarters == {(2025, 3), (2025, 4)}
    assert OpinionItem.objects.filter(report__isnull=False).count() == 1
    report = OpinionItem.objects.get(report__isnull=False).report
    assert report.category.name == "舆情"
    for meeting in WorkMeeting.objects.select_related("session"):
        assert meeting.session.kind == "party_meeting" and meeting.session.attendances.exists()
