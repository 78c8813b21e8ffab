"""A room named as `楼栋/寝室号` means the same room in every filter (issue 10's follow-up): the
night-check and inspection lists ignore spaces around either part, as `Room.objects.by_label`
and the night-check form do."""

import pytest

from campusgrid.ledgers import selectors, services
from campusgrid.org.models import Room, room_label_q

from .conftest import NIGHT, at

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("label", ["东1/301", " 东1 / 301 ", "东1/301 "])
def test_a_label_names_one_room_whatever_its_spaces(world, label):
    assert list(Room.objects.by_label(label)) == [world.room_a1]
    assert list(Room.objects.filter(room_label_q(label))) == [world.room_a1]


def test_the_night_check_list_filters_by_a_spaced_label(world, travel):
    travel(at(NIGHT, 21, 30))
    services.night_check_submit(actor=world.dorm_head.user, room=world.room_a1, date=NIGHT, entries={})
    user = world.counselor.user
    plain = list(selectors.night_check_list(user=user, filters={"room": "东1/301"}))
    spaced = list(selectors.night_check_list(user=user, filters={"room": " 东1 / 301 "}))
    assert plain == spaced and len(plain) == 1
    assert not selectors.night_check_list(user=user, filters={"room": "东1/999"}).exists()


def test_the_room_for_a_check_is_found_by_a_spaced_label(world):
    found = selectors.room_for_check(user=world.dorm_head.user, label=" 东1 / 301 ")
    assert found == world.room_a1
