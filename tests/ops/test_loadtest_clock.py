"""The load test submits night checks for the server's own "tonight", at any hour."""

import datetime as dt

import pytest
from django.utils import timezone

from campusgrid.demo.loadtest import _tonight
from campusgrid.ledgers import services
from campusgrid.ledgers.models import NightCheck

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("hour,minute", [(3, 47), (21, 30), (0, 20), (12, 0)])
def test_loadtest_night_is_the_servers_tonight(world, travel, hour, minute):
    travel(timezone.make_aware(dt.datetime(2026, 12, 2, hour, minute)))
    night = dt.date.fromisoformat(_tonight())
    if (hour, minute) == (3, 47):
        assert night == dt.date(2026, 12, 1)  # after midnight it is still last night
    # a counselor (no opening time for managers) can record exactly that night
    check = services.night_check_submit(
        actor=world.counselor.user, room=world.room_a1, date=night, entries={}
    )
    assert NightCheck.objects.filter(pk=check.pk, date=night).exists()
