"""Issue 10 bug 4: who sees which staff (Staff.scope_q, untested before and answering
every active staff member of the university), and posts edited in the admin going
through the grid services (eligibility, succession, audit)."""

import datetime as dt

import pytest

from campusgrid.core import clock
from campusgrid.core.models import AuditEvent
from campusgrid.grid.models import Post, PostKind
from campusgrid.people.models import Staff
from tests import factories as f

pytestmark = pytest.mark.django_db


def staff_seen(person) -> set[str]:
    return set(Staff.objects.visible_to(person.user).values_list("staff_no", flat=True))


COLLEGE_A = {"C0001", "C0002", "L0001"}
COLLEGE_B = {"C0003", "L0002"}
OFFICE = {"X0001"}


@pytest.mark.parametrize(
    "persona", ["counselor", "class_teacher", "leader", "dorm_head", "monitor", "student"]
)
def test_staff_see_the_staff_of_their_own_college_and_the_office_only(world, persona):
    assert staff_seen(world[persona]) == COLLEGE_A | OFFICE


def test_college_b_sees_its_own_staff(world):
    assert staff_seen(world.leader_b) == COLLEGE_B | OFFICE
    assert staff_seen(world.student_b) == COLLEGE_B | OFFICE


def test_the_university_office_sees_every_staff_member(world):
    assert staff_seen(world.office) == COLLEGE_A | COLLEGE_B | OFFICE


def test_departed_staff_are_seen_by_levels_three_and_four_only(world):
    f.StaffFactory(staff_no="C0099", name="离职辅导员", college=world.college_a, active=False)
    assert "C0099" in staff_seen(world.counselor)
    assert "C0099" in staff_seen(world.leader)
    assert "C0099" not in staff_seen(world.monitor)
    assert "C0099" not in staff_seen(world.leader_b)


@pytest.fixture
def admin_client(client, db):
    admin = f.UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    return client


def test_admin_appointment_goes_through_the_service_with_succession_and_audit(world, admin_client):
    today = clock.today().isoformat()
    response = admin_client.post(
        "/admin/grid/post/add/",
        {
            "kind": PostKind.DORM_HEAD,
            "student": world.student.pk,
            "room": world.room_a1.pk,
            "start_date": today,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    current = Post.objects.current().get(kind=PostKind.DORM_HEAD, room=world.room_a1)
    assert current.student == world.student
    assert current.appointed_by.username == "root"
    previous = Post.objects.get(kind=PostKind.DORM_HEAD, student=world.dorm_head)
    assert previous.end_date is not None and "接任" in previous.end_reason  # succession applied
    assert AuditEvent.objects.filter(verb="post.appoint", target_id=str(current.pk)).exists()


def test_admin_refuses_an_ineligible_appointment_with_the_services_reason(world, admin_client):
    response = admin_client.post(
        "/admin/grid/post/add/",
        {
            "kind": PostKind.DORM_HEAD,
            "student": world.student_b.pk,  # lives in 西1/101, not 东1/301
            "room": world.room_a1.pk,
            "start_date": clock.today().isoformat(),
        },
    )
    assert response.status_code == 200
    assert "不能任命" in response.content.decode()
    assert not Post.objects.filter(
        student=world.student_b, kind=PostKind.DORM_HEAD, room=world.room_a1
    ).exists()
    assert not AuditEvent.objects.filter(verb="post.appoint").exists()


def test_admin_ends_a_post_through_the_service_and_cannot_edit_its_history(world, admin_client):
    post = Post.objects.get(kind=PostKind.MONITOR, student=world.monitor)
    response = admin_client.post(
        f"/admin/grid/post/{post.pk}/change/",
        {"end_date": "2026-01-15", "end_reason": "辞去职务", "student": world.student_b.pk},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    post.refresh_from_db()
    assert post.end_date == dt.date(2026, 1, 15) and post.end_reason == "辞去职务"
    assert post.student == world.monitor  # the holder is history: not editable
    assert AuditEvent.objects.filter(verb="post.end", target_id=str(post.pk)).exists()
    assert admin_client.post(f"/admin/grid/post/{post.pk}/delete/", {"post": "yes"}).status_code == 403
