"""Assessments (issue 13 item 2): whom each person assesses, who has not yet assessed whom,
the activist's sheet against hand-built records, scores masked and their reads logged, a
student never reading another's assessment, bad input refused in Chinese."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from campusgrid.core.errors import Conflict, NotAllowed, ServiceError
from campusgrid.ledgers.models import (
    Finding,
    FindingState,
    Inspection,
    InspectionItem,
    InspectionRound,
    NightCheck,
    RoomRating,
    ensure_default_items,
)
from campusgrid.org.models import Semester
from campusgrid.party.models import Assessment, AssessmentKind
from campusgrid.party.selectors import assess as selectors
from campusgrid.party.services.assess import assessment_record
from campusgrid.people import sensitive
from campusgrid.people.models import AccessLog, PoliticalStatus
from tests import factories as f

pytestmark = pytest.mark.django_db

TODAY = dt.date(2025, 11, 10)


def at(day, hour=10):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


@pytest.fixture(name="semester")
def semester_fixture(world, travel):
    """The autumn semester, the clock inside it; 张三 (room 301) and 李四 (room 302) applicants."""
    travel(at(TODAY))
    term = Semester.objects.create(
        name="2025-2026学年第一学期", start=dt.date(2025, 9, 1), end=dt.date(2026, 1, 17)
    )
    for who in ("student", "mixed_a2"):
        world[who].political_status = PoliticalStatus.APPLICANT
        world[who].save(update_fields=["political_status"])
    return term


def record(world, who, student_no, semester, score=88, comment="表现良好，带头作用明显", version=None):
    return assessment_record(
        actor=world[who].user,
        semester=semester,
        student_no=student_no,
        score=score,
        comment=comment,
        expected_version=version,
    )


def test_party_member_assesses_the_activists_of_their_small_grid(world, semester):
    rows = selectors.assessable_for(user=world.small_grid_leader.user, semester=semester)
    assert {(r["student"].student_no, r["kind"]) for r in rows} == {
        ("A1003", AssessmentKind.MEMBER_ON_ACTIVIST),
        ("A1006", AssessmentKind.MEMBER_ON_ACTIVIST),
    }


def test_activist_assesses_the_applicants_of_their_room_only(world, semester):
    rows = selectors.assessable_for(user=world.activist.user, semester=semester)
    assert [r["student"].student_no for r in rows] == ["A1002"]
    rows = selectors.assessable_for(user=world.activist_mixed.user, semester=semester)
    assert [r["student"].student_no for r in rows] == ["A2001"]
    assert selectors.assessable_for(user=world.student.user, semester=semester) == []


def test_who_has_not_assessed_whom_is_exact(world, semester):
    def missing():
        progress = selectors.assessment_progress(
            user=world.branch_secretary.user, branch=world.branch, semester=semester
        )
        return {(r["assessor"], r["subject"].student_no) for r in progress["missing"]}

    assert missing() == {
        ("党员戊", "A1003"),
        ("党员戊", "A1006"),
        ("积极分子乙", "A1002"),
        ("积极分子子", "A2001"),
    }
    record(world, "small_grid_leader", "A1003", semester)
    record(world, "activist_mixed", "A2001", semester)
    assert missing() == {("党员戊", "A1006"), ("积极分子乙", "A1002")}
    # Another semester owes everything again.
    spring = Semester.objects.create(
        name="2025-2026学年第二学期", start=dt.date(2026, 2, 23), end=dt.date(2026, 7, 5)
    )
    progress = selectors.assessment_progress(
        user=world.branch_secretary.user, branch=world.branch, semester=spring
    )
    assert len(progress["missing"]) == 4


def test_a_vacant_small_grid_shows_as_vacant(world, semester):
    from campusgrid.grid.models import Post, PostKind

    Post.objects.filter(kind=PostKind.SMALL_GRID_LEADER).update(end_date=TODAY - dt.timedelta(days=1))
    progress = selectors.assessment_progress(
        user=world.branch_secretary.user, branch=world.branch, semester=semester
    )
    vacant = [r for r in progress["rows"] if r["vacant"]]
    assert {r["subject"].student_no for r in vacant} == {"A1003", "A1006"}


def test_progress_is_not_shown_outside_the_branch_desk(world, semester):
    from django.http import Http404

    for who in ("activist", "small_grid_leader", "counselor", "leader_b"):
        with pytest.raises(Http404):
            selectors.assessment_progress(user=world[who].user, branch=world.branch, semester=semester)
    assert (
        selectors.assessment_progress(user=world.leader.user, branch=world.branch, semester=semester)["total"]
        == 4
    )


def test_the_desk_is_the_reach_based_desk_for_the_whole_cast(world, semester):
    """desk_branches() asks a leader's and the office's question of the branches' table alone:
    the same branches as the reach-based rule (visible, student branches, theirs as secretary or
    of the colleges they lead; every one for the office) for everyone of the cast, also when the
    office holds a secretary's post, and after the branches stop being student branches (a
    leader then has no desk, and the menu no desk item)."""
    from django.db.models import Q

    from campusgrid.core.scoping import forget_scope, scope_for
    from campusgrid.grid.models import PartyBranch, Post, PostKind
    from campusgrid.party import policy_assess
    from campusgrid.party.selectors.awards import desk_branches

    def reach_rule(user):
        qs = PartyBranch.objects.visible_to(user).filter(kind=PartyBranch.Kind.STUDENT)
        scope = scope_for(user)
        if not scope.is_office:
            secretary = policy_assess.party_posts(user).secretary_branch_ids
            qs = qs.filter(Q(pk__in=secretary) | Q(college_id__in=scope.manage_college_ids))
        return set(qs.values_list("pk", flat=True))

    def check():
        seen = {}
        for who, person in vars(world).items():
            user = getattr(person, "user", None)
            if user is None:
                continue
            forget_scope(user)
            desk = set(desk_branches(user=user).values_list("pk", flat=True))
            assert desk == reach_rule(user), who
            forget_scope(user)
            seen[who] = (policy_assess.nav_desk(user, None), bool(desk) and policy_assess.may_see_desk(user))
        assert all(menu == page for menu, page in seen.values()), seen
        return seen

    seen = check()
    assert seen["leader"] == (True, True) and seen["office"] == (True, True)
    other = PartyBranch.objects.create(college=world.college_b, name="第二学院学生党支部")
    Post.objects.create(kind=PostKind.BRANCH_SECRETARY, staff=world.office, branch=other, start_date=TODAY)
    check()
    PartyBranch.objects.update(kind=PartyBranch.Kind.STAFF)
    assert check()["leader"] == (False, False)


def test_the_sheet_gathers_the_rooms_records_of_the_semester(world, semester):
    ensure_default_items()
    room = world.room_a1
    illegal = InspectionItem.objects.get(name="违章电器")
    smoking = InspectionItem.objects.get(name="吸烟")
    RoomRating.objects.create(
        room=room,
        semester=semester,
        inspections=2,
        average_score="90.00",
        stars=4,
        civil=True,
        building_rank=1,
    )
    in_term = InspectionRound.objects.create(title="十月检查", date=dt.date(2025, 10, 10), semester=semester)
    second = InspectionRound.objects.create(title="十一月检查", date=dt.date(2025, 11, 5), semester=semester)
    outside = InspectionRound.objects.create(title="暑期检查", date=dt.date(2025, 7, 10))
    first_inspection = Inspection.objects.create(round=in_term, room=room, state="done", hygiene_score=85)
    Inspection.objects.create(round=second, room=room, state="done", hygiene_score=95)
    Inspection.objects.create(round=outside, room=room, state="done", hygiene_score=10)
    Inspection.objects.create(round=second, room=world.room_mixed, state="done", hygiene_score=50)

    def finding(item, state, found, fixed=None, deadline=None):
        return Finding.objects.create(
            inspection=first_inspection,
            room=room,
            item=item,
            state=state,
            found_at=at(found),
            deadline=deadline or found + dt.timedelta(days=3),
            fixed_at=at(fixed) if fixed else None,
        )

    finding(illegal, FindingState.FIXED, dt.date(2025, 10, 10), fixed=dt.date(2025, 10, 12))  # on time
    finding(illegal, FindingState.FIXED, dt.date(2025, 10, 10), fixed=dt.date(2025, 10, 20))  # late
    finding(smoking, FindingState.OPEN, dt.date(2025, 11, 5))
    finding(smoking, FindingState.ESCALATED, dt.date(2025, 10, 11))
    finding(illegal, FindingState.OPEN, dt.date(2025, 7, 11))  # before the semester: not counted
    for day, absent, late in (
        (dt.date(2025, 10, 1), 1, 0),
        (dt.date(2025, 10, 2), 2, 1),
        (dt.date(2025, 11, 1), 0, 0),
    ):
        NightCheck.objects.create(room=room, date=day, absent_count=absent, late_count=late, present_count=3)
    NightCheck.objects.create(room=room, date=dt.date(2025, 8, 20), absent_count=4)  # before the semester
    NightCheck.objects.create(
        room=world.room_mixed, date=dt.date(2025, 10, 1), absent_count=3
    )  # another room

    from campusgrid.reports.models import Report, State
    from campusgrid.reports.services import report_create

    reports = [
        report_create(
            actor=world.activist.user,
            category="安全隐患",
            severity="normal",
            description=f"插线板冒烟{i}",
            students=[world.student],
        )
        for i in range(3)
    ]
    Report.objects.filter(pk=reports[0].pk).update(state=State.CLOSED)
    Report.objects.filter(pk=reports[1].pk).update(state=State.FED_BACK)
    old = report_create(
        actor=world.activist.user,
        category="安全隐患",
        severity="normal",
        description="旧的",
        students=[world.student],
    )
    Report.objects.filter(pk=old.pk).update(created_at=at(dt.date(2025, 6, 1)))
    record(world, "small_grid_leader", "A1003", semester, score=91, comment="带头整改违章电器")

    sheet = selectors.assessment_sheet_get(
        user=world.counselor.user, student=world.activist, semester=semester
    )
    assert sheet["room"] == room
    assert sheet["rating"].stars == 4 and sheet["rating"].civil
    assert sheet["inspections"] == {"count": 2, "average": 90.0}
    assert sheet["findings"] == {
        "total": 4,
        "illegal": 2,
        "fixed_on_time": 1,
        "fixed_late": 1,
        "open": 1,
        "escalated": 1,
    }
    assert sheet["night"] == {"checks": 3, "absent": 3, "late": 1, "leave": 0}
    assert sheet["reports"] == {
        "total": 3,
        "closed": 1,
        "handled": 1,
        "open": 1,
        "returned": 0,
        "withdrawn": 0,
    }
    assert sheet["score"] == 91 and sheet["comment"] == "带头整改违章电器"
    assert selectors.assessment_score(student=world.activist, semester=semester) == 91


def test_an_extension_source_adds_its_lines_to_the_sheet(world, semester):
    from campusgrid.core import registry

    source = registry.AssessmentSource(
        key="test-hours",
        label="志愿服务",
        collect=lambda *, user, student, semester: [
            {"label": "时长", "value": f"{student.student_no}:6小时"}
        ],
    )
    registry.register_assessment_source(source)
    try:
        sheet = selectors.assessment_sheet_get(
            user=world.counselor.user, student=world.activist, semester=semester
        )
    finally:
        registry.ASSESSMENT_SOURCES.remove(source)
    assert {
        "key": "test-hours",
        "label": "志愿服务",
        "lines": [{"label": "时长", "value": "A1003:6小时"}],
    } in sheet["sources"]


def test_service_hours_count_on_the_sheet_and_in_the_awards(world, semester):
    """The hours ledger of service (the one attendance mechanism) is an assessment source."""
    from decimal import Decimal

    from campusgrid.party.selectors.awards import award_candidates
    from campusgrid.service.models import HoursCredit, Session, SessionKind

    session = Session.objects.create(
        kind=SessionKind.VOLUNTEER,
        title="社区志愿服务",
        college=world.college_a,
        semester=semester,
        organiser=world.counselor.user,
        starts_at=at(TODAY - dt.timedelta(days=3), 9),
        ends_at=at(TODAY - dt.timedelta(days=3), 15),
        hours=Decimal("6"),
    )
    HoursCredit.objects.create(
        session=session, student=world.activist, kind="volunteer", hours=Decimal("6"), semester=semester
    )
    sheet = selectors.assessment_sheet_get(
        user=world.counselor.user, student=world.activist, semester=semester
    )
    hours = next(s for s in sheet["sources"] if s["key"] == "service-hours")
    assert hours["lines"] == [{"label": "志愿时长", "value": "6小时"}, {"label": "学时", "value": "0小时"}]
    result = award_candidates(user=world.branch_secretary.user, branch=world.branch, semester=semester)
    activist = next(c for c in result["advanced"] if c["student"].student_no == "A1003")
    assert {"text": "本学期志愿服务6小时", "points": 2} in activist["reasons"]


def test_minimum_score_is_configurable(world, semester, settings):
    settings.CAMPUSGRID_PARTY_ASSESSMENT_MINIMUM = 80
    ok, reason = selectors.assessment_meets_minimum(student=world.activist, semester=semester)
    assert not ok and "尚无网格党员评议" in reason
    record(world, "small_grid_leader", "A1003", semester, score=75)
    ok, reason = selectors.assessment_meets_minimum(student=world.activist, semester=semester)
    assert not ok and "75分，低于要求的80分" in reason
    settings.CAMPUSGRID_PARTY_ASSESSMENT_MINIMUM = 0
    assert selectors.assessment_meets_minimum(student=world.activist, semester=semester) == (True, "")


# --- refusals ---------------------------------------------------------------------------------------


def test_nobody_assesses_outside_their_grid(world, semester):
    with pytest.raises(NotAllowed):
        record(world, "small_grid_leader", "A1002", semester)  # an applicant: the activist's to assess
    with pytest.raises(NotAllowed):
        record(world, "activist", "A2001", semester)  # another room's applicant
    with pytest.raises(NotAllowed):
        record(world, "counselor", "A1003", semester)
    assert not Assessment.objects.exists()


@pytest.mark.parametrize(
    "score,comment,field",
    [
        (101, "很好很好", "score"),
        (-1, "很好很好", "score"),
        ("九十", "很好很好", "score"),
        (True, "很好", "score"),
        (90, "", "comment"),
        (90, "好" * 501, "comment"),
        (90, 12345, "comment"),
    ],
)
def test_bad_values_name_the_field(world, semester, score, comment, field):
    with pytest.raises(ServiceError) as error:
        record(world, "small_grid_leader", "A1003", semester, score=score, comment=comment)
    assert error.value.field == field
    assert not Assessment.objects.exists()


def test_a_revision_carries_the_version_it_read(world, semester):
    first = record(world, "small_grid_leader", "A1003", semester, score=80)
    with pytest.raises(Conflict):
        record(world, "small_grid_leader", "A1003", semester, score=90)  # as if new: refused
    second = record(world, "small_grid_leader", "A1003", semester, score=90, version=first.version)
    assert second.version == first.version + 1
    with pytest.raises(Conflict):
        record(world, "small_grid_leader", "A1003", semester, score=70, version=first.version)  # stale
    assert Assessment.objects.get().score == 90


# --- privacy ----------------------------------------------------------------------------------------


def test_a_student_cannot_read_another_students_assessment(world, semester, api, login):
    mine = record(world, "small_grid_leader", "A1003", semester)
    record(world, "activist", "A1002", semester)
    url = reverse("party-assessment-detail", args=[mine.pk])
    for who in ("student", "activist_mixed", "dorm_head", "branch_secretary", "student_b"):
        assert api(world[who]).get(url).status_code == 404, who
    listed = api(world.student).get(reverse("party-assessment-list")).json()["results"]
    assert [r["student_no"] for r in listed] == ["A1002"]  # only the one about 张三 himself
    # The one who gave it reads it, the score and all.
    body = api(world.small_grid_leader).get(url).json()
    assert body["score"] == 88
    # The sheet page of another student: out of reach for a plain student.
    assert login(world.student).get(reverse("party:assess-sheet", args=["A1003"])).status_code == 404


def test_the_score_is_masked_for_those_without_the_right(world, semester, login):
    record(world, "small_grid_leader", "A1003", semester, score=93, comment="评语内容甲")
    sheet = selectors.assessment_sheet_get(
        user=world.branch_secretary.user, student=world.activist, semester=semester
    )
    assert sheet["score"] == sensitive.HIDDEN and sheet["comment"] == sensitive.HIDDEN
    page = login(world.branch_secretary).get(
        reverse("party:assess-sheet", args=["A1003"]) + f"?semester={semester.pk}"
    )
    assert page.status_code == 200
    text = page.content.decode()
    # the sheet's assessment line, not the page (its CSRF token may hold any two digits)
    line = text[text.index('id="sheet-assessment"') :].split("</li>", 1)[0]
    assert sensitive.HIDDEN in line and "93" not in line and "评语内容甲" not in text
    assert not AccessLog.objects.filter(item=selectors.SCORE_ITEM).exists()


def test_each_sensitive_read_leaves_one_access_log_row(world, semester, login, api):
    record(world, "small_grid_leader", "A1003", semester, score=93)
    record(world, "small_grid_leader", "A1006", semester, score=81)
    logs = AccessLog.objects.filter(item=selectors.SCORE_ITEM)
    client = login(world.counselor)
    client.get(reverse("party:assess-sheet", args=["A1003"]) + f"?semester={semester.pk}")
    assert list(logs.values_list("student__student_no", "actor")) == [("A1003", world.counselor.user.pk)]
    api(world.counselor).get(reverse("party-assessment-list"), {"semester": semester.pk})
    assert logs.count() == 3  # one more row per student the list revealed
    api(world.counselor).get(
        reverse("party-assessment-sheet"), {"student_no": "A1006", "semester": semester.pk}
    )
    assert logs.count() == 4


# --- pages and API ----------------------------------------------------------------------------------


def test_the_phone_form_records_and_revises(world, semester, login):
    client = login(world.activist)
    url = reverse("party:assess-form", args=["A1002"]) + f"?semester={semester.pk}"
    assert client.get(url).status_code == 200
    bad = client.post(url, {"score": "150", "comment": "好"})
    assert bad.status_code == 200 and "评分" in bad.content.decode()
    response = client.post(url, {"score": "86", "comment": "按时参加寝室卫生值日"})
    assert response.status_code == 302
    a = Assessment.objects.get()
    response = client.post(url, {"score": "90", "comment": "按时参加寝室卫生值日", "version": a.version})
    assert response.status_code == 302
    assert Assessment.objects.get().score == 90
    assert (
        client.get(reverse("party:assess-form", args=["A2001"]) + f"?semester={semester.pk}").status_code
        == 404
    )


@pytest.mark.parametrize(
    "body",
    [
        [1, 2],
        "text",
        {"student_no": "A1003", "score": "x", "comment": "好好"},
        {"student_no": "A1003", "score": 10**12, "comment": "好好"},
    ],
)
def test_api_refuses_junk_in_chinese(world, semester, api, body):
    response = api(world.small_grid_leader).post(reverse("party-assessment-list"), body, format="json")
    assert response.status_code == 400
    assert not Assessment.objects.exists()


def test_api_records_and_lists_mine(world, semester, api):
    client = api(world.small_grid_leader)
    response = client.post(
        reverse("party-assessment-list"),
        {"student_no": "A1006", "semester": semester.pk, "score": 77, "comment": "联系同学较好"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    mine = client.get(reverse("party-assessment-mine"), {"semester": semester.pk}).json()
    assert {(m["student_no"], m["assessed"]) for m in mine} == {("A1003", False), ("A1006", True)}
    progress = (
        api(world.branch_secretary)
        .get(reverse("party-assessment-progress"), {"branch": world.branch.pk, "semester": semester.pk})
        .json()
    )
    assert progress["done"] == 1 and len(progress["missing"]) == 3


def _count(callable_):
    with CaptureQueriesContext(connection) as ctx:
        callable_()
    return len(ctx.captured_queries)


def test_query_counts_do_not_grow_with_rows(world, semester, login):
    from campusgrid.core.scoping import forget_scope

    def pages():
        forget_scope(world.activist.user)
        forget_scope(world.branch_secretary.user)
        a = _count(
            lambda: login(world.activist).get(reverse("party:assess-mine") + f"?semester={semester.pk}")
        )
        b = _count(
            lambda: login(world.branch_secretary).get(
                reverse("party:assess-progress") + f"?branch={world.branch.pk}&semester={semester.pk}"
            )
        )
        return a, b

    record(world, "activist", "A1002", semester)
    pages()  # the first request of a session does more (login, session)
    few = pages()
    room = world.room_a1
    room.capacity = 10
    room.save(update_fields=["capacity"])
    for i in range(4):
        student = f.StudentFactory(
            student_no=f"A19{i:02d}",
            school_class=world.class_a1,
            room=room,
            political_status=PoliticalStatus.APPLICANT,
        )
        record(world, "activist", student.student_no, semester)
    assert pages() == few


def test_a_successor_revises_without_reading_the_predecessors_score(world, semester, login):
    from campusgrid.grid.models import Post, PostKind

    given = record(world, "small_grid_leader", "A1003", semester, score=67, comment="前任的评语内容")
    Post.objects.filter(kind=PostKind.SMALL_GRID_LEADER).update(end_date=TODAY)
    successor = f.StudentFactory(
        student_no="A2009", school_class=world.class_a2, political_status=PoliticalStatus.MEMBER
    )
    f.PostFactory(
        kind=PostKind.SMALL_GRID_LEADER, student=successor, small_grid=world.small_grid, start_date=TODAY
    )
    client = login(successor)
    mine = client.get(reverse("party:assess-mine") + f"?semester={semester.pk}").content.decode()
    assert "已评" in mine and "67 分" not in mine
    form = client.get(
        reverse("party:assess-form", args=["A1003"]) + f"?semester={semester.pk}"
    ).content.decode()
    assert 'value="67"' not in form and "前任的评语内容" not in form
    assert not AccessLog.objects.filter(item=selectors.SCORE_ITEM).exists()
    client.post(
        reverse("party:assess-form", args=["A1003"]) + f"?semester={semester.pk}",
        {"score": "80", "comment": "接任后评议", "version": given.version},
    )
    assert Assessment.objects.get().assessor == successor.user


def test_the_assessor_reading_their_own_scores_is_logged_once_a_page(world, semester, login):
    record(world, "small_grid_leader", "A1003", semester, score=67)
    client = login(world.small_grid_leader)
    client.get(reverse("party:assess-form", args=["A1003"]) + f"?semester={semester.pk}")
    assert AccessLog.objects.filter(item=selectors.SCORE_ITEM).count() == 1
    client.get(reverse("party:assess-mine") + f"?semester={semester.pk}")
    assert AccessLog.objects.filter(item=selectors.SCORE_ITEM).count() == 2


def test_the_students_own_data_and_the_retention_erasure(world, semester, login):
    import json

    from campusgrid.party.personal_data_assess import erase_assessments
    from campusgrid.people.models import Student

    record(world, "activist", "A1002", semester, score=84, comment="按时值日")
    data = json.loads(login(world.student).get(reverse("people:my-data")).content)
    text = json.dumps(data, ensure_ascii=False)
    assert "按时值日" in text and "入党积极分子评议入党申请人" in text
    students = Student.objects.filter(pk=world.student.pk)
    assert erase_assessments(students, dry_run=True) == 1 and Assessment.objects.count() == 1
    assert erase_assessments(students, dry_run=False) == 1 and not Assessment.objects.exists()
