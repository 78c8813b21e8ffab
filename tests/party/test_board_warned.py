"""The board's 还有 N 人有预警 opens the list of exactly the warned files (?warned=1 with the
board's own filters in the URL): the figure N plus the warned files shown equals the row count
of that list, for a leader, a counselor and the university office, and the list's rows are
the files that carry a warning."""

import datetime as dt
import re
from html import unescape

import pytest

from campusgrid.core import clock
from campusgrid.party.selectors import pipeline as sel
from campusgrid.people.models import Staff
from tests.dashboards.test_panels import rows_of
from tests.party.test_board_kept import _files_of_every_kind
from tests.party.test_pipeline_pages import populate
from tests.party.test_pipeline_warnings import make_file

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def warned_world(world, monkeypatch):
    clock.set_now(dt.datetime(2026, 12, 2, 9))
    monkeypatch.setattr(sel, "WARNINGS_LIMIT", 2)
    monkeypatch.setattr(sel, "BOARD_PAGE", 2)
    _files_of_every_kind(world)
    # (the files' staff mentor is the counselor, made to leave: back in post, they see their classes)
    Staff.objects.filter(pk=world.counselor.pk).update(active=True)
    populate(world, 0, 4)  # activists without their talk: warned
    make_file(world, [("application", D(2026, 11, 30))], student=world.dorm_head_mixed)  # not warned
    yield world
    clock.set_now(None)


def _warned_ids(user, **filters) -> set[int]:
    files = sel.open_files(sel.file_list(user=user, **filters))
    return {p.row["id"] for p in sel.plain_files(files) if p.warnings}


def _more_link(html: str) -> tuple[str, int]:
    found = re.search(r'href="(\?[^"]*)" id="warned-more" data-warned-more="(\d+)"', html)
    assert found, "no 还有 N 人有预警 link"
    return unescape(found.group(1)), int(found.group(2))


def _listed(client, url: str) -> set[str]:
    """The file numbers of every page of the warned list."""
    numbers, page = set(), 1
    while True:
        response = client.get(f"{url}&page={page}")
        numbers |= {v.file.number for v in response.context["warned"]}
        if not response.context["page"].has_next():
            return numbers
        page += 1


@pytest.mark.parametrize("who", ["leader", "counselor", "office"])
@pytest.mark.parametrize("filters", [{}, {"stage": "activist"}])
def test_n_more_warned_plus_the_shown_is_the_warned_list(warned_world, login, who, filters):
    person = getattr(warned_world, who)
    client = login(person)
    board = client.get("/party/", filters)
    link, more = _more_link(board.content.decode())
    shown = len(board.context["warned"])
    assert shown == 2 and more == board.context["warned_more"] > 0
    for name, value in filters.items():
        assert f"{name}={value}" in link
    url = "/party/" + link
    assert rows_of(client, url) == shown + more == board.context["warned_count"]
    expected = _warned_ids(person.user, **filters)
    numbers = _listed(client, url)
    assert len(numbers) == len(expected) == shown + more
    from campusgrid.party.models import DevelopmentFile

    assert numbers == {f.number for f in DevelopmentFile.objects.filter(pk__in=expected)}


def test_the_counselor_sees_fewer_warned_files_than_the_leader(warned_world, login):
    """The lists differ by scope (the leader's own staff file is not the counselor's)."""
    counts = {}
    for who in ("leader", "counselor"):
        board = login(getattr(warned_world, who)).get("/party/")
        counts[who] = board.context["warned_count"]
    assert counts["counselor"] < counts["leader"], counts


def test_the_warned_list_shows_no_stage_columns(warned_world, login):
    page = login(warned_world.leader).get("/party/", {"warned": 1}).content.decode()
    assert 'id="board"' not in page and 'id="board-all"' in page and page.count("data-warning-file=") == 2
