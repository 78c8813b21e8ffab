"""学生名册's search box (issue 17): letters find a student by the pinyin initials of the name
or inside the 学号; the 学号 arm, which no index serves (it reads every 学号 in reach), is
left out only where no 学号 holds a letter — where it could match nothing."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campusgrid.people.models import Student, lettered_student_numbers
from tests import factories as f

pytestmark = pytest.mark.django_db


def numbers(qs) -> list[str]:
    return list(qs.order_by("student_no").values_list("student_no", flat=True))


def reads_student_numbers(qs) -> bool:
    where = str(qs.order_by().query).split(" WHERE ", 1)[1]
    return "student_no" in where


def test_letters_find_by_initials_when_no_student_number_holds_a_letter(kept):
    zhang = f.StudentFactory(name="张三", student_no="2024000101")
    f.StudentFactory(name="李四", student_no="2024000102")
    assert not lettered_student_numbers()
    found = Student.objects.search("ZS")
    assert numbers(found) == [zhang.student_no]
    assert not reads_student_numbers(found)


def test_a_student_number_with_letters_is_found_from_the_next_search_on(kept):
    zhang = f.StudentFactory(name="张三", student_no="2024000101")
    assert numbers(Student.objects.search("zs")) == [zhang.student_no]
    # written with a bulk update, which no service sees: the students' change counter does
    lettered = f.StudentFactory(name="王五", student_no="2024000103")
    Student.objects.filter(pk=lettered.pk).update(student_no="ZS2024")
    found = Student.objects.search("zs")
    assert reads_student_numbers(found)
    assert numbers(found) == [zhang.student_no, "ZS2024"]
    assert numbers(Student.objects.search("s2")) == []  # not letters only: a 学号 prefix
    assert numbers(Student.objects.search("S")) == ["ZS2024"]


def test_the_roster_finds_a_lettered_student_number_inside(world, login):
    """The named cast's 学号 hold letters (A1001, B1002): "a" finds them inside, in scope."""
    client = login(world.counselor)
    with CaptureQueriesContext(connection) as queries:
        text = client.get(reverse("people:students"), {"q": "a"}, HTTP_HX_REQUEST="true").content.decode()
    shown = set(re.findall(r'href="/students/([^/"]+)/"', text))
    expected = set(
        numbers(Student.objects.visible_to(world.counselor.user).filter(student_no__icontains="a"))
    )
    assert shown == expected and "A1001" in shown
    assert any("UPPER" in q["sql"] and '"student_no"' in q["sql"] for q in queries)
