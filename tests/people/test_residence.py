"""住宿记录 (people.residence): every path that changes a student's bed writes the history, in
the same statement (database triggers), dated by the app's clock; retention erases it."""

import contextlib
import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from campusgrid.core.actors import SYSTEM
from campusgrid.grid import services as grid_services
from campusgrid.org.models import Bed
from campusgrid.people import residence
from campusgrid.people import services as people_services
from campusgrid.people.models import Residence, Student, StudentStatus
from campusgrid.people.retention import retention_run

from .. import factories as f

pytestmark = pytest.mark.django_db

AUG_20 = dt.date(2025, 8, 20)
OCT_15 = dt.date(2025, 10, 15)


def moment(day: dt.date):
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, 9))


@contextlib.contextmanager
def writing_on(travel, day: dt.date):
    """The clock moved to `day`, and the block's direct writes (factories, bulk updates) dated
    by it on PostgreSQL too (which otherwise dates them by the database's own day; SQLite's
    trigger asks the clock)."""
    travel(moment(day))
    with transaction.atomic(), residence.dated():
        yield


def stays(student) -> list[tuple]:
    return list(
        Residence.objects.filter(student=student)
        .order_by("since", "id")
        .values_list("room_id", "since", "until")
    )


@pytest.fixture
def rooms():
    building = f.BuildingFactory(name="南3")
    return [f.RoomFactory(building=building, number=n) for n in ("101", "102", "103")]


def test_a_student_created_in_a_bed_opens_a_stay_on_the_clocks_day(travel, rooms):
    with writing_on(travel, AUG_20):
        student = f.StudentFactory(room=rooms[0])
    assert stays(student) == [(rooms[0].pk, AUG_20, None)]
    assert residence.begins() == AUG_20


def test_the_move_service_closes_the_old_stay_and_opens_the_new_one(travel, rooms):
    with writing_on(travel, AUG_20):
        student = f.StudentFactory(room=rooms[0])
    travel(moment(OCT_15))
    people_services.student_assign_bed(actor=SYSTEM, student=student, bed=f.bed_in(rooms[1]))
    assert stays(student) == [(rooms[0].pk, AUG_20, OCT_15), (rooms[1].pk, OCT_15, None)]
    # The day's query: the old room the day before, the new one from the day of the move.
    assert residence.rooms_on(
        Student.objects.filter(pk=student.pk).values("pk"), OCT_15 - dt.timedelta(1)
    ) == {student.pk: rooms[0].pk}
    assert residence.rooms_on(Student.objects.filter(pk=student.pk).values("pk"), OCT_15) == {
        student.pk: rooms[1].pk
    }


def test_two_moves_in_one_day_leave_no_empty_stay(travel, rooms):
    with writing_on(travel, AUG_20):
        student = f.StudentFactory(room=rooms[0])
    travel(moment(OCT_15))
    people_services.student_assign_bed(actor=SYSTEM, student=student, bed=f.bed_in(rooms[1]))
    people_services.student_assign_bed(actor=SYSTEM, student=student, bed=f.bed_in(rooms[2]))
    assert stays(student) == [(rooms[0].pk, AUG_20, OCT_15), (rooms[2].pk, OCT_15, None)]


def test_a_bulk_update_and_a_bulk_create_write_the_history_too(travel, rooms):
    """The roster import's and the demo builder's paths (QuerySet.update / bulk_update /
    bulk_create bypass save()): the trigger sees them."""
    with writing_on(travel, AUG_20):
        first, second = f.StudentFactory(room=rooms[0]), f.StudentFactory(room=rooms[0])
    with writing_on(travel, OCT_15):
        Student.objects.filter(pk=first.pk).update(bed=f.bed_in(rooms[1]))
        second.bed = f.bed_in(rooms[2])
        Student.objects.bulk_update([second], ["bed"])
    assert stays(first) == [(rooms[0].pk, AUG_20, OCT_15), (rooms[1].pk, OCT_15, None)]
    assert stays(second) == [(rooms[0].pk, AUG_20, OCT_15), (rooms[2].pk, OCT_15, None)]
    with writing_on(travel, OCT_15):
        Student.objects.bulk_create(
            [
                Student(
                    student_no="X0001",
                    name="新生",
                    gender="男",
                    college=first.college,
                    bed=f.bed_in(rooms[2]),
                )
            ]
        )
    assert stays(Student.objects.get(student_no="X0001")) == [(rooms[2].pk, OCT_15, None)]
    # An update that leaves the bed alone writes nothing.
    Student.objects.filter(pk=first.pk).update(name="改名")
    assert len(stays(first)) == 2


def test_leaving_frees_the_bed_and_ends_the_stay_on_the_day_of_leaving(travel, rooms):
    with writing_on(travel, AUG_20):
        student = f.StudentFactory(room=rooms[0])
    travel(moment(dt.date(2026, 1, 5)))
    grid_services.student_status_change(
        actor=SYSTEM, student=student, status=StudentStatus.GRADUATED, on=dt.date(2025, 12, 31)
    )
    assert Student.objects.get(pk=student.pk).bed_id is None
    assert stays(student) == [(rooms[0].pk, AUG_20, dt.date(2025, 12, 31))]


def test_deleting_a_bed_ends_its_stay(travel, rooms):
    with writing_on(travel, AUG_20):
        student = f.StudentFactory(room=rooms[0])
    with writing_on(travel, OCT_15):
        Bed.objects.filter(pk=student.bed_id).delete()  # Django sets the student's bed to NULL first
    assert stays(student) == [(rooms[0].pk, AUG_20, OCT_15)]  # the stay keeps its room


def test_retention_erases_the_stays_of_students_who_left_long_ago(travel, rooms, settings):
    settings.CAMPUSGRID_RETENTION_YEARS = {"graduated": 2, "withdrawn": 2}
    with writing_on(travel, AUG_20):
        gone, staying = f.StudentFactory(room=rooms[0]), f.StudentFactory(room=rooms[1])
    travel(moment(dt.date(2025, 12, 31)))
    grid_services.student_status_change(actor=SYSTEM, student=gone, status=StudentStatus.GRADUATED)
    travel(moment(dt.date(2028, 1, 5)))  # two years after leaving
    assert retention_run(actor=SYSTEM, dry_run=True)["住宿记录"] == 1
    assert stays(gone) != []
    result = retention_run(actor=SYSTEM)
    assert result["住宿记录"] == 1
    assert stays(gone) == []
    assert stays(staying) == [(rooms[1].pk, AUG_20, None)]


def test_the_history_is_scoped_as_its_students(world):
    counselor_b = world.counselor_b.user
    visible = set(Residence.objects.visible_to(counselor_b).values_list("student__college_id", flat=True))
    assert visible == {world.college_b.pk}
    assert Residence.objects.filter(student__college=world.college_a).exists()


def test_the_roster_import_writes_the_history_of_the_beds_it_sets(travel, tmp_path):
    from campusgrid.grid.imports import import_roster

    from ..grid import rosters as r

    travel(moment(AUG_20))
    assert import_roster(r.write_xlsx(tmp_path / "first.xlsx", r.small_roster()), actor=SYSTEM).ok
    third, fourth = (Student.objects.get(student_no=n) for n in ("S2401003", "S2401004"))
    rooms = (third.bed.room_id, fourth.bed.room_id)
    travel(moment(OCT_15))
    rows = r.small_roster()
    rows[2]["床位"], rows[3]["床位"] = "4", "3"  # the two swap beds (same room)
    result = import_roster(r.write_xlsx(tmp_path / "swap.xlsx", rows), actor=SYSTEM)
    assert result.ok, result.errors
    for student, room in zip((third, fourth), rooms, strict=True):
        history = list(
            Residence.objects.filter(student=student)
            .order_by("since")
            .values_list("since", "until", "bed__number")
        )
        assert [(since, until) for since, until, _ in history] == [(AUG_20, OCT_15), (OCT_15, None)]
        assert history[1][2] == Student.objects.get(pk=student.pk).bed.number != history[0][2]
        assert set(Residence.objects.filter(student=student).values_list("room_id", flat=True)) == {room}
