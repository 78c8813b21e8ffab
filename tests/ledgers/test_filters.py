"""One FilterSet per list shared by the page, its export and the API (issue 10): the
leave list and the findings list answer the same filters the same way, with choices
limited to the user's reach."""

import datetime as dt

import pytest
from django.urls import reverse

from campusgrid.ledgers import services
from campusgrid.ledgers.filters import FindingFilter, LeaveFilter
from campusgrid.ledgers.models import Finding, InspectionItem, LeaveRequest, LeaveState

from .conftest import NIGHT, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def leaves(world, term, travel):
    travel(at(NIGHT, 9))
    made = {}
    for who, day, state in (
        ("student", 1, LeaveState.APPROVED),
        ("activist", 5, LeaveState.PENDING),
        ("student_b", 1, LeaveState.APPROVED),
    ):
        made[who] = LeaveRequest.objects.create(
            student=world[who],
            start=at(NIGHT + dt.timedelta(days=day), 8),
            end=at(NIGHT + dt.timedelta(days=day + 1), 8),
            reason="回家",
            state=state,
        )
    return made


def page_ids(client, name, params, marker):
    text = client.get(reverse(name), params).content.decode()
    return {int(chunk.split('"', 1)[0]) for chunk in text.split(f'{marker}="')[1:]}


def api_ids(client, url, params):
    return {row["id"] for row in client.get(url, params).json()["results"]}


@pytest.mark.parametrize(
    "params",
    [
        {"state": "approved"},
        {"date_from": "2025-11-06", "date_to": "2025-11-09"},
        {"current": "on"},
        {"class": "化工2401", "state": "pending"},
        {"student_no": "A1002"},
    ],
)
def test_leave_page_and_api_answer_a_filter_alike(world, leaves, login, api, travel, params):
    travel(at(NIGHT + dt.timedelta(days=1), 12))  # 张三 is on leave now
    page = page_ids(login(world.counselor), "ledgers:leave-list", params, "data-leave-id")
    from_api = api_ids(
        api(world.counselor), "/api/v1/leaves/", {**params, "current": "1"} if "current" in params else params
    )
    assert page == from_api
    expected = {
        "state": {leaves["student"].pk},
        "date_from": {leaves["activist"].pk},
        "current": {leaves["student"].pk},
        "class": {leaves["activist"].pk},
        "student_no": {leaves["student"].pk},
    }[next(iter(params))]
    assert page == expected


def test_leave_class_choices_stay_in_reach(world, leaves, api):
    filterset = LeaveFilter({}, queryset=LeaveRequest.objects.all(), user=world.counselor.user)
    classes = set(filterset.filters["school_class"].queryset.values_list("name", flat=True))
    assert "机械2401" not in classes and {"化工2401", "化工2402"} <= classes
    # Another college's class is no valid choice: the API finds nothing, leaks nothing.
    assert api_ids(api(world.counselor), "/api/v1/leaves/", {"class": "机械2401"}) == set()
    assert api_ids(api(world.counselor_b), "/api/v1/leaves/", {"class": "机械2401"}) == {
        leaves["student_b"].pk
    }


@pytest.fixture
def findings(world, term, travel):
    travel(at(NIGHT, 10))
    made = []
    for actor, room, item in (
        ("counselor", world.room_a1, "违章电器"),
        ("counselor", world.room_mixed, "卫生"),
        ("counselor_b", world.room_b1, "违章电器"),
    ):
        round_ = services.inspection_round_create(actor=world[actor].user, title="周检", rooms=[room])
        found = InspectionItem.objects.filter(name__contains=item).first() or InspectionItem.objects.first()
        made.append(
            services.finding_add(
                actor=world[actor].user,
                inspection=round_.inspections.get(),
                item=found,
                deadline=NIGHT + dt.timedelta(days=2),
            )
        )
    return made


@pytest.mark.parametrize("params", [{"overdue": "on"}, {"building": "东1"}, {"date_from": "2025-11-03"}])
def test_finding_page_and_api_answer_a_filter_alike(world, findings, login, api, travel, params):
    travel(at(NIGHT + dt.timedelta(days=3), 10))  # past the deadline
    page = page_ids(login(world.counselor), "ledgers:finding-list", params, "data-finding")
    api_params = {"overdue": "1"} if "overdue" in params else params
    assert page == api_ids(api(world.counselor), "/api/v1/findings/", api_params)
    assert page == {findings[0].pk, findings[1].pk}


def test_finding_building_choices_stay_in_reach(world, findings, api):
    filterset = FindingFilter({}, queryset=Finding.objects.all(), user=world.counselor.user)
    assert set(filterset.filters["building"].queryset.values_list("name", flat=True)) == {"东1"}
    assert api_ids(api(world.counselor), "/api/v1/findings/", {"building": "西1"}) == set()
    assert api_ids(api(world.counselor_b), "/api/v1/findings/", {"building": "西1"}) == {findings[2].pk}
