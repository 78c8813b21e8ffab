"""Volunteer teams (党员志愿服务队): members, activities, participants, students served, hours."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from campusgrid.core.errors import Conflict, NotAllowed, ServiceError
from campusgrid.service import selectors, services
from campusgrid.service.models import TeamMember

from .test_sessions import START


def _team(world):
    team = services.team_create(
        actor=world.leader.user,
        college=world.college_a,
        branch=world.branch,
        name="平安公寓服务队",
        theme="平安公寓",
    )
    services.team_member_add(actor=world.counselor.user, team=team, students=[world.student, world.monitor])
    return team


def _activity(world, travel, team, day, hours="2"):
    travel(day - dt.timedelta(days=1))
    return services.session_create(
        actor=world.counselor.user,
        kind="volunteer",
        title=f"宿舍安全宣传{day:%m%d}",
        starts_at=day,
        ends_at=day + dt.timedelta(hours=2),
        hours=Decimal(hours),
        team=team,
        audience_classes=[world.class_a1],
    )


def test_team_figures_count_activities_participations_and_students_served(world, travel):
    team = _team(world)
    one = _activity(world, travel, team, START)
    two = _activity(world, travel, team, START + dt.timedelta(days=7), hours="3")
    travel(START + dt.timedelta(days=8))
    for session in (one, two):
        services.attendance_record(
            actor=world.counselor.user, session=session, student=world.student, status="present"
        )
    services.attendance_record(actor=world.counselor.user, session=one, student=world.monitor, status="late")
    services.session_record_served(
        actor=world.counselor.user, session=one, students=[world.mixed_a2], count=40
    )
    services.session_record_served(actor=world.counselor.user, session=two, students=[], count=25)
    services.hours_credit(actor=world.counselor.user, session=one)
    services.hours_credit(actor=world.counselor.user, session=two)
    row = selectors.team_list(user=world.leader.user).get(pk=team.pk)
    assert (row.member_count, row.activity_count, row.participant_count) == (2, 2, 3)
    assert row.served_counted + row.served_known == 66
    members = {m["student"].student_no: m for m in selectors.team_members(team=team)}
    assert members["A1002"]["total_hours"] == Decimal("5.0")
    assert members["A1004"]["total_hours"] == Decimal("2.0")
    totals = selectors.team_totals(user=world.leader.user)
    assert totals == {"teams": 1, "activities": 2, "participants": 3, "served": 66}


def test_only_the_colleges_staff_manage_a_team(world):
    with pytest.raises(NotAllowed):
        services.team_create(actor=world.leader_b.user, college=world.college_a, name="队", theme="学业互助")
    team = _team(world)
    with pytest.raises(NotAllowed):
        services.team_member_add(actor=world.counselor_b.user, team=team, students=[world.student])
    with pytest.raises(ServiceError, match="不是本学院学生"):
        services.team_member_add(actor=world.leader.user, team=team, students=[world.student_b])
    with pytest.raises(Conflict):
        services.team_create(
            actor=world.leader.user, college=world.college_a, name="平安公寓服务队", theme="平安公寓"
        )


def test_adding_a_member_twice_keeps_one_membership_and_leaving_ends_it(world):
    team = _team(world)
    assert services.team_member_add(actor=world.leader.user, team=team, students=[world.student]) == []
    services.team_member_remove(actor=world.leader.user, team=team, student=world.student)
    assert not TeamMember.objects.filter(team=team, student=world.student, left_on__isnull=True).exists()
    services.team_member_add(actor=world.leader.user, team=team, students=[world.student])
    assert TeamMember.objects.filter(team=team, student=world.student).count() == 2


def test_team_pages(world, login):
    team = _team(world)
    client = login(world.counselor)
    assert "平安公寓服务队" in client.get(reverse("service:team-list")).content.decode()
    response = client.post(reverse("service:team-detail", args=[team.pk]), {"student_numbers": "A1003 NOPE"})
    assert "找不到学号：NOPE" in response.content.decode()
    response = client.post(reverse("service:team-new"), {"name": "", "theme": "学业互助"})
    assert response.status_code == 200 and "队名" in response.content.decode()
    # A member sees the team, names without 学号.
    html = login(world.student).get(reverse("service:team-detail", args=[team.pk])).content.decode()
    assert "班长丙" in html and "A1004" not in html
