"""The pipeline's home panel kept between requests (party.selectors.pipeline.board_summary) is
the board's answer, costs one query when nothing changed, and never shows an old answer: a
step recorded — even by a bulk write that bypasses every save() — or a new day changes it."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from campusgrid.core import clock
from campusgrid.party.models import Step
from campusgrid.party.selectors import pipeline as sel
from tests.party.test_pipeline_warnings import make_file

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("kept")]
D = dt.date


@pytest.fixture
def kept(kept):
    """The servers' cache (tests/conftest.py), and the clock set back after the test."""
    yield
    clock.set_now(None)


def _on(day):
    clock.set_now(dt.datetime(day.year, day.month, day.day, 9))


def _expected(user):
    full = sel.board(user=user)
    return full["warned_count"], [c["count"] for c in full["columns"]]


def test_the_kept_panel_is_the_boards_answer_and_costs_one_query(world):
    _on(D(2025, 10, 20))
    make_file(world, [("application", D(2025, 9, 8))])
    user = world.branch_secretary.user
    summary = sel.board_summary(user=user)
    assert (summary["warned_count"], [c["count"] for c in summary["columns"]]) == _expected(user)
    assert summary["warned_count"] == 1 and summary["warned"][0]["warning"]
    with CaptureQueriesContext(connection) as queries:
        assert sel.board_summary(user=user) == summary
    assert len(queries) == 1  # the fingerprint only


def test_a_step_written_behind_the_services_back_changes_it_at_once(world):
    _on(D(2025, 10, 20))
    f = make_file(world, [("application", D(2025, 9, 8))])
    user = world.branch_secretary.user
    assert sel.board_summary(user=user)["warned_count"] == 1  # 谈话逾期
    Step.objects.bulk_create([Step(file=f, code="talk", on=D(2025, 9, 20))])  # no save(), no version
    assert sel.board_summary(user=user)["warned_count"] == 0
    assert sel.board_summary(user=user)["warned_count"] == _expected(user)[0]


def test_a_new_day_recomputes(world):
    _on(D(2025, 10, 8))
    make_file(world, [("application", D(2025, 9, 8))])
    user = world.branch_secretary.user
    assert sel.board_summary(user=user)["warned_count"] == 0
    _on(D(2025, 10, 9))  # the month for the talk is over
    assert sel.board_summary(user=user)["warned_count"] == 1
