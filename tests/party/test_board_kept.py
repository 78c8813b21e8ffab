"""The board's index and the 台账 read plain values (party.selectors.pipeline.plain_files): they
warn exactly as each file's own timeline does; the index is kept under the change counters, so
a second look costs fewer queries, the same for few and many files, and a change — even one
written behind the services' back, or to a mentor's staff record — shows on the next look."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from campusgrid.core import clock
from campusgrid.party.models import DevelopmentFile, Mentor, Step
from campusgrid.party.selectors import pipeline as sel
from campusgrid.people.models import Staff, Student
from tests.party.test_pipeline_pages import populate
from tests.party.test_pipeline_warnings import ACTIVIST, CANDIDATE, make_file

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def on_day():
    clock.set_now(dt.datetime(2026, 12, 2, 9))
    yield D(2026, 12, 2)
    clock.set_now(None)


def _files_of_every_kind(world):
    """Files that raise most warnings: overdue talk, a mentor gone and one not a member, a
    candidate leaving school, a closed file, a staff member's file."""
    talk = make_file(world, [("application", D(2026, 9, 1))], student=world.dorm_head)
    activist = make_file(world, ACTIVIST, student=world.monitor)
    DevelopmentFile.objects.filter(pk=activist.pk).update(stage="activist")
    Mentor.objects.create(file=activist, role="mentor", staff=world.counselor, start=D(2025, 10, 10))
    Mentor.objects.create(file=activist, role="mentor", student=world.student, start=D(2025, 10, 10))
    Staff.objects.filter(pk=world.counselor.pk).update(active=False)
    leaving = make_file(world, CANDIDATE, student=world.small_grid_leader)
    DevelopmentFile.objects.filter(pk=leaving.pk).update(stage="candidate")
    Student.objects.filter(pk=world.small_grid_leader.pk).update(left_on=D(2027, 1, 15))
    closed = make_file(world, [("application", D(2026, 1, 5))], student=world.activist)
    DevelopmentFile.objects.filter(pk=closed.pk).update(closed_on=D(2026, 3, 1))
    staff = DevelopmentFile.objects.create(
        staff=world.leader,
        branch=world.branch,
        college=world.college_a,
        rule_version="2014",
        applied_on=D(2026, 8, 3),
    )
    Step.objects.create(file=staff, code="application", on=D(2026, 8, 3))
    return talk, activist, leaving, closed, staff


def test_plain_files_warn_as_each_files_timeline(world, on_day):
    _files_of_every_kind(world)
    files = sel.file_list(user=world.leader.user)
    timeline = {v.file.pk: [(w.code, w.message, w.key) for w in v.warnings] for v in sel.file_views(files)}
    plain = {p.row["id"]: [(w.code, w.message, w.key) for w in p.warnings] for p in sel.plain_files(files)}
    assert plain == timeline
    found = {code for warned in plain.values() for code, _, _ in warned}
    assert {"talk_overdue", "mentor_invalid", "graduating"} <= found, found
    assert sum(1 for warned in plain.values() if warned) >= 3


def test_the_ledger_is_the_timeline_of_every_file(world, on_day):
    from campusgrid.party.rules import ORDER

    _files_of_every_kind(world)
    files = sel.file_list(user=world.leader.user)
    headers, rows = sel.ledger_rows(files)
    codes = [c for c in ORDER if c != "extend_probation"]
    expected = [
        [
            v.file.number,
            v.file.person_name,
            v.file.branch.name,
            v.file.get_stage_display() + ("（已终止）" if v.file.closed_on else ""),
            v.file.rule_version,
            *[v.facts.first(c) for c in codes],
            v.facts.probation_end,
            "；".join(w.label for w in v.warnings),
        ]
        for v in sel.file_views(files)
    ]
    assert rows == expected and len(rows) == 5 and len(headers) == len(rows[0])


def _board(client, **params):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/party/", params)
    assert response.status_code == 200
    return len(ctx), response


@pytest.mark.usefixtures("kept")
def test_a_second_look_costs_fewer_queries_the_same_for_few_and_many_files(world, login):
    client = login(world.leader)
    populate(world, 0, 2)
    first, _ = _board(client)
    few, _ = _board(client)
    populate(world, 100, 12)
    _board(client)
    many, response = _board(client)
    assert few == many and few < first, (first, few, many)
    assert response.context["total"] == 14 and response.content.decode().count('data-file="') == 14


@pytest.mark.usefixtures("kept")
def test_the_kept_board_shows_a_change_at_once(world, login, on_day):
    talk, activist, *_ = _files_of_every_kind(world)
    client = login(world.leader)

    def warned():
        page = _board(client)[1]
        return {v.file.pk: {w.code for w in v.warnings} for v in page.context["warned"]}

    assert "talk_overdue" in warned()[talk.pk] and "mentor_invalid" in warned()[activist.pk]
    Step.objects.bulk_create([Step(file=talk, code="talk", on=D(2026, 9, 10))])  # no save()
    assert "talk_overdue" not in warned().get(talk.pk, ())
    Staff.objects.filter(pk=world.counselor.pk).update(active=True)  # the staff mentor is back
    Student.objects.filter(pk=world.student.pk).update(political_status="member")
    assert "mentor_invalid" not in warned().get(activist.pk, ())
    Staff.objects.filter(pk=world.counselor.pk).update(active=False)  # a staff record alone
    assert "mentor_invalid" in warned()[activist.pk]


def test_a_stages_count_opens_all_of_its_files_a_page_at_a_time(world, login, monkeypatch):
    monkeypatch.setattr(sel, "BOARD_LIMIT", 2)
    monkeypatch.setattr(sel, "BOARD_PAGE", 2)
    populate(world, 0, 5)
    client = login(world.leader)
    page = client.get("/party/").content.decode()
    assert 'href="?stage=activist" data-stage-count="5"' in page and page.count('data-file="') == 2
    seen = []
    for number in (1, 2, 3):
        one_stage = client.get("/party/", {"stage": "activist", "page": number})
        assert one_stage.context["total"] == 5
        seen += [v.file.number for column in one_stage.context["columns"] for v in column["items"]]
    assert sorted(seen) == sorted(f"P{i:04d}" for i in range(5))
    assert "第 3 / 3 页" in one_stage.content.decode()


def test_plain_files_give_the_collector_back_as_they_found_it(world, on_day):
    """plain_files pause the cyclic collector while they build (a college's rows) and leave it
    as it was: on when it was on, off when a caller had turned it off."""
    import gc

    _files_of_every_kind(world)
    files = sel.file_list(user=world.leader.user)
    assert gc.isenabled()
    assert len(sel.plain_files(files)) == 5 and gc.isenabled()
    gc.disable()
    try:
        sel.plain_files(files)
        assert not gc.isenabled()
    finally:
        gc.enable()
