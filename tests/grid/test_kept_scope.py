"""The scope kept between requests (grid.scope.kept_scope, issue 17): with the servers' cache a
request reads the change counters instead of compiling the posts, and every change of what the
scope is made of — a post appointed or ended, a bed moved, a grant given or run out, an account
or staff record switched off, the day turning — shows on the very next request. Each "request"
loads the user afresh, as the authentication backend does."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from campusgrid.core import clock
from campusgrid.core.auth import Backend
from campusgrid.core.scoping import NOTHING, scope_for
from campusgrid.grid.models import AccessGrant, Post, PostKind
from campusgrid.grid.scope import compile_scope
from campusgrid.org.models import Bed
from campusgrid.people.models import Staff
from tests import factories as f

pytestmark = pytest.mark.django_db


def next_request(person):
    """The person's scope as the next request sees it (None: the account cannot sign in)."""
    user = Backend().get_user(person.user.pk)
    return user and scope_for(user)


def _sql(queries) -> str:
    return " ".join(q["sql"] for q in queries)


@pytest.mark.usefixtures("kept")
def test_a_kept_scope_reads_only_the_counters_and_is_the_compiled_scope(world):
    next_request(world.counselor)
    user = Backend().get_user(world.counselor.user.pk)
    with CaptureQueriesContext(connection) as queries:
        scope = scope_for(user)
    assert len(queries) == 1 and "core_tablechange" in _sql(queries)
    assert scope == compile_scope(user)
    assert scope.manage_class_ids == {world.class_a1.pk, world.class_a2.pk}


def test_without_a_cache_the_scope_is_compiled_on_every_request(world):
    next_request(world.dorm_head)
    user = Backend().get_user(world.dorm_head.user.pk)
    with CaptureQueriesContext(connection) as queries:
        scope = scope_for(user)
    assert "grid_post" in _sql(queries) and "core_tablechange" not in _sql(queries)
    assert scope.room_ids == {world.room_a1.pk}


@pytest.mark.usefixtures("kept")
def test_a_post_appointed_shows_on_the_next_request(world):
    assert next_request(world.student).room_ids == frozenset()
    room = f.RoomFactory(building=world.room_b1.building, number="999")
    bed = f.bed_in(room)
    f.PostFactory(kind=PostKind.DORM_HEAD, student=world.student, room=room)
    scope = next_request(world.student)
    assert scope.room_ids == {room.pk} and scope.bed_ids == {bed.pk}


@pytest.mark.usefixtures("kept")
def test_a_post_ended_shows_on_the_next_request(world):
    assert next_request(world.dorm_head).room_ids == {world.room_a1.pk}
    # Behind the services' back (no save()): the counters still move.
    Post.objects.filter(student=world.dorm_head, kind=PostKind.DORM_HEAD).update(end_date=clock.today())
    scope = next_request(world.dorm_head)
    assert scope.room_ids == frozenset() and scope.bed_ids == frozenset()


@pytest.mark.usefixtures("kept")
def test_a_post_running_out_overnight_shows_the_next_day(world, travel):
    now = travel(clock.now())
    Post.objects.filter(student=world.dorm_head, kind=PostKind.DORM_HEAD).update(
        end_date=clock.today() + dt.timedelta(days=1)
    )
    assert next_request(world.dorm_head).room_ids == {world.room_a1.pk}
    travel(now + dt.timedelta(days=1))
    assert next_request(world.dorm_head).room_ids == frozenset()


@pytest.mark.usefixtures("kept")
def test_a_bed_moved_shows_on_the_next_request(world):
    before = next_request(world.dorm_head).bed_ids
    bed = Bed.objects.filter(room=world.room_a1).order_by("pk").first()
    assert bed.pk in before
    Bed.objects.filter(pk=bed.pk).update(room=f.RoomFactory(building=world.room_b1.building, number="998"))
    assert next_request(world.dorm_head).bed_ids == before - {bed.pk}


@pytest.mark.usefixtures("kept")
def test_an_access_grant_given_and_run_out_shows_on_the_next_request(world):
    other = world.student_b
    assert other.pk not in next_request(world.counselor).granted_student_ids
    grant = AccessGrant.objects.create(
        user=world.counselor.user, student=other, until=clock.today(), reason="协助调查"
    )
    assert other.pk in next_request(world.counselor).granted_student_ids
    AccessGrant.objects.filter(pk=grant.pk).update(until=clock.today() - dt.timedelta(days=1))
    assert other.pk not in next_request(world.counselor).granted_student_ids


@pytest.mark.usefixtures("kept")
def test_an_account_switched_off_has_no_scope_on_the_next_request(world):
    assert next_request(world.counselor).is_manager
    get_user_model().objects.filter(pk=world.counselor.user.pk).update(is_active=False)
    assert next_request(world.counselor) is None  # the request is anonymous
    user = get_user_model().objects.get(pk=world.counselor.user.pk)  # and the object itself
    assert scope_for(user) == NOTHING


@pytest.mark.usefixtures("kept")
def test_a_staff_record_switched_off_loses_the_managing_on_the_next_request(world):
    assert next_request(world.counselor).is_staff_member
    Staff.objects.filter(pk=world.counselor.pk).update(active=False)
    scope = next_request(world.counselor)
    assert not scope.is_staff_member and not scope.manage_class_ids
