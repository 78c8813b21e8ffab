"""The evening peak's two requests: a dorm head's night-check page and its submit.

Queries per request (SQLite here; the same statements on PostgreSQL), main → now:
- the page: 12 → 11 (the dorm head's own room is read once, not twice);
- the submit of a 4-bed room: 30 → 21, of a 6-bed room: 32 → 21 (the members are not
  read before the service reads them; a new check's lines are one INSERT, and it has
  no lines to lock or corrections to show);
- a second submit (nothing changed): 23 → 18.
Then (issue 17, the evening peak's CPU): the page answering a submit shows the members,
lines and leave the service has just read and written instead of reading them again:
the submit 21 → 17, a second submit 18 → 14.
Then (issue 17, a third less CPU per request): the scope reads a dorm head's beds with their
posts (one query, not two), and a new check is written with its counts (no UPDATE after its
lines): the page 12 → 11, the submit 17 → 15, a second submit 14 → 13.
The counts include the session, the user, the scope and the layout's badges.
"""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from campusgrid.ledgers.models import NightCheck, NightCheckEntry
from campusgrid.org.models import Semester
from campusgrid.people.models import Student
from tests import factories as f

pytestmark = pytest.mark.django_db

NIGHT = dt.date(2025, 11, 3)  # a Monday in the semester below
PAGE_QUERIES = 11  # 10 on its own + the service app's navigation in one query (was 5 of its own)
SUBMIT_QUERIES = 15
RESUBMIT_QUERIES = 13


@pytest.fixture
def evening(world, travel):
    Semester.objects.create(name="2025-2026学年第一学期", start=dt.date(2025, 9, 1), end=dt.date(2026, 1, 17))
    travel(timezone.make_aware(dt.datetime.combine(NIGHT, dt.time(21, 5))))
    from campusgrid.ledgers import models

    models.forget_settings()
    yield
    models.forget_settings()


def six_bed_room(world):
    room = f.RoomFactory(building=world.room_a1.building, number="310", capacity=6)
    members = [f.StudentFactory(school_class=world.class_a1, room=room) for _ in range(6)]
    f.PostFactory(kind="dorm_head", student=members[0], room=room, start_date=dt.date(2025, 9, 1))
    return room, members[0]


def test_the_night_check_page_costs_the_same_for_four_and_six_beds(
    world, evening, login, django_assert_num_queries
):
    for room, head in ((world.room_a1, world.dorm_head), six_bed_room(world)):
        client = login(head)
        url = reverse("ledgers:night-check", args=[room.pk])
        client.get(url)  # the session's first request records the activity
        with django_assert_num_queries(PAGE_QUERIES):
            assert client.get(url).status_code == 200


def test_the_submit_costs_the_same_for_four_and_six_beds(world, evening, login, django_assert_num_queries):
    for room, head in ((world.room_a1, world.dorm_head), six_bed_room(world)):
        client = login(head)
        url = reverse("ledgers:night-check", args=[room.pk])
        client.get(url)
        with django_assert_num_queries(SUBMIT_QUERIES):
            response = client.post(url, {}, HTTP_HX_REQUEST="true")
        assert 'id="night-saved"' in response.content.decode()
        check = NightCheck.objects.get(room=room, date=NIGHT)
        assert NightCheckEntry.objects.filter(night_check=check).count() == check.present_count
        assert check.present_count == Student.objects.filter(bed__room=room, status="enrolled").count()


def test_a_second_submit_and_a_correction(world, evening, login, django_assert_num_queries):
    client = login(world.dorm_head)
    url = reverse("ledgers:night-check", args=[world.room_a1.pk])
    client.post(url, {}, HTTP_HX_REQUEST="true")
    version = NightCheck.objects.get(room=world.room_a1).version
    with django_assert_num_queries(RESUBMIT_QUERIES):
        client.post(url, {"version": version}, HTTP_HX_REQUEST="true")
    version = NightCheck.objects.get(room=world.room_a1).version
    response = client.post(
        url, {"version": version, "s-A1002": "late", "t-A1002": "23:10"}, HTTP_HX_REQUEST="true"
    )
    text = response.content.decode()
    assert 'id="night-saved"' in text and "更正记录（1）" in text
    entry = NightCheckEntry.objects.get(student__student_no="A1002")
    assert entry.status == "late" and entry.time == dt.time(23, 10)


def test_a_field_for_someone_not_in_the_room_is_refused_in_chinese(world, evening, login):
    client = login(world.dorm_head)
    url = reverse("ledgers:night-check", args=[world.room_a1.pk])
    response = client.post(url, {"s-A2001": "present"}, HTTP_HX_REQUEST="true")
    assert "不是本寝室的在校学生：A2001" in response.content.decode()
    assert not NightCheck.objects.exists()
