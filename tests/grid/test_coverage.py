"""The coverage audit (SPEC §3, issue 3 §3 and §8): every kind of hole appears
the moment its condition is created and disappears when it is fixed; the
command and the API give the same audit, the API scoped to the caller."""

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command

from campusgrid.core.actors import SYSTEM
from campusgrid.grid import coverage, services
from campusgrid.grid.models import PartyRoom, Post, PostKind
from campusgrid.org.models import Room
from campusgrid.people.models import PoliticalStatus, Staff, Student, StudentStatus
from tests import factories as f

pytestmark = pytest.mark.django_db

EVERY_STUDENT = 14


@pytest.fixture(autouse=True)
def _today(travel):
    travel(dt.datetime(2026, 3, 2, 9, 0))


def gaps(kind=None, user=None) -> list[dict]:
    found = coverage.compute(user).gaps
    return [g for g in found if kind is None or g["kind"] == kind]


def where(kind, key, user=None) -> list:
    """The identifiers (`key`) of every gap of `kind`."""
    return sorted(g.get(key) for g in gaps(kind, user))


def end(kind, **place):
    post = Post.objects.current().get(kind=kind, **place)
    services.post_end(actor=SYSTEM, post=post, reason="测试")
    return post


def test_the_world_starts_with_no_hole(world):
    result = coverage.compute()
    assert result.gaps == []
    assert result.students_total == result.students_fully_covered == EVERY_STUDENT
    assert set(coverage.GAP_KINDS) == {
        "student_without_room",
        "student_without_class",
        "room_without_dorm_head",
        "class_without_monitor",
        "class_without_counselor",
        "college_without_leader",
        "room_without_activist",
        "room_without_small_grid",
        "activist_with_several_rooms",
        "post_holder_not_eligible",
    }


# --- each kind appears and disappears ---------------------------------------------------------


def test_student_without_room(world):
    services.student_move(actor=world.counselor.user, student=world.student, bed=None)
    assert where("student_without_room", "student_no") == ["A1002"]
    assert coverage.compute().students_fully_covered == EVERY_STUDENT - 1
    services.student_move(actor=world.counselor.user, student=world.student, bed=f.bed_in(world.room_a1))
    assert gaps() == []


def test_student_without_class(world):
    services.student_set_class(actor=world.counselor.user, student=world.student, school_class=None)
    assert where("student_without_class", "student_no") == ["A1002"]
    services.student_set_class(actor=world.counselor.user, student=world.student, school_class=world.class_a1)
    assert gaps() == []


def test_room_without_dorm_head(world):
    end(PostKind.DORM_HEAD, room=world.room_a2)
    assert where("room_without_dorm_head", "room") == ["东1/303"]
    # The three students of 303 are no longer fully covered.
    assert coverage.compute().students_fully_covered == EVERY_STUDENT - 3
    services.post_appoint(actor=SYSTEM, kind=PostKind.DORM_HEAD, holder=world.monitor_a2, place=world.room_a2)
    assert gaps() == []


def test_class_without_monitor(world):
    end(PostKind.MONITOR, school_class=world.class_b1)
    assert where("class_without_monitor", "class") == ["机械2401"]
    services.post_appoint(actor=SYSTEM, kind=PostKind.MONITOR, holder=world.student_b, place=world.class_b1)
    assert gaps() == []


def test_class_without_counselor(world):
    end(PostKind.COUNSELOR, school_class=world.class_a2)
    assert where("class_without_counselor", "class") == ["化工2402"]
    # A class teacher does not stand in for the counselor.
    services.post_appoint(
        actor=SYSTEM, kind=PostKind.CLASS_TEACHER, holder=world.class_teacher, place=world.class_a2
    )
    assert where("class_without_counselor", "class") == ["化工2402"]
    services.post_appoint(actor=SYSTEM, kind=PostKind.COUNSELOR, holder=world.counselor, place=world.class_a2)
    assert gaps() == []


def test_college_without_leader(world):
    end(PostKind.LEADER, college=world.college_b)
    assert where("college_without_leader", "college") == ["机械学院"]
    assert coverage.compute().students_fully_covered == EVERY_STUDENT - 3
    services.post_appoint(actor=SYSTEM, kind=PostKind.LEADER, holder=world.leader_b, place=world.college_b)
    assert gaps() == []


def test_an_inactive_leader_is_one_gap_not_two(world):
    world.leader_b.active = False
    world.leader_b.save()
    kinds = [g["kind"] for g in gaps()]
    assert kinds == ["post_holder_not_eligible"]


def test_room_without_activist(world):
    end(PostKind.ACTIVIST, room=world.room_mixed)
    assert where("room_without_activist", "room") == ["东1/302"]
    services.post_appoint(
        actor=SYSTEM, kind=PostKind.ACTIVIST, holder=world.activist_mixed, place=world.room_mixed
    )
    assert gaps() == []


def test_room_without_small_grid(world):
    PartyRoom.objects.filter(room=world.room_mixed).update(small_grid=None)
    assert where("room_without_small_grid", "room") == ["东1/302"]
    PartyRoom.objects.filter(room=world.room_mixed).update(small_grid=world.small_grid)
    assert gaps() == []


def test_room_of_a_small_grid_without_its_party_member(world):
    end(PostKind.SMALL_GRID_LEADER, small_grid=world.small_grid)
    assert where("room_without_small_grid", "room") == ["东1/301", "东1/302"]
    services.post_appoint(
        actor=SYSTEM, kind=PostKind.SMALL_GRID_LEADER, holder=world.branch_secretary, place=world.small_grid
    )
    assert gaps() == []


def test_party_kinds_apply_only_inside_a_branch_area(world):
    # 东1/303 and 西1/101 are outside every branch: no activist is expected there.
    kinds = {g["kind"] for g in gaps()}
    assert "room_without_activist" not in kinds and "room_without_small_grid" not in kinds
    f.PartyRoomFactory(room=world.room_a2, branch=world.branch, small_grid=None)
    assert where("room_without_activist", "room") == ["东1/303"]
    assert where("room_without_small_grid", "room") == ["东1/303"]


def test_activist_with_several_rooms(world):
    # The service refuses this; data edited behind its back (admin, SQL) still gets caught.
    end(PostKind.ACTIVIST, room=world.room_mixed)
    extra = Post.objects.create(
        kind=PostKind.ACTIVIST, student=world.activist, room=world.room_mixed, start_date=dt.date(2026, 3, 1)
    )
    found = gaps("activist_with_several_rooms")
    assert len(found) == 1
    assert found[0]["student_no"] == "A1003" and found[0]["rooms"] == ["东1/301", "东1/302"]
    services.post_end(actor=SYSTEM, post=extra)
    assert where("activist_with_several_rooms", "student_no") == []
    assert where("room_without_activist", "room") == ["东1/302"]


def _dorm_head_moves_out(w):
    services.student_move(actor=SYSTEM, student=w.dorm_head, bed=f.bed_in(w.room_a2))
    return "A1001"


def _monitor_changes_class(w):
    services.student_set_class(actor=SYSTEM, student=w.monitor, school_class=w.class_a2)
    return "A1004"


def _party_member_status_corrected(w):
    Student.objects.filter(pk=w.small_grid_leader.pk).update(political_status=PoliticalStatus.ACTIVIST)
    return "A2002"


def _activist_status_corrected(w):
    Student.objects.filter(pk=w.activist.pk).update(political_status=PoliticalStatus.APPLICANT)
    return "A1003"


def _status_changed_behind_the_services_back(w):
    Student.objects.filter(pk=w.monitor_b.pk).update(status=StudentStatus.SUSPENDED)
    return "B1003"


def _counselor_leaves(w):
    Staff.objects.filter(pk=w.counselor_b.pk).update(active=False)
    return "C0003"


@pytest.mark.parametrize(
    "cause",
    [
        _dorm_head_moves_out,
        _monitor_changes_class,
        _party_member_status_corrected,
        _activist_status_corrected,
        _status_changed_behind_the_services_back,
        _counselor_leaves,
    ],
)
def test_post_holder_not_eligible(world, cause):
    number = cause(world)
    found = gaps("post_holder_not_eligible")
    assert [g.get("student_no") or g.get("staff_no") for g in found] == [number]
    post = Post.objects.get(pk=found[0]["post_id"])
    assert post.end_date is None  # the history is untouched; the audit flags it
    services.post_end(actor=SYSTEM, post=post, reason="不再符合条件")
    assert where("post_holder_not_eligible", "post_id") == []


def test_an_ineligible_dorm_head_leaves_the_room_not_fully_covered(world):
    _dorm_head_moves_out(world)
    found = gaps("post_holder_not_eligible")
    assert found[0]["room"] == "东1/301" and "不住在该寝室" in found[0]["detail"]
    # 301 (three students left) is uncovered; 303 gained a student but has its own dorm head.
    assert coverage.compute().students_fully_covered == EVERY_STUDENT - 3
    services.post_appoint(actor=SYSTEM, kind=PostKind.DORM_HEAD, holder=world.student, place=world.room_a1)
    assert gaps() == []


# --- rooms count only while someone enrolled lives in them ------------------------------------


def test_an_empty_room_is_no_hole(world):
    empty = f.RoomFactory(building=world.room_a1.building, number="399")
    f.PartyRoomFactory(room=empty, branch=world.branch, small_grid=None)
    assert gaps() == []


def test_a_room_whose_residents_are_not_enrolled_is_no_hole(world):
    end(PostKind.DORM_HEAD, room=world.room_b1)
    assert where("room_without_dorm_head", "room") == ["西1/101"]
    # Statuses changed but beds still recorded (e.g. edited in the admin): the room no longer counts.
    Student.objects.filter(bed__room=world.room_b1).update(status=StudentStatus.SUSPENDED)
    assert where("room_without_dorm_head", "room") == []


def test_a_room_counts_again_when_a_student_moves_in(world):
    room = f.RoomFactory(building=world.room_a1.building, number="398")
    assert gaps() == []
    services.student_move(actor=world.counselor.user, student=world.student, bed=f.bed_in(room))
    assert where("room_without_dorm_head", "room") == ["东1/398"]
    services.post_appoint(actor=SYSTEM, kind=PostKind.DORM_HEAD, holder=world.student, place=room)
    assert gaps() == []


# --- coverage stays true while data changes ---------------------------------------------------


def test_graduating_the_dorm_head_opens_the_hole_at_once_and_keeps_history(world):
    services.student_status_change(actor=world.counselor.user, student=world.dorm_head, status="graduated")
    result = coverage.compute()
    assert result.students_total == EVERY_STUDENT - 1
    assert [g["kind"] for g in result.gaps] == ["room_without_dorm_head"]
    assert result.gaps[0]["room"] == "东1/301"
    post = Post.objects.get(student=world.dorm_head, kind=PostKind.DORM_HEAD)
    assert post.end_date == dt.date(2026, 3, 2) and "毕业" in post.end_reason


def test_graduating_a_whole_class_removes_it_from_the_audit(world):
    posts_before = Post.objects.count()
    for student in Student.objects.filter(school_class=world.class_b1):
        services.student_status_change(actor=world.office.user, student=student, status="graduated")
    result = coverage.compute()
    assert result.gaps == []
    assert result.students_total == EVERY_STUDENT - 3
    assert Post.objects.count() == posts_before
    assert Post.objects.filter(student__school_class=world.class_b1, end_date__isnull=False).count() == 2


def test_changing_a_status_back_brings_the_student_back_without_a_room(world):
    services.student_status_change(actor=SYSTEM, student=world.student, status=StudentStatus.SUSPENDED)
    assert gaps() == []
    services.student_status_change(actor=SYSTEM, student=world.student, status=StudentStatus.ENROLLED)
    assert where("student_without_room", "student_no") == ["A1002"]


def test_moving_a_student_updates_the_rates_at_once(world):
    services.post_end(
        actor=SYSTEM, post=Post.objects.current().get(kind=PostKind.DORM_HEAD, room=world.room_b1)
    )
    before = {r.label: (r.total, r.covered) for r in coverage.compute().by_building}
    assert before == {"东1": (11, 11), "西1": (3, 0)}
    services.student_move(actor=SYSTEM, student=world.student, bed=f.bed_in(world.room_b1))
    result = coverage.compute()
    assert {r.label: (r.total, r.covered) for r in result.by_building} == {"东1": (10, 10), "西1": (4, 0)}
    by_class = {r.label: (r.total, r.covered) for r in result.by_class}
    assert by_class["化工2401"] == (6, 5)


# --- the command --------------------------------------------------------------------------------


def run_coverage(*args) -> tuple[int, str]:
    out = io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("coverage", *args, stdout=out)
    return exit_info.value.code, out.getvalue()


def test_coverage_command_exits_0_without_holes(world):
    code, out = run_coverage()
    assert code == 0
    assert "在校学生 14 人" in out and "漏洞 0 处" in out


def test_coverage_command_exits_1_with_holes_and_lists_them(world):
    end(PostKind.DORM_HEAD, room=world.room_a2)
    end(PostKind.MONITOR, school_class=world.class_b1)
    code, out = run_coverage()
    assert code == 1
    assert "东1/303" in out and "机械2401" in out and "寝室没有舍长" in out


def test_coverage_command_json(world):
    end(PostKind.DORM_HEAD, room=world.room_a2)
    services.student_move(actor=SYSTEM, student=world.student, bed=None)
    end(PostKind.LEADER, college=world.college_b)
    end(PostKind.COUNSELOR, school_class=world.class_b1)
    code, out = run_coverage("--json")
    assert code == 1
    data = json.loads(out)
    assert {"students_total", "students_fully_covered", "gaps"} <= set(data)
    assert data["students_total"] == EVERY_STUDENT
    assert data["students_fully_covered"] == EVERY_STUDENT - 3 - 1 - 3
    by_kind = {g["kind"]: g for g in data["gaps"]}
    assert by_kind["room_without_dorm_head"]["room"] == "东1/303"
    assert by_kind["student_without_room"]["student_no"] == "A1002"
    assert by_kind["college_without_leader"]["college"] == "机械学院"
    assert by_kind["class_without_counselor"]["class"] == "机械2401"
    assert all("kind" in g for g in data["gaps"])


def test_coverage_command_json_without_holes(world):
    code, out = run_coverage("--json")
    assert code == 0
    assert json.loads(out)["gaps"] == []


# --- the API -----------------------------------------------------------------------------------


def test_coverage_api_is_scoped_to_the_caller(world, api):
    end(PostKind.DORM_HEAD, room=world.room_a2)
    end(PostKind.MONITOR, school_class=world.class_b1)
    cases = {
        "office": (14, {"东1/303", "机械2401"}),
        "leader": (11, {"东1/303"}),
        "counselor": (11, {"东1/303"}),
        "class_teacher": (6, set()),
        "leader_b": (3, {"机械2401"}),
        "counselor_b": (3, {"机械2401"}),
        "dorm_head": (4, set()),
    }
    for persona, (total, places) in cases.items():
        data = api(world[persona]).get("/api/v1/coverage/").json()
        assert data["students_total"] == total, persona
        assert {g.get("room") or g.get("class") for g in data["gaps"]} == places, persona


def test_coverage_api_filters_by_kind_and_matches_the_command(world, api):
    end(PostKind.DORM_HEAD, room=world.room_a2)
    end(PostKind.MONITOR, school_class=world.class_b1)
    data = api(world.office).get("/api/v1/coverage/").json()
    code, out = run_coverage("--json")
    assert data == json.loads(out)
    only = api(world.office).get("/api/v1/coverage/", {"kind": "class_without_monitor"}).json()
    assert [g["class"] for g in only["gaps"]] == ["机械2401"]


def test_coverage_api_needs_login(world, api):
    assert api().get("/api/v1/coverage/").status_code in (401, 403)


def test_a_new_room_in_scope_shows_on_the_counselors_audit(world, api):
    room = Room.objects.create(building=world.room_a1.building, floor=world.room_a1.floor, number="397")
    services.student_move(actor=SYSTEM, student=world.mixed_a2, bed=f.bed_in(room))
    data = api(world.counselor).get("/api/v1/coverage/").json()
    assert [g["room"] for g in data["gaps"]] == ["东1/397"]
    assert api(world.counselor_b).get("/api/v1/coverage/").json()["gaps"] == []
