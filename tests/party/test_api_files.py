"""`/api/v1/party/files/` reads only what its page returns (party.selectors.pipeline
.file_page_views): the same JSON as the files read as model objects with their steps and
mentors (`file_views`), in a number of queries that does not grow with the page."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from campusgrid.core import clock
from campusgrid.party.api import FileSerializer
from campusgrid.party.models import DevelopmentFile, Step
from campusgrid.party.selectors import pipeline as sel
from tests.party.test_board_kept import _files_of_every_kind
from tests.party.test_pipeline_pages import populate
from tests.party.test_pipeline_warnings import CANDIDATE, make_file

pytestmark = pytest.mark.django_db
D = dt.date
URL = "/api/v1/party/files/"


@pytest.fixture
def on_day():
    clock.set_now(dt.datetime(2026, 12, 2, 9))
    yield D(2026, 12, 2)
    clock.set_now(None)


def _probationary(world):
    """A probationary member with the steps whose data the schedule reads (publicity, training,
    the approval's date) and a short publicity."""
    steps = [
        *CANDIDATE[:3],
        ("publicity", D(2025, 11, 3), {"end": "2025-11-05"}),
        *CANDIDATE[4:7],
        ("training", D(2025, 11, 10), {"hours": 8, "days": 1}),
        ("training", D(2025, 11, 20), {"hours": 16, "days": 2}),
        ("pre_review", D(2025, 11, 25)),
        ("meeting", D(2025, 12, 10)),
        ("probationary", D(2026, 1, 5)),
    ]
    file = make_file(world, steps, student=world.student)
    DevelopmentFile.objects.filter(pk=file.pk).update(stage="probationary")
    return file


def _get(client, **params):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(URL, params)
    assert response.status_code == 200, response.content
    return len(ctx), response.json()


def test_the_page_is_the_files_as_their_timelines_show_them(world, login, on_day):
    _files_of_every_kind(world)
    _probationary(world)
    _, body = _get(login(world.leader))
    expected = FileSerializer(sel.file_views(sel.file_list(user=world.leader.user)), many=True).data
    assert body["results"] == expected
    assert body["count"] == len(expected) == 6
    warned = {r["student_no"]: {w["code"] for w in r["warnings"]} for r in body["results"] if r["warnings"]}
    assert {"talk_overdue", "mentor_invalid", "graduating"} <= set().union(*warned.values()), warned
    assert len(warned) >= 3
    probationary = next(r for r in body["results"] if r["student_no"] == world.student.student_no)
    assert probationary["probation_end"] and any(s["dates"] for s in probationary["steps"])


def test_a_filtered_page_is_the_same_files_with_the_same_values(world, login, on_day):
    _files_of_every_kind(world)
    _probationary(world)
    client = login(world.leader)
    _, body = _get(client, stage="probationary")
    files = sel.file_list(user=world.leader.user, stage="probationary")
    assert body["results"] == FileSerializer(sel.file_views(files), many=True).data
    assert [r["student_no"] for r in body["results"]] == [world.student.student_no]
    _, second = _get(client, page_size=2, page=2)
    everything = FileSerializer(sel.file_views(sel.file_list(user=world.leader.user)), many=True).data
    assert second["results"] == everything[2:4]


def test_the_query_count_does_not_grow_with_the_page(world, login, on_day):
    client = login(world.leader)
    populate(world, 0, 2)
    Step.objects.create(file=DevelopmentFile.objects.first(), code="publicity", on=D(2026, 10, 1), data={})
    few, small = _get(client)
    populate(world, 100, 30)
    many, large = _get(client)
    assert few == many, (few, many)
    assert len(small["results"]) == 2 and len(large["results"]) == 32
    assert few <= 11, few  # session, user, scope, count, ids, files, steps, mentors, holidays, people


def test_a_steps_written_out_representation_is_its_declared_fields(world, on_day):
    """StepSerializer writes its dict out for speed: the same as DRF's walk of its fields."""
    from rest_framework import serializers

    from campusgrid.party.api import StepSerializer

    _files_of_every_kind(world)
    _probationary(world)
    windows = [w for v in sel.file_views(sel.file_list(user=world.leader.user)) for w in v.windows]
    assert any(w.done for w in windows) and any(w.deadline for w in windows)
    assert any(w.college_deadline for w in windows) and any(len(w.done) > 1 for w in windows)
    walked = [serializers.Serializer.to_representation(StepSerializer(), w) for w in windows]
    assert [StepSerializer(w).data for w in windows] == walked
