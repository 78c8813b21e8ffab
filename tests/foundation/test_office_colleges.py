"""The university office sees colleges, not class lists (issue 12 item 9): its landing, night
progress and holiday pages start with one row per college, each opening that college's view
(?college=, narrowed through the scope); query counts do not grow with colleges or classes."""

import datetime as dt

import pytest
from django.urls import reverse

from campusgrid.core.scoping import forget_scope
from campusgrid.grid.models import PostKind
from campusgrid.ledgers import services as ledger_services

from .. import factories as f
from ..ledgers.conftest import NIGHT, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def tonight(world, term, travel):
    travel(at(NIGHT, 21, 30))
    ledger_services.night_check_submit(
        actor=world.dorm_head.user, room=world.room_a1, date=NIGHT, entries={"A1002": {"status": "absent"}}
    )
    ledger_services.night_check_submit(actor=world.dorm_head_b.user, room=world.room_b1, date=NIGHT)
    ledger_services.holiday_window_open(
        actor=world.office.user, holiday=term["new_year"], classes=[world.class_a1, world.class_b1]
    )
    return world


def rows(html: str, table_id: str) -> list[str]:
    body = html.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]
    return body.split("<tr data-college=")[1:]


def test_the_offices_landing_starts_with_one_row_per_college(tonight, login):
    w = tonight
    html = login(w.office).get("/").content.decode()
    college_rows = rows(html, "college-rows")
    assert len(college_rows) == 2
    assert f'href="?college={w.college_a.pk}"' in html and f'href="?college={w.college_b.pk}"' in html
    a = next(r for r in college_rows if r.startswith(f'"{w.college_a.pk}"'))
    assert "化工学院" in a and "text-danger" in a  # the absence of tonight, in red
    assert "panel-night-progress" not in html  # no class list at level 5
    assert "化工2401" not in html


def test_a_college_row_opens_that_colleges_view_through_the_scope(tonight, login):
    w = tonight
    client = login(w.office)
    html = client.get(f"/?college={w.college_a.pk}").content.decode()
    assert 'id="college-focus"' in html and "化工学院" in html
    assert "panel-colleges" not in html and "panel-night-progress" in html
    assert "机械2401" not in html
    progress = client.get(reverse("ledgers:night-progress") + f"?college={w.college_a.pk}").content.decode()
    assert 'id="progress-classes"' in progress and "化工2401" in progress and "机械2401" not in progress
    # Any list: the 学院 filter is the same parameter (here the roster).
    roster = client.get(reverse("people:students") + f"?college={w.college_b.pk}").content.decode()
    assert "王五" in roster and "张三" not in roster
    assert client.get("/?college=999999").status_code == 404
    # A leader of one college is not narrowed: the parameter is the page's own filter, if any.
    assert login(w.leader_b).get(f"/?college={w.college_a.pk}").status_code == 200


def test_the_offices_night_progress_and_holiday_are_by_college(tonight, login):
    w = tonight
    client = login(w.office)
    progress = client.get(reverse("ledgers:night-progress")).content.decode()
    assert len(rows(progress, "progress-colleges")) == 2
    assert 'id="progress-classes"' not in progress and 'id="unchecked-rooms"' not in progress
    holiday = client.get(reverse("ledgers:holiday-list")).content.decode()
    assert "按学院" in holiday and f'href="?college={w.college_a.pk}"' in holiday
    assert 'id="holiday-windows"' not in holiday
    focused = client.get(reverse("ledgers:holiday-list") + f"?college={w.college_a.pk}").content.decode()
    assert 'id="holiday-windows"' in focused and "化工2401" in focused and "机械2401" not in focused


def _more_colleges(world, n: int):
    for i in range(n):
        college = f.CollegeFactory(university=world.university, name=f"新学院{i}")
        for j in range(2):
            school_class = f.SchoolClassFactory(
                name=f"新{i}班{j}",
                college=college,
                major=f.MajorFactory(college=college, name=f"专业{i}-{j}"),
            )
            room = f.RoomFactory(building=f.BuildingFactory(name=f"新楼{i}-{j}"), number="101")
            head = f.StudentFactory(student_no=f"N{i}{j}01", school_class=school_class, room=room)
            f.StudentFactory(student_no=f"N{i}{j}02", school_class=school_class, room=room)
            f.PostFactory(kind=PostKind.DORM_HEAD, student=head, room=room, start_date=dt.date(2025, 9, 1))


@pytest.mark.parametrize("path", ["/", "/ledgers/night/progress/", "/ledgers/holiday/"])
def test_the_offices_pages_take_the_same_queries_for_more_colleges_and_classes(
    tonight, client, path, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    user = tonight.office.user
    client.force_login(user)
    client.get(path)
    forget_scope(user)
    with CaptureQueriesContext(connection) as before:
        assert client.get(path).status_code == 200
    _more_colleges(tonight, 5)
    forget_scope(user)
    with django_assert_num_queries(len(before.captured_queries)):
        html = client.get(path).content.decode()
    assert "新学院4" in html or path == "/ledgers/holiday/"


def test_the_bench_times_the_offices_pages():
    from campusgrid.demo import bench

    assert bench.TARGET["office"] == 500
    labels = {label for label, _url, who in bench.pages(_fake_cast()) if who == ["office"]}
    assert {"学工部工作台", "学工部查寝进度", "学工部节假日"} <= labels


def _fake_cast():
    class Room:
        pk = 1

    class Grades:
        def order_by(self, *a):
            return self

        def values_list(self, *a, **k):
            return self

        def first(self):
            return 2025

    class College:
        pk = 1
        grades = Grades()

    return {"college": College(), "room": Room(), "counselor": None}


def test_the_night_ledger_has_a_college_filter_for_those_spanning_colleges(tonight, login):
    w = tonight
    client = login(w.office)
    url = reverse("ledgers:night-list")
    html = client.get(url + "?status=all").content.decode()
    assert 'id="college-filter"' in html and "张三" in html and "王五" in html
    html = client.get(url + f"?status=all&college={w.college_b.pk}").content.decode()
    assert "王五" in html and "张三" not in html
    assert f'<option value="{w.college_b.pk}" selected>' in html
    # A counselor's list spans no colleges: no filter drawn.
    assert 'id="college-filter"' not in login(w.counselor).get(url).content.decode()


def test_any_list_of_the_office_narrows_to_a_college_through_the_scope(tonight, login):
    """The reports list (its FilterSet is the reports app's): ?college= narrows it as it narrows
    every page of someone who spans colleges, because it is the scope that is narrowed."""
    from campusgrid.reports.services import report_create

    w = tonight
    report_create(
        actor=w.dorm_head_b.user,
        category="安全隐患",
        severity="normal",
        description="西1插线板老化",
        room=w.room_b1,
    )
    client = login(w.office)
    assert "西1插线板老化" in client.get(reverse("reports:list")).content.decode()
    assert (
        "西1插线板老化"
        not in client.get(reverse("reports:list") + f"?college={w.college_a.pk}").content.decode()
    )
    assert (
        "西1插线板老化" in client.get(reverse("reports:list") + f"?college={w.college_b.pk}").content.decode()
    )
