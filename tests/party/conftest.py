import datetime as dt

import pytest

from campusgrid.core import clock
from tests import factories as f


@pytest.fixture
def organiser(world):
    """The college A committee's 组织员 (a staff role, no grid post)."""
    return f.StaffFactory(staff_no="Z0001", name="组织员甲", college=world.college_a, roles="organiser")


@pytest.fixture
def travel():
    """travel(date) moves the one clock to 09:00 of that day (Asia/Shanghai)."""

    def go(day: dt.date):
        clock.set_now(dt.datetime(day.year, day.month, day.day, 9, 0))

    yield go
    clock.set_now(None)
