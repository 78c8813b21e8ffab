"""The coverage audit kept between requests (grid.coverage.compute_cached) never shows an old
answer: a hole appears the moment it is created — by a service, or by a bulk update that
bypasses every save() — and disappears the moment it is filled."""

import pytest
from django.core.cache import cache

from campusgrid.grid import coverage
from campusgrid.grid.models import Post, PostKind

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("kept")]


def test_the_cache_is_on_here_and_keeps_the_audit(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    coverage.compute_cached(world.leader.user)
    with CaptureQueriesContext(connection) as queries:
        coverage.compute_cached(world.leader.user)
    assert len(queries) == 1  # the fingerprint only


def _holes(user, kind):
    return [g for g in coverage.compute_cached(user).gaps if g["kind"] == kind]


def test_a_hole_shows_the_moment_a_post_is_ended_even_by_a_bulk_update(world, login):
    cache.clear()
    leader = world.leader.user
    before = _holes(leader, "room_without_dorm_head")
    assert (
        coverage.compute_cached(leader).gaps == coverage.compute(leader).gaps
    )  # the kept answer is the answer
    post = Post.objects.current().filter(kind=PostKind.DORM_HEAD, room=world.room_a1).get()
    Post.objects.filter(pk=post.pk).update(end_date=post.start_date)  # no save(), no service
    after = _holes(leader, "room_without_dorm_head")
    assert len(after) == len(before) + 1
    page = login(world.leader).get("/grid/coverage/", {"kind": "room_without_dorm_head"})
    assert world.room_a1.label in page.content.decode()
    Post.objects.filter(pk=post.pk).update(end_date=None)
    assert _holes(leader, "room_without_dorm_head") == before


def test_a_student_moved_out_of_their_bed_is_a_hole_at_once(world):
    cache.clear()
    counselor = world.counselor.user
    before = _holes(counselor, "student_without_room")
    type(world.student).objects.filter(pk=world.student.pk).update(bed=None)
    assert len(_holes(counselor, "student_without_room")) == len(before) + 1


def test_each_scope_keeps_its_own_answer(world):
    cache.clear()
    assert (
        coverage.compute_cached(world.leader.user).students_total
        == coverage.compute(world.leader.user).students_total
    )
    assert (
        coverage.compute_cached(world.leader_b.user).students_total
        == coverage.compute(world.leader_b.user).students_total
    )
    assert (
        coverage.compute_cached(world.leader.user).students_total
        != coverage.compute_cached(world.leader_b.user).students_total
    )
