"""Menus, panels and buttons come from what the person may do (issue 12 item 10), asked of one
vocabulary on the scope (issue 10): the predicates say exactly what the querysets say."""

import re

import pytest
from django.test import RequestFactory
from django.urls import reverse

from campusgrid.core.registry import render_panels
from campusgrid.core.scoping import CHANGE, forget_scope, scope_for
from campusgrid.grid.policy import may_check_room
from campusgrid.ledgers import selectors as ledger_selectors
from campusgrid.org.models import College, Room, SchoolClass
from campusgrid.people.models import Student
from campusgrid.reports.policy import may_open_report

from ..world import PERSONAS

pytestmark = pytest.mark.django_db


def menu(client) -> list[str]:
    html = client.get("/").content.decode()
    nav = html.split('id="main-nav"', 1)[1].split("</ul>", 1)[0]
    return [
        re.sub(r"<[^>]+>", "", label).strip().split(" ")[0] for label in re.findall(r"</i>(.*?)</a>", nav)
    ]


def test_a_plain_student_gets_a_students_menu_not_the_staff_tools(world, login):
    client = login(world.student)
    items = menu(client)
    assert "学生名册" not in items and "网格员" not in items and "班级" not in items
    assert "网格覆盖" not in items and "异常情况台账" not in items and "导入名册" not in items
    assert {"工作台", "请假", "离校返校", "上报问题", "我的上报"} <= set(items)
    # A dorm head keeps the roster of their room and the grid workers.
    assert {"学生名册", "网格员", "今晚查寝"} <= set(menu(login(world.dorm_head)))


def test_a_plain_students_landing_has_no_empty_todo_and_no_missing_post(world, login):
    html = login(world.student).get("/").content.decode()
    assert "待我处理" not in html and 'id="todo-count"' not in html
    assert "暂无网格职务" not in html
    assert "我的信息" in html and reverse("people:student", args=[world.student.student_no]) in html


def test_a_plain_student_sees_their_own_holiday_registrations_not_the_class_table(world, login):
    client = login(world.student)
    html = client.get(reverse("ledgers:holiday-list")).content.decode()
    assert "导出台账" not in html and "各班登记情况" not in html
    assert client.get(reverse("ledgers:holiday-ledger")).status_code == 404
    counselor = login(world.counselor).get(reverse("ledgers:holiday-list")).content.decode()
    assert "导出台账" in counselor and "各班登记情况" in counselor


def _panel_keys(user) -> list[str]:
    request = RequestFactory().get("/")
    request.user = user
    forget_scope(user)
    return [p["key"] for p in render_panels(request)]


def test_each_posts_panel_comes_first_on_the_landing(world, login):
    assert _panel_keys(world.activist.user)[0] == "party-grid"
    html = login(world.activist).get("/").content.decode()
    panel = html.split('id="panel-party-grid"', 1)[1].split("</ul>", 1)[0]
    assert "东1/301" in panel and "东1/302" not in panel  # their micro-grid room, only theirs
    assert _panel_keys(world.small_grid_leader.user)[0] == "party-grid"
    html = login(world.small_grid_leader).get("/").content.decode()
    panel = html.split('id="panel-party-grid"', 1)[1].split("</ul>", 1)[0]
    assert "东1/301" in panel and "东1/302" in panel
    assert _panel_keys(world.dorm_head.user)[0] == "ledgers-night-mine"


@pytest.mark.parametrize("persona", PERSONAS + ["dorm_head_mixed", "activist_mixed"])
def test_the_vocabulary_says_what_the_querysets_say(world, persona, term):
    user = world[persona].user
    scope = scope_for(user)
    classes = set(SchoolClass.objects.visible_to(user).values_list("pk", flat=True))
    assert {c.pk for c in SchoolClass.objects.all() if scope.sees_class(c.pk, c.college_id)} == classes
    managed = set(SchoolClass.objects.visible_to(user, CHANGE).values_list("pk", flat=True))
    assert {c.pk for c in SchoolClass.objects.all() if scope.is_manager_of(c)} == managed
    students = set(Student.objects.visible_to(user).values_list("pk", flat=True))
    assert {s.pk for s in Student.objects.all() if scope.sees_student(s)} == students
    managed_students = set(Student.objects.visible_to(user, CHANGE).values_list("pk", flat=True))
    assert {s.pk for s in Student.objects.all() if scope.is_manager_of(s)} == managed_students
    led = set(College.objects.visible_to(user, CHANGE).values_list("pk", flat=True))
    assert {c.pk for c in College.objects.all() if scope.leads_college(c.pk)} == led
    assert scope.is_manager == bool(managed_students) or scope.everything
    from django.http import Http404

    for room in Room.objects.all():
        try:
            ledger_selectors.room_for_check(user=user, room_id=room.pk)
            opens = True
        except Http404:
            opens = False
        assert may_check_room(user, room) == opens, (persona, room.label)


def test_report_links_ask_the_rule_the_report_page_asks(world, term, travel, client):
    """A night absence creates a report about the student: the student may not open it (the
    reporter and the grid may), so their own page draws no link to it."""
    from ..ledgers.conftest import NIGHT, at

    travel(at(NIGHT, 21, 30))
    from campusgrid.ledgers import services

    check = services.night_check_submit(
        actor=world.dorm_head.user, room=world.room_a1, date=NIGHT, entries={"A1002": {"status": "absent"}}
    )
    report_id = check.entries.get(student=world.student).report_id
    for persona in ["student", "dorm_head", "monitor", "counselor", "activist", "student_b", "office"]:
        user = world[persona].user
        client.force_login(user)
        forget_scope(user)
        opens = client.get(reverse("reports:detail", args=[report_id])).status_code == 200
        forget_scope(user)
        assert may_open_report(user, report_id) == opens, persona
    client.force_login(world.student.user)
    html = client.get(reverse("people:student", args=["A1002"])).content.decode()
    assert reverse("reports:detail", args=[report_id]) not in html
    assert reverse("people:class", args=["化工2401"]) not in html  # the class page is not theirs either
    assert "化工2401" in html
