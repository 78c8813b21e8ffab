"""Semester awards (issue 13 item 3): candidates proposed from the records with their reasons,
the secretary's proposal within the quota, the committee's decision, publication, the award on
the student page, the export, and who sees what."""

import datetime as dt
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campusgrid.core.errors import Conflict, NotAllowed, ServiceError
from campusgrid.ledgers.models import NightCheck, NightCheckEntry, RoomRating
from campusgrid.party.models import Award, AwardKind, AwardState
from campusgrid.party.selectors import awards as selectors
from campusgrid.party.services import awards as services
from tests import factories as f

from .test_assess import TODAY, record, semester_fixture  # noqa: F401 (the fixture `semester`)

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(world, semester):
    """Room 301 a 示范寝室; 张三 away two nights (his balance falls below nothing)."""
    RoomRating.objects.create(
        room=world.room_a1,
        semester=semester,
        inspections=2,
        average_score="95.00",
        stars=5,
        civil=True,
        model_room=True,
        building_rank=1,
    )
    for day in (dt.date(2025, 10, 9), dt.date(2025, 10, 10)):
        check = NightCheck.objects.create(room=world.room_a1, date=day, absent_count=1, present_count=3)
        NightCheckEntry.objects.create(night_check=check, student=world.student, date=day, status="absent")
    return semester


def propose(world, who, semester, kind, number, note=""):
    return services.award_propose(
        actor=world[who].user, branch=world.branch, semester=semester, kind=kind, student_no=number, note=note
    )


def test_candidates_come_from_the_records_with_reasons_spelled_out(world, records):
    result = selectors.award_candidates(
        user=world.branch_secretary.user, branch=world.branch, semester=records
    )
    members = {c["student"].student_no: c for c in result[AwardKind.EXCELLENT_MEMBER]}
    others = {c["student"].student_no: c for c in result[AwardKind.ADVANCED]}
    assert set(members) == {"A1004", "A2002"}  # the probationary monitor in 301, the small grid's member
    assert "A1002" not in others  # two nights away outweigh his room's title
    assert "A2005" not in others and "A2005" not in members  # the secretary lives outside the branch's rooms
    activist = [r["text"] for r in others["A1003"]["reasons"]]
    assert "所在寝室东1/301获评示范寝室" in activist
    assert "担任微网格负责人" in activist
    assert others["A1003"]["points"] == sum(r["points"] for r in others["A1003"]["reasons"])
    ranked = [c["student"].student_no for c in result[AwardKind.ADVANCED]]
    assert ranked[0] == "A1003"  # 示范寝室 + 5 stars + the micro-grid post


def test_a_score_in_the_reasons_is_masked_without_the_right(world, records):
    record(world, "small_grid_leader", "A1003", records, score=95)
    secretary = selectors.award_candidates(
        user=world.branch_secretary.user, branch=world.branch, semester=records
    )
    leader = selectors.award_candidates(user=world.leader.user, branch=world.branch, semester=records)

    def texts(result):
        return [
            r["text"]
            for r in next(c for c in result[AwardKind.ADVANCED] if c["student"].student_no == "A1003")[
                "reasons"
            ]
        ]

    assert "学期评议95分" in texts(leader)
    assert "学期评议95分" not in texts(secretary) and "学期评议（无权查看）" in texts(secretary)


def test_propose_decide_publish(world, records, login):
    award = propose(world, "branch_secretary", records, AwardKind.ADVANCED, "A1003", note="带头作用突出")
    assert award.state == AwardState.PROPOSED and "所在寝室东1/301获评示范寝室" in [
        r["text"] for r in award.reasons
    ]
    with pytest.raises(ServiceError):
        services.award_publish(
            actor=world.leader.user, branch=world.branch, semester=records
        )  # still waiting
    award = services.award_decide(
        actor=world.branch_secretary.user,
        award=award,
        approve=True,
        decided_on=TODAY,
        note="一致通过",
        expected_version=award.version,
    )
    assert award.state == AwardState.APPROVED
    with pytest.raises(Conflict):
        services.award_decide(actor=world.branch_secretary.user, award=award, approve=False, decided_on=TODAY)
    with pytest.raises(NotAllowed):
        services.award_publish(actor=world.branch_secretary.user, branch=world.branch, semester=records)
    assert services.award_publish(actor=world.leader.user, branch=world.branch, semester=records) == 1
    award.refresh_from_db()
    assert award.state == AwardState.PUBLISHED and award.published_at is not None
    # On the student's page, for whoever sees the student.
    page = login(world.dorm_head).get(reverse("people:student", args=["A1003"])).content.decode()
    assert "学生公寓先进个人" in page and "section-party-awards" in page


def test_the_quota_refuses_one_more(world, records):
    services.award_quota_set(
        actor=world.leader.user, branch=world.branch, semester=records, kind=AwardKind.ADVANCED, quota=1
    )
    propose(world, "branch_secretary", records, AwardKind.ADVANCED, "A1003")
    with pytest.raises(ServiceError) as error:
        propose(world, "branch_secretary", records, AwardKind.ADVANCED, "A1006")
    assert "名额为1人" in error.value.message
    assert Award.objects.count() == 1
    # A rejection frees the place.
    services.award_decide(
        actor=world.branch_secretary.user, award=Award.objects.get(), approve=False, decided_on=TODAY
    )
    assert (
        propose(world, "branch_secretary", records, AwardKind.ADVANCED, "A1006").state == AwardState.PROPOSED
    )


def test_only_the_secretary_proposes_and_only_candidates(world, records):
    for who in ("small_grid_leader", "leader", "activist", "counselor"):
        with pytest.raises(NotAllowed):
            propose(world, who, records, AwardKind.ADVANCED, "A1003")
    with pytest.raises(ServiceError) as error:
        propose(world, "branch_secretary", records, AwardKind.ADVANCED, "A1002")  # not a candidate
    assert error.value.field == "student_no"
    with pytest.raises(ServiceError):
        propose(world, "branch_secretary", records, AwardKind.EXCELLENT_MEMBER, "A1003")  # not a member
    with pytest.raises(ServiceError):
        propose(world, "branch_secretary", records, "best", "A1003")
    propose(world, "branch_secretary", records, AwardKind.ADVANCED, "A1003")
    with pytest.raises(Conflict):
        propose(world, "branch_secretary", records, AwardKind.ADVANCED, "A1003")
    with pytest.raises(NotAllowed):
        services.award_quota_set(
            actor=world.branch_secretary.user,
            branch=world.branch,
            semester=records,
            kind=AwardKind.ADVANCED,
            quota=9,
        )


def test_the_decision_date_is_checked(world, records):
    award = propose(world, "branch_secretary", records, AwardKind.ADVANCED, "A1003")
    for day in (TODAY + dt.timedelta(days=1), TODAY - dt.timedelta(days=30), None):
        with pytest.raises(ServiceError):
            services.award_decide(
                actor=world.branch_secretary.user, award=award, approve=True, decided_on=day
            )


def test_proposals_are_the_branchs_published_awards_everyones(world, records, api):
    award = propose(world, "branch_secretary", records, AwardKind.ADVANCED, "A1003")
    url = reverse("party-award-list")
    assert [a["student_no"] for a in api(world.branch_secretary).get(url).json()["results"]] == ["A1003"]
    assert [a["student_no"] for a in api(world.leader).get(url).json()["results"]] == ["A1003"]
    for who in ("activist", "dorm_head", "student", "leader_b"):
        assert api(world[who]).get(url).json()["results"] == [], who
    services.award_decide(actor=world.branch_secretary.user, award=award, approve=True, decided_on=TODAY)
    services.award_publish(actor=world.leader.user, branch=world.branch, semester=records)
    for who in ("activist", "dorm_head"):
        assert [a["student_no"] for a in api(world[who]).get(url).json()["results"]] == ["A1003"], who
    for who in ("student_b", "leader_b"):
        assert api(world[who]).get(url).json()["results"] == [], who


def test_the_pages_walk_the_workflow(world, records, login):
    secretary = login(world.branch_secretary)
    base = {"branch": world.branch.pk, "semester": records.pk}
    page = secretary.get(reverse("party:award-list"), base)
    assert page.status_code == 200 and "推荐" in page.content.decode()
    secretary.post(reverse("party:award-propose"), {**base, "kind": "advanced", "student_no": "A1003"})
    award = Award.objects.get()
    secretary.post(
        reverse("party:award-decide", args=[award.pk]),
        {"decision": "approve", "decided_on": TODAY.isoformat(), "version": award.version},
    )
    award.refresh_from_db()
    assert award.state == AwardState.APPROVED
    # The secretary cannot publish: no button, and the POST is refused.
    assert "公布评优名单" not in secretary.get(reverse("party:award-list"), base).content.decode()
    secretary.post(reverse("party:award-publish"), base)
    award.refresh_from_db()
    assert award.state == AwardState.APPROVED
    leader = login(world.leader)
    leader.post(reverse("party:award-publish"), base)
    award.refresh_from_db()
    assert award.state == AwardState.PUBLISHED


def test_the_award_list_exports(world, records, login):
    award = propose(world, "branch_secretary", records, AwardKind.ADVANCED, "A1003")
    services.award_decide(actor=world.branch_secretary.user, award=award, approve=True, decided_on=TODAY)
    response = login(world.leader).get(
        reverse("party:award-list"), {"format": "xlsx", "semester": records.pk}
    )
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    text = " ".join(str(v) for row in book.active.iter_rows(values_only=True) for v in row if v)
    assert "A1003" in text and "学生公寓先进个人" in text and "示范寝室" in text
    response = login(world.leader_b).get(reverse("party:award-list"), {"format": "xlsx"})
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    text = " ".join(str(v) for row in book.active.iter_rows(values_only=True) for v in row if v)
    assert "A1003" not in text


def test_the_award_page_and_list_do_not_grow_queries_with_rows(world, records, login, api):
    from campusgrid.core.scoping import forget_scope

    def counts():
        forget_scope(world.branch_secretary.user)
        client = login(world.branch_secretary)
        with CaptureQueriesContext(connection) as page:
            client.get(reverse("party:award-list"), {"branch": world.branch.pk, "semester": records.pk})
        with CaptureQueriesContext(connection) as listing:
            api(world.branch_secretary).get(reverse("party-award-list"))
        return len(page.captured_queries), len(listing.captured_queries)

    propose(world, "branch_secretary", records, AwardKind.ADVANCED, "A1003")
    counts()
    few = counts()
    world.room_a1.capacity = 10
    world.room_a1.save(update_fields=["capacity"])
    for i in range(3):
        f.StudentFactory(student_no=f"A18{i:02d}", school_class=world.class_a1, room=world.room_a1)
    propose(world, "branch_secretary", records, AwardKind.ADVANCED, "A1006")
    propose(world, "branch_secretary", records, AwardKind.ADVANCED, "A1800")
    assert counts() == few


def test_a_published_award_is_a_section_of_the_student_page_and_the_dossier(world, records, rf):
    from campusgrid.core.registry import render_sections

    award = propose(world, "branch_secretary", records, AwardKind.ADVANCED, "A1003")
    request = rf.get("/")
    request.user = world.counselor.user
    for page in ("student", "dossier"):
        assert "party-awards" not in [b["key"] for b in render_sections(page, request, world.activist)]
    services.award_decide(actor=world.branch_secretary.user, award=award, approve=True, decided_on=TODAY)
    services.award_publish(actor=world.leader.user, branch=world.branch, semester=records)
    for page in ("student", "dossier"):
        block = next(b for b in render_sections(page, request, world.activist) if b["key"] == "party-awards")
        assert [a.get_kind_display() for a in block["context"]["awards"]] == ["学生公寓先进个人"]


def test_a_secretary_does_not_propose_themselves(world, records):
    from campusgrid.grid.models import Post, PostKind

    Post.objects.filter(kind=PostKind.BRANCH_SECRETARY).update(end_date=TODAY)
    f.PostFactory(
        kind=PostKind.BRANCH_SECRETARY, student=world.small_grid_leader, branch=world.branch, start_date=TODAY
    )
    with pytest.raises(ServiceError) as error:
        propose(world, "small_grid_leader", records, AwardKind.EXCELLENT_MEMBER, "A2002")
    assert "不能推荐本人" in error.value.message
    assert (
        propose(world, "small_grid_leader", records, AwardKind.EXCELLENT_MEMBER, "A1004").state == "proposed"
    )
