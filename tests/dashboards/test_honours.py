"""Class honours (优良学风班, 三杰班): the ranking from hand-built records, the criteria weights,
the proposal by the counselor and the decision by the college, the class page and the
semester report's selector."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from campusgrid.core.errors import Conflict, NotAllowed, ServiceError
from campusgrid.dashboards.appraisal import honours, metrics
from campusgrid.dashboards.models import ClassHonour, HonourKind, HonourSettings, HonourState
from campusgrid.ledgers.models import NightCheck, NightCheckEntry, RoomRating
from campusgrid.reports.models import State
from tests.ledgers import conftest as ledger_fixtures

from .appraisal_records import at, fresh_settings, report  # noqa: F401

term = ledger_fixtures.term

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_settings", "apps_above_unregistered")]


@pytest.fixture
def now(travel, term):
    return travel(at(dt.date(2025, 11, 20), 12))


def night(world, room, day, statuses):
    check = NightCheck.objects.create(
        room=room, date=day, checked_by=world.dorm_head.user, checked_at=at(day, 21, 30)
    )
    for student, status in statuses:
        NightCheckEntry.objects.create(night_check=check, student=student, date=day, status=status)


@pytest.fixture
def records(world, term, now):
    """化工2401: 4 nights of 4 present, one absence among them; 化工2402: 4 nights all present.
    One report about 化工2401; room ratings 301 = 90, 303 = 70."""
    a1 = [world.dorm_head, world.student, world.activist, world.monitor]
    a2 = [world.dorm_head_a2, world.monitor_a2, world.branch_secretary]
    for k in range(4):
        day = dt.date(2025, 10, 13) + dt.timedelta(days=k)
        statuses = [(s, "absent" if (k == 0 and s is world.student) else "present") for s in a1]
        night(world, world.room_a1, day, statuses)
        night(world, world.room_a2, day, [(s, "present") for s in a2])
    report(
        world,
        world.dorm_head,
        state=State.CLOSED,
        classes=[world.class_a1],
        created=at(dt.date(2025, 10, 20), 9),
    )
    for room, score in ((world.room_a1, 90), (world.room_a2, 70)):
        RoomRating.objects.create(
            room=room, semester=term["semester"], inspections=2, average_score=Decimal(score), building_rank=1
        )
    return term["semester"]


@pytest.fixture
def any_score(db):
    """Every class may be proposed for 优良学风班 (its least score 0)."""
    HonourSettings.objects.create(pk=1, study_style_min=0)


def propose(world, semester, *, reason, actor=None, school_class=None, kind=HonourKind.STUDY_STYLE):
    """The counselor (or `actor`) proposes 化工2401 (or `school_class`) for 优良学风班 (or `kind`)."""
    return honours.class_honour_propose(
        actor=(actor or world.counselor).user,
        semester=semester,
        school_class=school_class or world.class_a1,
        kind=kind,
        reason=reason,
    )


def figures_of(rows, name):
    return next(r for r in rows if r["school_class"].name == name)


def test_class_figures_from_the_records(world, records):
    rows = honours.rank_classes([world.class_a1, world.class_a2], records)
    a1, a2 = figures_of(rows, "化工2401")["figures"], figures_of(rows, "化工2402")["figures"]
    assert a1["class_night_record"]["score"] == 93.75  # 15 of 16 lines present
    assert a1["class_absences"]["value"] == 1
    assert a1["class_absences"]["score"] == 37.5  # 6.25 absences per 100 student-nights × 10
    assert a2["class_absences"]["score"] == 100.0
    # 化工2401 has 6 enrolled students: 1 report is 1.67 per 10 students
    assert a1["class_reports"]["score"] == round(100 - 10 * 10 / 6, 2)
    assert a1["class_reports"]["detail"] == "上报 1 件（每十人 1.7），办结 1、未结 0"
    # 化工2401's students in 301 (90) and 302 (no rating): 4 students at 90
    assert a1["class_room_ratings"]["score"] == 90.0
    assert a2["class_room_ratings"]["score"] == 70.0
    assert a1["class_study"]["score"] == 100.0
    assert a1["service.class_hours"] is None  # 未启用 until the service app registers it


def test_study_key_students_count_against_the_class(world, records):
    from campusgrid.dossiers.models import KeyReason, KeyStudent

    key = KeyStudent.objects.create(
        student=world.student,
        risk_level="attention",
        next_review=dt.date(2025, 12, 1),
        responsible=world.counselor,
    )
    key.reasons.set([KeyReason.objects.get(name="学业困难")])
    rows = honours.rank_classes([world.class_a1], records)
    figure = rows[0]["figures"]["class_study"]
    assert figure["detail"] == "学业重点学生 1 人，学业预警 0 人"
    assert figure["score"] == round(100 - 500 / 6, 2)


def test_ranking_follows_the_configured_weights(world, records):
    rows = honours.rank_classes([world.class_a1, world.class_a2], records)
    assert figures_of(rows, "化工2402")["rank"] == 1  # no absence, no report outweighs the ratings
    HonourSettings.objects.create(pk=1, criteria_weights={"class_room_ratings": 50})
    rows = honours.rank_classes([world.class_a1, world.class_a2], records)
    assert figures_of(rows, "化工2401")["rank"] == 1
    one = figures_of(rows, "化工2401")
    expected = metrics.weighted_score(one["figures"], HonourSettings.get().weight_of)
    assert one["score"] == expected


def test_counselor_proposes_and_the_college_decides(world, records):
    HonourSettings.objects.create(pk=1, study_style_min=60)
    honour = propose(world, records, school_class=world.class_a2, reason="无夜不归宿")
    assert honour.state == HonourState.PROPOSED and honour.rank == 1
    with pytest.raises(Conflict):
        propose(world, records, school_class=world.class_a2, reason="再推")
    with pytest.raises(NotAllowed):
        honours.class_honour_decide(actor=world.counselor.user, honour=honour, approve=True)
    with pytest.raises(NotAllowed):
        honours.class_honour_decide(actor=world.leader_b.user, honour=honour, approve=True)
    with pytest.raises(ServiceError):
        honours.class_honour_decide(actor=world.leader.user, honour=honour, approve=False, note="")
    decided = honours.class_honour_decide(actor=world.leader.user, honour=honour, approve=True, note="同意")
    assert decided.state == HonourState.APPROVED
    with pytest.raises(Conflict):
        honours.class_honour_decide(actor=world.leader.user, honour=decided, approve=False, note="改主意")
    assert [h.pk for h in honours.class_honours_list(college=world.college_a, semester=records)] == [
        honour.pk
    ]
    assert honours.class_honours_list(college=world.college_b, semester=records) == []


def test_a_class_below_the_line_cannot_be_proposed(world, records):
    with pytest.raises(ServiceError) as error:
        propose(world, records, kind=HonourKind.SANJIE, reason="试试")
    assert "未达到三杰班的最低分 90" in error.value.message
    assert not ClassHonour.objects.exists()


@pytest.mark.usefixtures("any_score")
def test_a_rejected_proposal_may_be_proposed_again(world, records):
    honour = propose(world, records, reason="一")
    honours.class_honour_decide(actor=world.leader.user, honour=honour, approve=False, note="材料不足")
    again = propose(world, records, reason="二")
    assert again.pk == honour.pk and again.state == HonourState.PROPOSED and again.reason == "二"


def test_others_cannot_propose(world, records):
    with pytest.raises(NotAllowed):
        propose(world, records, actor=world.counselor_b, reason="x")
    with pytest.raises(NotAllowed):
        propose(world, records, actor=world.monitor, reason="x")


@pytest.mark.usefixtures("any_score")
def test_the_honour_shows_on_the_class_page(world, records, login):
    honour = propose(world, records, reason="好")
    url = reverse("people:class", args=["化工2401"])
    assert "班级荣誉" not in login(world.monitor).get(url).content.decode()  # proposed is not granted
    honours.class_honour_decide(actor=world.leader.user, honour=honour, approve=True)
    text = login(world.monitor).get(url).content.decode()
    assert "班级荣誉" in text and "优良学风班" in text


@pytest.mark.usefixtures("any_score")
def test_the_honours_page_ranks_and_proposes(world, records, login):
    client = login(world.counselor)
    url = reverse("dashboards:honours")
    page = client.get(url, {"semester": records.pk})
    text = page.content.decode()
    assert page.status_code == 200 and "化工2401" in text and "志愿服务时长" in text and "未启用" in text
    response = client.post(
        url,
        {"semester": records.pk, "school_class": "化工2401", "kind": HonourKind.STUDY_STYLE, "reason": "好"},
    )
    assert response.status_code == 302
    honour = ClassHonour.objects.get()
    leader = login(world.leader)
    leader.post(
        reverse("dashboards:honour-decide", args=[honour.pk]),
        {"decision": "approve", "version": honour.version},
    )
    assert ClassHonour.objects.get().state == HonourState.APPROVED
    assert login(world.dorm_head).get(url).status_code == 404


@pytest.mark.usefixtures("any_score")
def test_api_ranking_propose_and_decide(world, records, api):
    ranking = api(world.counselor).get(
        "/api/v1/dashboards/class-honours/ranking/", {"semester": records.name}
    )
    assert [r["class"] for r in ranking.json()] == ["化工2402", "化工2401"]
    created = api(world.counselor).post(
        "/api/v1/dashboards/class-honours/",
        {"semester": records.name, "class": "化工2401", "kind": "study_style", "reason": "好"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert (
        api(world.counselor)
        .post(f"/api/v1/dashboards/class-honours/{pk}/decide/", {"approve": True}, format="json")
        .status_code
        == 403
    )
    assert (
        api(world.leader_b)
        .post(f"/api/v1/dashboards/class-honours/{pk}/decide/", {"approve": True}, format="json")
        .status_code
        == 404
    )
    decided = api(world.leader).post(
        f"/api/v1/dashboards/class-honours/{pk}/decide/", {"approve": True}, format="json"
    )
    assert decided.json()["state"] == "approved"
    assert api(world.counselor_b).get("/api/v1/dashboards/class-honours/").json()["count"] == 0
    bad = api(world.counselor).post(
        "/api/v1/dashboards/class-honours/", {"class": "化工2401", "kind": "x"}, format="json"
    )
    assert bad.status_code == 400


def test_class_ranking_queries_do_not_grow_with_classes(world, records, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests import factories as f

    honours.rank_classes([world.class_a1], records)  # the settings rows, read once
    with CaptureQueriesContext(connection) as few:
        honours.rank_classes([world.class_a1], records)
    more = [world.class_a1, world.class_a2] + [
        f.SchoolClassFactory(name=f"化工25{i:02d}", college=world.college_a) for i in range(8)
    ]
    with django_assert_num_queries(len(few.captured_queries)):
        rows = honours.rank_classes(more, records)
    assert len(rows) == 10
