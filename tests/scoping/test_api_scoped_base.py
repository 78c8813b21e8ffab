"""Every API viewset stands on the one scoped base (core/api.py ScopedViewSetMixin),
and no scoped list repeats a row for a person who holds several posts (issue 10)."""

import pytest
from django.apps import apps

from campusgrid.core.api import ScopedViewSetMixin
from campusgrid.core.scoping import CHANGE, VIEW, forget_scope
from campusgrid.grid.models import PostKind
from campusgrid.urls import router
from tests.world import PERSONAS, post

pytestmark = pytest.mark.django_db

VIEWSETS = [viewset for _prefix, viewset, _basename in router.registry]


@pytest.mark.parametrize("viewset", VIEWSETS, ids=lambda v: v.__name__)
def test_every_viewset_gets_its_queryset_from_the_scoped_base(viewset):
    assert issubclass(viewset, ScopedViewSetMixin)
    assert viewset.selector is not None, "set `selector` to the app's selector"
    for klass in viewset.__mro__:
        if klass is ScopedViewSetMixin:
            break
        assert "get_queryset" not in vars(klass), f"{klass.__name__} writes its own get_queryset"


SCOPED_MODELS = [m for m in apps.get_models() if hasattr(m, "scope_q") and hasattr(m.objects, "visible_to")]


def _many_posts(world):
    """The counselor also teaches class A2, and leads college A:
    several posts reaching the same students, rooms and places along different paths."""
    post(PostKind.CLASS_TEACHER, staff=world.counselor, school_class=world.class_a2)
    post(PostKind.LEADER, staff=world.counselor, college=world.college_a)
    forget_scope(world.counselor.user)


def test_scoped_models_list_each_row_once_for_every_persona(world):
    _many_posts(world)
    for persona in [*PERSONAS, "small_grid_leader", "activist_mixed"]:
        user = world[persona].user
        forget_scope(user)
        for model in SCOPED_MODELS:
            for action in (VIEW, CHANGE):
                pks = list(model.objects.visible_to(user, action).values_list("pk", flat=True))
                assert len(pks) == len(set(pks)), f"{persona} sees {model.__name__} rows twice ({action})"


@pytest.mark.parametrize("prefix", [prefix for prefix, *_ in router.registry])
def test_api_lists_hold_each_row_once_for_a_person_with_several_posts(world, api, prefix):
    _many_posts(world)
    response = api(world.counselor).get(f"/api/v1/{prefix}/", {"page_size": 500})
    if response.status_code == 403:  # a list the counselor may not read at all
        return
    assert response.status_code == 200, response.content[:300]
    rows = response.json()
    rows = rows["results"] if isinstance(rows, dict) else rows
    keys = [row.get("id", row.get("student_no")) for row in rows]
    assert len(keys) == len(set(keys))


def test_party_branches_and_small_grids_are_scoped(world):
    from campusgrid.grid.models import PartyBranch, SmallGrid

    for model in (PartyBranch, SmallGrid):
        assert model.objects.visible_to(world.branch_secretary.user).count() == 1
        assert model.objects.visible_to(world.activist.user).count() == 1
        assert model.objects.visible_to(world.leader.user).count() == 1
        assert model.objects.visible_to(world.leader.user, CHANGE).count() == 1
        assert model.objects.visible_to(world.counselor.user, CHANGE).count() == 0
        assert model.objects.visible_to(world.leader_b.user).count() == 0
        assert model.objects.visible_to(world.dorm_head_b.user).count() == 0


def test_notifications_are_the_users_own_even_for_the_university_office(world):
    from campusgrid.notifications.models import Notification
    from campusgrid.notifications.services import notify

    notify(users=[world.student.user], title="学生的通知")
    notify(users=[world.office.user], title="学工部的通知")
    assert [n.title for n in Notification.objects.visible_to(world.office.user)] == ["学工部的通知"]
    assert [n.title for n in Notification.objects.visible_to(world.student.user)] == ["学生的通知"]
    assert not Notification.objects.visible_to(world.counselor.user).exists()
