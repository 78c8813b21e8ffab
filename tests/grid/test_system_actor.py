"""The system acts as `core.actors.SYSTEM`, never as `actor=None` (issue 10): the guarded
services refuse a None actor with a TypeError for the programmer instead of allowing
everything, admit SYSTEM for system work, and the audit rows of system work name the system."""

import datetime as dt

import pytest

from campusgrid.core.actors import SYSTEM
from campusgrid.core.errors import NotAllowed
from campusgrid.core.models import AuditEvent
from campusgrid.dossiers.imports import import_screening
from campusgrid.grid import services
from campusgrid.grid.imports import import_roster, import_staff
from campusgrid.grid.models import Post, PostKind
from campusgrid.ledgers.services import room_ratings_compute
from campusgrid.org.models import Semester
from campusgrid.people.models import PoliticalStatus, StudentStatus
from campusgrid.people.retention import retention_run
from campusgrid.people.services import political_status_change
from campusgrid.service.models import SessionKind
from campusgrid.service.services import session_create, team_create
from tests.grid import rosters as r

pytestmark = pytest.mark.django_db

REFUSED = "actor=None is not allowed"


@pytest.fixture(autouse=True)
def _today(travel):
    travel(dt.datetime(2026, 3, 2, 9, 0))


def _calls(world, tmp_path):
    """Every guarded entry point, called with actor=None."""
    starts = dt.datetime(2026, 3, 9, 19, 0, tzinfo=dt.UTC)
    missing = tmp_path / "never-read.xlsx"
    return {
        "may_manage_place": lambda: services.may_manage_place(None, PostKind.DORM_HEAD, world.room_a1),
        "post_appoint": lambda: services.post_appoint(
            actor=None, kind=PostKind.DORM_HEAD, holder=world.student, place=world.room_a1
        ),
        "post_end": lambda: services.post_end(
            actor=None, post=Post.objects.get(kind=PostKind.MONITOR, student=world.monitor)
        ),
        "student_status_change": lambda: services.student_status_change(
            actor=None, student=world.student, status=StudentStatus.SUSPENDED
        ),
        "student_move": lambda: services.student_move(actor=None, student=world.student, bed=None),
        "student_set_class": lambda: services.student_set_class(
            actor=None, student=world.student, school_class=world.class_a2
        ),
        "import_roster": lambda: import_roster(missing, actor=None),
        "import_staff": lambda: import_staff(missing, actor=None),
        "import_screening": lambda: import_screening(missing, semester="2025-2026学年第二学期", actor=None),
        "room_ratings_compute": lambda: room_ratings_compute(actor=None, semester=None),
        "retention_run": lambda: retention_run(actor=None, dry_run=True),
        "political_status_change": lambda: political_status_change(
            actor=None, student=world.student, status=PoliticalStatus.ACTIVIST
        ),
        "session_create": lambda: session_create(
            actor=None,
            kind=SessionKind.VOLUNTEER,
            title="宿舍楼清扫",
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=2),
            college=world.college_a,
        ),
        "team_create": lambda: team_create(actor=None, college=world.college_a, name="清扫队", theme="环境"),
    }


CALLS = [
    "may_manage_place",
    "post_appoint",
    "post_end",
    "student_status_change",
    "student_move",
    "student_set_class",
    "import_roster",
    "import_staff",
    "import_screening",
    "room_ratings_compute",
    "retention_run",
    "political_status_change",
    "session_create",
    "team_create",
]


@pytest.mark.parametrize("name", CALLS)
def test_a_none_actor_is_refused_not_treated_as_the_system(world, tmp_path, name):
    posts, events = Post.objects.count(), AuditEvent.objects.count()
    with pytest.raises(TypeError, match=REFUSED):
        _calls(world, tmp_path)[name]()
    assert (Post.objects.count(), AuditEvent.objects.count()) == (posts, events)


def test_the_system_may_appoint_and_end_posts_anywhere(world):
    assert services.may_manage_place(SYSTEM, PostKind.DORM_HEAD, world.room_b1)
    post = services.post_appoint(
        actor=SYSTEM, kind=PostKind.DORM_HEAD, holder=world.student_b, place=world.room_b1
    )
    assert post.appointed_by is None  # the system is no user
    services.post_end(actor=SYSTEM, post=post, reason="测试")
    services.student_move(actor=SYSTEM, student=world.student, bed=None)
    services.student_set_class(actor=SYSTEM, student=world.student, school_class=world.class_b1)
    assert Post.objects.get(pk=post.pk).end_date is not None


def test_audit_rows_of_system_work_name_the_system(world):
    post = services.post_appoint(
        actor=SYSTEM, kind=PostKind.DORM_HEAD, holder=world.student, place=world.room_a1
    )
    event = AuditEvent.objects.get(verb="post.appoint", target_id=str(post.pk))
    assert event.actor is None and event.data["actor"] == "system"
    by_a_person = services.post_appoint(
        actor=world.counselor.user, kind=PostKind.DORM_HEAD, holder=world.monitor, place=world.room_a1
    )
    event = AuditEvent.objects.get(verb="post.appoint", target_id=str(by_a_person.pk))
    assert event.actor == world.counselor.user and "actor" not in event.data


def test_a_political_status_change_by_the_system_has_no_recorder_and_says_so(world):
    change = political_status_change(actor=SYSTEM, student=world.student, status=PoliticalStatus.ACTIVIST)
    assert change.recorded_by is None  # the system is no user
    world.student.refresh_from_db()
    assert world.student.political_status == PoliticalStatus.ACTIVIST
    event = AuditEvent.objects.get(verb="student.political_status", target_id=str(world.student.pk))
    assert event.actor is None and event.data["actor"] == "system"


def test_an_import_as_the_system_writes_all_and_its_audit_row_names_the_system(tmp_path):
    result = import_roster(r.write_xlsx(tmp_path / "roster.xlsx", r.small_roster()), actor=SYSTEM)
    assert result.ok and result.applied
    event = AuditEvent.objects.get(verb="import.roster")
    assert event.actor is None and event.data["actor"] == "system"


def test_the_system_rates_rooms_but_is_no_one_for_human_only_work(world):
    semester = Semester.objects.create(
        name="2025-2026学年第一学期", start=dt.date(2025, 9, 1), end=dt.date(2026, 1, 17)
    )
    assert room_ratings_compute(actor=SYSTEM, semester=semester) == 0  # nothing inspected, nothing rated
    assert AuditEvent.objects.get(verb="rating.compute").data["actor"] == "system"
    starts = dt.datetime(2026, 3, 9, 19, 0, tzinfo=dt.UTC)
    with pytest.raises(NotAllowed):  # publishing a session is a person's act: the system may not
        session_create(
            actor=SYSTEM,
            kind=SessionKind.VOLUNTEER,
            title="宿舍楼清扫",
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=2),
            college=world.college_a,
        )
