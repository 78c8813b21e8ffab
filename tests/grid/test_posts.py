"""Grid posts (SPEC §3, issue 3 §1, §2, §4): succession, eligibility, who may
appoint, what leaving school does, vacancy suggestions and each student's chains.

The cast is tests/world.py: room 东1/301 (A1001 dorm head, A1002 张三, A1003
activist, A1004 monitor), 东1/302 mixed, 东1/303 outside the party area, and
college B (机械学院) with its own people."""

import datetime as dt

import pytest

from campusgrid.core import clock
from campusgrid.core.actors import SYSTEM
from campusgrid.core.errors import Conflict, NotAllowed, ServiceError
from campusgrid.core.models import AuditEvent
from campusgrid.grid import selectors, services
from campusgrid.grid.models import PartyRoom, Post, PostKind
from campusgrid.org.models import Bed
from campusgrid.people.models import PoliticalStatus, Student, StudentStatus
from tests import factories as f

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 2)


@pytest.fixture(autouse=True)
def _today(travel):
    travel(dt.datetime(2026, 3, 2, 9, 0))


def holders(kind, **place) -> list[str]:
    """Student/staff numbers of the current holders of a post."""
    posts = Post.objects.current().filter(kind=kind, **place).select_related("student", "staff")
    return sorted(p.student.student_no if p.student_id else p.staff.staff_no for p in posts)


def set_political(student, status):
    Student.objects.filter(pk=student.pk).update(political_status=status)
    student.refresh_from_db()
    return student


# --- succession -------------------------------------------------------------------------------


def test_successor_ends_the_previous_term_and_history_is_kept(world):
    old = Post.objects.get(kind=PostKind.DORM_HEAD, room=world.room_a1, end_date__isnull=True)
    new = services.post_appoint(
        actor=world.counselor.user, kind=PostKind.DORM_HEAD, holder=world.student, place=world.room_a1
    )
    old.refresh_from_db()
    assert old.end_date == TODAY and "张三" in old.end_reason
    assert new.start_date == TODAY and new.end_date is None and new.appointed_by == world.counselor.user
    assert holders(PostKind.DORM_HEAD, room=world.room_a1) == ["A1002"]
    history = selectors.place_history(kind=PostKind.DORM_HEAD, place_field="room", place=world.room_a1)
    assert [p.holder_name for p in history] == ["张三", "舍长甲"]
    verbs = set(AuditEvent.objects.filter(target_type="grid.post").values_list("verb", flat=True))
    assert verbs == {"post.appoint", "post.end"}


def test_successor_with_a_start_date_ends_the_previous_term_that_day(world):
    services.post_appoint(
        actor=SYSTEM,
        kind=PostKind.MONITOR,
        holder=world.dorm_head,
        place=world.class_a1,
        start=dt.date(2026, 3, 10),
    )
    old = Post.objects.get(kind=PostKind.MONITOR, student=world.monitor)
    assert old.end_date == dt.date(2026, 3, 10)
    # Until the successor starts, the old monitor is still the current one.
    assert holders(PostKind.MONITOR, school_class=world.class_a1) == ["A1004"]
    clock.set_now(dt.datetime(2026, 3, 10, 9, 0))
    assert holders(PostKind.MONITOR, school_class=world.class_a1) == ["A1001"]


def test_appointing_the_current_holder_again_is_refused(world):
    with pytest.raises(Conflict):
        services.post_appoint(
            actor=SYSTEM, kind=PostKind.DORM_HEAD, holder=world.dorm_head, place=world.room_a1
        )
    assert Post.objects.filter(kind=PostKind.DORM_HEAD, room=world.room_a1).count() == 1


def test_leaders_are_not_single_holder_posts(world):
    second = f.StaffFactory(staff_no="L0009", name="院领导丁", college=world.college_a, roles="leader")
    services.post_appoint(actor=SYSTEM, kind=PostKind.LEADER, holder=second, place=world.college_a)
    assert holders(PostKind.LEADER, college=world.college_a) == ["L0001", "L0009"]


def test_post_end_keeps_the_row_and_needs_the_right(world):
    post = Post.objects.get(kind=PostKind.MONITOR, school_class=world.class_a1)
    with pytest.raises(NotAllowed):
        services.post_end(actor=world.counselor_b.user, post=post)
    with pytest.raises(NotAllowed):
        services.post_end(actor=world.monitor.user, post=post)
    services.post_end(actor=world.counselor.user, post=post, reason="个人原因")
    post.refresh_from_db()
    assert post.end_date == TODAY and post.end_reason == "个人原因"
    assert holders(PostKind.MONITOR, school_class=world.class_a1) == []
    with pytest.raises(Conflict):
        services.post_end(actor=world.counselor.user, post=post)


# --- eligibility ------------------------------------------------------------------------------


def test_dorm_head_must_live_in_the_room(world):
    with pytest.raises(ServiceError, match="不住在该寝室"):
        services.post_appoint(
            actor=world.counselor.user, kind=PostKind.DORM_HEAD, holder=world.mixed_a2, place=world.room_a1
        )
    assert holders(PostKind.DORM_HEAD, room=world.room_a1) == ["A1001"]


def test_monitor_and_league_secretary_must_be_in_the_class(world):
    for kind in (PostKind.MONITOR, PostKind.LEAGUE_SECRETARY):
        with pytest.raises(ServiceError, match="不在该班级"):
            services.post_appoint(
                actor=world.counselor.user, kind=kind, holder=world.mixed_a2, place=world.class_a1
            )
    services.post_appoint(
        actor=world.counselor.user, kind=PostKind.LEAGUE_SECRETARY, holder=world.student, place=world.class_a1
    )
    assert holders(PostKind.LEAGUE_SECRETARY, school_class=world.class_a1) == ["A1002"]


@pytest.mark.parametrize(
    "status,allowed",
    [
        (PoliticalStatus.MASSES, False),
        (PoliticalStatus.LEAGUE_MEMBER, False),
        (PoliticalStatus.APPLICANT, False),
        (PoliticalStatus.ACTIVIST, False),
        (PoliticalStatus.CANDIDATE, False),
        (PoliticalStatus.PROBATIONARY, True),
        (PoliticalStatus.MEMBER, True),
    ],
)
def test_small_grid_leader_is_a_party_member(world, status, allowed):
    holder = set_political(world.student, status)
    if allowed:
        services.post_appoint(
            actor=world.leader.user, kind=PostKind.SMALL_GRID_LEADER, holder=holder, place=world.small_grid
        )
        assert holders(PostKind.SMALL_GRID_LEADER, small_grid=world.small_grid) == ["A1002"]
    else:
        with pytest.raises(ServiceError, match="党员"):
            services.post_appoint(
                actor=world.leader.user,
                kind=PostKind.SMALL_GRID_LEADER,
                holder=holder,
                place=world.small_grid,
            )
        assert holders(PostKind.SMALL_GRID_LEADER, small_grid=world.small_grid) == ["A2002"]


@pytest.mark.parametrize(
    "status,allowed",
    [
        (PoliticalStatus.MASSES, False),
        (PoliticalStatus.LEAGUE_MEMBER, False),
        (PoliticalStatus.APPLICANT, False),
        (PoliticalStatus.ACTIVIST, True),
        (PoliticalStatus.CANDIDATE, True),
        (PoliticalStatus.PROBATIONARY, True),
        (PoliticalStatus.MEMBER, True),
    ],
)
def test_activist_is_an_activist_or_above(world, status, allowed):
    holder = set_political(world.student, status)
    call = {
        "actor": world.counselor.user,
        "kind": PostKind.ACTIVIST,
        "holder": holder,
        "place": world.room_a1,
    }
    if allowed:
        services.post_appoint(**call)
        assert holders(PostKind.ACTIVIST, room=world.room_a1) == ["A1002"]
    else:
        with pytest.raises(ServiceError, match="入党积极分子"):
            services.post_appoint(**call)
        assert holders(PostKind.ACTIVIST, room=world.room_a1) == ["A1003"]


def test_activist_room_must_be_in_a_branch_area(world):
    assert not PartyRoom.objects.filter(room=world.room_a2).exists()
    holder = set_political(world.dorm_head_a2, PoliticalStatus.ACTIVIST)
    with pytest.raises(ServiceError, match="党支部"):
        services.post_appoint(actor=SYSTEM, kind=PostKind.ACTIVIST, holder=holder, place=world.room_a2)
    f.PartyRoomFactory(room=world.room_a2, branch=world.branch, small_grid=world.small_grid)
    services.post_appoint(actor=SYSTEM, kind=PostKind.ACTIVIST, holder=holder, place=world.room_a2)
    assert holders(PostKind.ACTIVIST, room=world.room_a2) == ["A2003"]


def test_one_activist_leads_one_room(world):
    with pytest.raises(ServiceError, match="一个寝室"):
        services.post_appoint(
            actor=SYSTEM, kind=PostKind.ACTIVIST, holder=world.activist, place=world.room_mixed
        )
    assert holders(PostKind.ACTIVIST, room=world.room_mixed) == ["A1006"]


@pytest.mark.parametrize(
    "status", [StudentStatus.SUSPENDED, StudentStatus.WITHDRAWN, StudentStatus.GRADUATED]
)
def test_a_grid_worker_must_be_enrolled(world, status):
    # Status set behind the services' back: the bed and class are still there.
    Student.objects.filter(pk=world.student.pk).update(status=status)
    world.student.refresh_from_db()
    for kind, place in [
        (PostKind.DORM_HEAD, world.room_a1),
        (PostKind.MONITOR, world.class_a1),
        (PostKind.LEAGUE_SECRETARY, world.class_a1),
    ]:
        with pytest.raises(ServiceError, match="不在校"):
            services.post_appoint(actor=SYSTEM, kind=kind, holder=world.student, place=place)
    assert not Post.objects.filter(student=world.student).exists()


def test_staff_posts_need_staff_and_student_posts_need_students(world):
    with pytest.raises(ServiceError, match="教职工"):
        services.post_appoint(
            actor=SYSTEM, kind=PostKind.COUNSELOR, holder=world.student, place=world.class_a1
        )
    with pytest.raises(ServiceError, match="学生"):
        services.post_appoint(
            actor=SYSTEM, kind=PostKind.MONITOR, holder=world.counselor, place=world.class_a1
        )


def test_a_post_needs_its_place(world):
    with pytest.raises(ServiceError, match="寝室"):
        services.post_appoint(
            actor=SYSTEM, kind=PostKind.DORM_HEAD, holder=world.student, place=world.class_a1
        )
    with pytest.raises(ServiceError, match="班级"):
        services.post_appoint(actor=SYSTEM, kind=PostKind.MONITOR, holder=world.student, place=None)


# --- who may appoint -------------------------------------------------------------------------


def test_counselor_may_appoint_in_their_classes(world):
    services.post_appoint(
        actor=world.counselor.user, kind=PostKind.MONITOR, holder=world.mixed_a2, place=world.class_a2
    )
    services.post_appoint(
        actor=world.counselor.user, kind=PostKind.DORM_HEAD, holder=world.student, place=world.room_a1
    )
    assert holders(PostKind.MONITOR, school_class=world.class_a2) == ["A2001"]
    assert holders(PostKind.DORM_HEAD, room=world.room_a1) == ["A1002"]


def test_counselor_cannot_appoint_in_another_college(world):
    cases = [
        (PostKind.MONITOR, world.student_b, world.class_b1),
        (PostKind.DORM_HEAD, world.student_b, world.room_b1),
        (PostKind.LEADER, world.counselor, world.college_b),
    ]
    for kind, holder, place in cases:
        with pytest.raises(NotAllowed):
            services.post_appoint(actor=world.counselor.user, kind=kind, holder=holder, place=place)
    assert holders(PostKind.MONITOR, school_class=world.class_b1) == ["B1003"]
    assert holders(PostKind.DORM_HEAD, room=world.room_b1) == ["B1001"]


def test_class_teacher_reaches_only_their_own_class(world):
    with pytest.raises(NotAllowed):
        services.post_appoint(
            actor=world.class_teacher.user, kind=PostKind.MONITOR, holder=world.mixed_a2, place=world.class_a2
        )
    services.post_appoint(
        actor=world.class_teacher.user, kind=PostKind.MONITOR, holder=world.student, place=world.class_a1
    )


@pytest.mark.parametrize("persona", ["monitor", "dorm_head", "student", "branch_secretary"])
def test_students_cannot_appoint_whatever_their_posts(world, persona):
    with pytest.raises(NotAllowed):
        services.post_appoint(
            actor=world[persona].user, kind=PostKind.DORM_HEAD, holder=world.student, place=world.room_a1
        )
    assert holders(PostKind.DORM_HEAD, room=world.room_a1) == ["A1001"]


def test_counselors_are_appointed_by_leaders_not_by_counselors(world):
    with pytest.raises(NotAllowed):
        services.post_appoint(
            actor=world.counselor.user,
            kind=PostKind.CLASS_TEACHER,
            holder=world.counselor,
            place=world.class_a2,
        )
    with pytest.raises(NotAllowed):
        services.post_appoint(
            actor=world.leader_b.user,
            kind=PostKind.CLASS_TEACHER,
            holder=world.counselor,
            place=world.class_a2,
        )
    services.post_appoint(
        actor=world.leader.user, kind=PostKind.CLASS_TEACHER, holder=world.class_teacher, place=world.class_a2
    )
    services.post_appoint(
        actor=world.office.user, kind=PostKind.COUNSELOR, holder=world.counselor_b, place=world.class_a2
    )
    assert holders(PostKind.CLASS_TEACHER, school_class=world.class_a2) == ["C0002"]
    assert holders(PostKind.COUNSELOR, school_class=world.class_a2) == ["C0003"]


def test_a_new_post_widens_the_holders_scope_at_once(world):
    from campusgrid.people.models import Student as S

    user = world.student.user
    assert set(S.objects.visible_to(user).values_list("student_no", flat=True)) == {"A1002"}
    services.post_appoint(
        actor=world.counselor.user, kind=PostKind.MONITOR, holder=world.student, place=world.class_a1
    )
    # The holder object the service saw is the one whose cached scope is dropped.
    fresh = type(user).objects.get(pk=user.pk)
    assert set(S.objects.visible_to(fresh).values_list("student_no", flat=True)) == {
        "A1001",
        "A1002",
        "A1003",
        "A1004",
        "A1005",
        "A1006",
    }


# --- leaving school, moving, changing class ------------------------------------------------------


@pytest.mark.parametrize(
    "status", [StudentStatus.SUSPENDED, StudentStatus.WITHDRAWN, StudentStatus.GRADUATED]
)
def test_status_change_ends_posts_and_frees_the_bed(world, status):
    head = world.dorm_head
    bed_id = head.bed_id
    services.student_status_change(actor=world.counselor.user, student=head, status=status)
    head.refresh_from_db()
    assert head.status == status and head.bed_id is None
    assert not Student.objects.filter(bed_id=bed_id).exists()
    assert Bed.objects.filter(pk=bed_id).exists()
    post = Post.objects.get(student=head)  # kept, not deleted
    assert post.end_date == TODAY and StudentStatus(status).label in post.end_reason
    assert holders(PostKind.DORM_HEAD, room=world.room_a1) == []
    assert AuditEvent.objects.filter(verb="student.status", target_id=str(head.pk)).exists()


def test_status_change_ends_every_post_of_the_student(world):
    # The activist of 301 is also made league secretary; leaving ends both.
    services.post_appoint(
        actor=SYSTEM, kind=PostKind.LEAGUE_SECRETARY, holder=world.activist, place=world.class_a1
    )
    services.student_status_change(
        actor=world.counselor.user, student=world.activist, status=StudentStatus.WITHDRAWN
    )
    assert Post.objects.filter(student=world.activist).count() == 2
    assert not Post.objects.current().filter(student=world.activist).exists()


def test_status_change_needs_level_three(world):
    for persona in ["monitor", "dorm_head", "counselor_b", "leader_b"]:
        with pytest.raises(NotAllowed):
            services.student_status_change(
                actor=world[persona].user, student=world.student, status=StudentStatus.GRADUATED
            )
    world.student.refresh_from_db()
    assert world.student.status == StudentStatus.ENROLLED and world.student.bed_id is not None


def test_moving_keeps_the_post_until_a_successor_is_appointed(world):
    head = world.dorm_head
    free_bed = f.bed_in(world.room_a2)
    services.student_move(actor=world.counselor.user, student=head, bed=free_bed)
    head.refresh_from_db()
    assert head.bed.room == world.room_a2
    post = Post.objects.get(student=head, kind=PostKind.DORM_HEAD)
    assert post.end_date is None  # history intact; the audit flags it instead
    assert "不住在该寝室" in services.eligibility.problem_for(PostKind.DORM_HEAD, head, world.room_a1)


def test_moving_into_a_taken_bed_is_refused(world):
    taken = world.student_b.bed
    with pytest.raises(NotAllowed):
        # 张三 is outside the reach of college B's counselor.
        services.student_move(actor=world.counselor_b.user, student=world.student, bed=taken)
    with pytest.raises(Conflict):
        services.student_move(actor=SYSTEM, student=world.student, bed=taken)
    world.student.refresh_from_db()
    assert world.student.bed.room == world.room_a1


def test_set_class_within_reach_and_not_beyond(world):
    services.student_set_class(actor=world.counselor.user, student=world.student, school_class=world.class_a2)
    world.student.refresh_from_db()
    assert world.student.school_class == world.class_a2
    with pytest.raises(NotAllowed):
        services.student_set_class(
            actor=world.counselor.user, student=world.student, school_class=world.class_b1
        )
    with pytest.raises(NotAllowed):
        services.student_set_class(actor=world.counselor_b.user, student=world.student, school_class=None)
    services.student_set_class(actor=world.office.user, student=world.student, school_class=world.class_b1)
    world.student.refresh_from_db()
    assert world.student.school_class == world.class_b1 and world.student.college == world.college_b


def test_a_monitor_who_changes_class_no_longer_qualifies(world):
    services.student_set_class(actor=world.counselor.user, student=world.monitor, school_class=world.class_a2)
    world.monitor.refresh_from_db()
    assert "不在该班级" in services.eligibility.problem_for(PostKind.MONITOR, world.monitor, world.class_a1)
    assert (
        Post.objects.current().get(kind=PostKind.MONITOR, school_class=world.class_a1).student
        == world.monitor
    )


# --- vacancy suggestions -----------------------------------------------------------------------


def test_vacant_monitor_suggestions_party_members_then_activists_then_cadres(world):
    services.post_end(actor=SYSTEM, post=Post.objects.get(kind=PostKind.MONITOR, student=world.monitor))
    out = f.StudentFactory(
        student_no="A1009", school_class=world.class_a1, political_status=PoliticalStatus.MEMBER
    )
    Student.objects.filter(pk=out.pk).update(status=StudentStatus.GRADUATED)
    result = selectors.vacancy_candidates(kind=PostKind.MONITOR, place=world.class_a1)
    assert [s.student_no for s in result] == ["A1004", "A1001", "A1003", "A1006", "A1005", "A1002"]
    assert [s.reason for s in result] == [
        "党员",
        "入党积极分子",
        "入党积极分子",
        "入党积极分子",
        "现任学生干部",
        "同寝室/同班同学",
    ]


def test_vacant_dorm_head_suggestions_come_from_the_room(world):
    services.post_end(actor=SYSTEM, post=Post.objects.get(kind=PostKind.DORM_HEAD, room=world.room_mixed))
    result = selectors.vacancy_candidates(kind=PostKind.DORM_HEAD, place=world.room_mixed)
    # 党员戊 (member), 积极分子子 (activist), then 舍长丁 (no longer a cadre) and 李四 by number.
    assert [s.student_no for s in result] == ["A2002", "A1006", "A1005", "A2001"]
    assert [s.reason for s in result] == ["党员", "入党积极分子", "同寝室/同班同学", "同寝室/同班同学"]


def test_a_current_cadre_ranks_above_a_plain_classmate(world):
    services.post_appoint(
        actor=SYSTEM, kind=PostKind.LEAGUE_SECRETARY, holder=world.student, place=world.class_a1
    )
    result = selectors.vacancy_candidates(kind=PostKind.DORM_HEAD, place=world.room_a1)
    numbers = [s.student_no for s in result]
    # A1002 is league secretary now, so a cadre; everybody else in 301 ranks by party status.
    # A1001 heads 301 already and is no candidate for it (issue 12 item 11).
    assert numbers == ["A1004", "A1003", "A1002"]
    assert result[-1].reason == "现任学生干部"


def test_activist_suggestions_leave_out_those_who_already_lead_a_room(world):
    # The dorm head once led 302 (term ended) and still heads 301: still a candidate.
    Post.objects.create(
        kind=PostKind.ACTIVIST,
        student=world.dorm_head,
        room=world.room_mixed,
        start_date=dt.date(2025, 3, 1),
        end_date=dt.date(2025, 7, 1),
    )
    result = selectors.vacancy_candidates(kind=PostKind.ACTIVIST, place=world.room_a1)
    # A1003 leads 301 already; A1002 is only a league member.
    assert [s.student_no for s in result] == ["A1004", "A1001"]


def test_no_suggestions_from_other_classes_or_leavers(world):
    services.student_status_change(actor=SYSTEM, student=world.dorm_head, status=StudentStatus.GRADUATED)
    numbers = {
        s.student_no for s in selectors.vacancy_candidates(kind=PostKind.MONITOR, place=world.class_a1)
    }
    assert "A1001" not in numbers and not numbers & {"A2001", "B1002"}


# --- each student's chains ---------------------------------------------------------------------


def _names(link) -> list[str]:
    return [p.holder_name for p in link["posts"]]


def test_student_chains_name_both_grids(world):
    chains = selectors.student_chains(world.student)
    management = {link["level"]: _names(link) for link in chains["management"]}
    assert management == {1: ["舍长甲"], 2: ["班长丙"], 3: ["辅导员甲", "班主任乙"], 4: ["院领导甲"]}
    assert [_names(link) for link in chains["party"]] == [["积极分子乙"], ["党员戊"], ["书记辛"]]
    assert all(link["applies"] for link in chains["party"])


def test_chain_of_a_mixed_room_follows_room_and_class_separately(world):
    chains = selectors.student_chains(world.mixed_a2)
    management = {link["level"]: _names(link) for link in chains["management"]}
    assert management == {1: ["舍长丁"], 2: ["班长庚"], 3: ["辅导员甲"], 4: ["院领导甲"]}
    assert [_names(link) for link in chains["party"]] == [["积极分子子"], ["党员戊"], ["书记辛"]]


def test_chain_outside_a_branch_area_has_no_party_links(world):
    chains = selectors.student_chains(world.student_b)
    assert [_names(link) for link in chains["management"]] == [
        ["舍长壬"],
        ["班长癸"],
        ["辅导员丙"],
        ["院领导乙"],
    ]
    assert not any(link["applies"] for link in chains["party"])
    assert selectors.chain_as_json(chains)["party"] == []


def test_chain_follows_succession_and_departure(world):
    services.post_appoint(actor=SYSTEM, kind=PostKind.MONITOR, holder=world.activist, place=world.class_a1)
    services.student_status_change(actor=SYSTEM, student=world.dorm_head, status=StudentStatus.GRADUATED)
    chains = selectors.student_chains(world.student)
    assert _names(chains["management"][0]) == []
    assert _names(chains["management"][1]) == ["积极分子乙"]


def test_chain_costs_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    student = Student.objects.select_related("bed").get(pk=world.student.pk)
    with django_assert_max_num_queries(3):
        selectors.chain_as_json(selectors.student_chains(student))


def test_chain_api(world, api):
    data = api(world.counselor).get("/api/v1/students/A1002/chain/").json()
    assert data["student_no"] == "A1002"
    levels = {link["level"]: [p["name"] for p in link["people"]] for link in data["management"]}
    assert levels == {1: ["舍长甲"], 2: ["班长丙"], 3: ["辅导员甲", "班主任乙"], 4: ["院领导甲"]}
    first = data["management"][0]["people"][0]
    assert first == {"student_no": "A1001", "name": "舍长甲", "post": "dorm_head", "title": "舍长"}
    assert data["management"][2]["people"][0]["staff_no"] == "C0001"
    assert [[p["name"] for p in link["people"]] for link in data["party"]] == [
        ["积极分子乙"],
        ["党员戊"],
        ["书记辛"],
    ]


def test_chain_api_is_scoped(world, api):
    assert api(world.student).get("/api/v1/students/A1002/chain/").status_code == 200
    assert api(world.student).get("/api/v1/students/A1001/chain/").status_code == 404
    assert api(world.counselor_b).get("/api/v1/students/A1002/chain/").status_code == 404
    assert api().get("/api/v1/students/A1002/chain/").status_code in (401, 403)
