"""The demo college has realistic ledgers, consistent with the rules."""

import datetime as dt
import io

import pytest
from django.core.management import call_command

from campusgrid.core.tick import run_due
from campusgrid.ledgers import selectors
from campusgrid.ledgers.models import (
    HolidayRegistration,
    HolidayWindow,
    LeaveRequest,
    NightCheck,
    NightCheckEntry,
    RoomRating,
)
from campusgrid.org.models import Room
from campusgrid.people.models import Staff

from .conftest import at

pytestmark = pytest.mark.django_db
NOW = at(dt.date(2025, 11, 5), 22)  # after the opening time: tonight is under way


@pytest.fixture
def demo(travel):
    travel(NOW)
    call_command("demo", "--students", "300", "--seed", "3", stdout=io.StringIO())


def test_two_weeks_of_night_checks_with_a_few_absences_reported(demo):
    nights = sorted(set(NightCheck.objects.values_list("date", flat=True)))
    assert len(nights) == 15 and nights[-1] == NOW.date()
    occupied = Room.objects.filter(beds__student__isnull=False).distinct().count()
    assert NightCheck.objects.filter(date=nights[-2]).count() >= occupied * 0.95
    assert 0 < NightCheck.objects.filter(date=NOW.date()).count() < occupied  # tonight in progress
    absences = NightCheckEntry.objects.filter(status="absent").select_related("report__category")
    assert 0 < absences.count() < 40
    for entry in absences:
        assert entry.report.category.name == "夜不归宿" and entry.report.level == 3
        assert entry.report.source_key == f"night:{entry.date.isoformat()}:{entry.student.student_no}"
    assert NightCheckEntry.objects.filter(status="leave", leave__isnull=False).exists()


def test_leave_in_every_state_and_one_overdue(demo):
    states = set(LeaveRequest.objects.values_list("state", flat=True))
    assert {"pending", "approved", "returned", "refused"} <= states
    assert run_due(NOW)["ledgers.leave_overdue"] >= 1


def test_a_past_holiday_with_one_overdue_return(demo):
    windows = HolidayWindow.objects.filter(holiday__name="国庆节")
    assert windows.exists()
    assert HolidayRegistration.objects.overdue(NOW).count() == 1
    assert HolidayRegistration.objects.filter(returned_at__isnull=False).count() > 100
    assert run_due(NOW)["ledgers.holiday_overdue"] == 1


def test_illegal_appliance_rate_falls_over_the_semester_and_rooms_are_rated(demo):
    leader = Staff.objects.filter(roles="leader").first().user
    series = selectors.illegal_rate_series(user=leader)
    assert len(series["rates"]) == 6
    assert series["rates"][0] > series["rates"][-1] and series["change"] <= -40
    assert RoomRating.objects.filter(civil=True).exists() and RoomRating.objects.filter(stars=5).exists()
