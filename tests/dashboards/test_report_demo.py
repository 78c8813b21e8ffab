"""The semester report of the demo college carries every figure of the report (seed 004 三):
each computed one with a value and the URL of its rows, the party and service ones 未启用."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from campusgrid.dashboards.report.compute import build, figure_plan, figures_by_key
from campusgrid.dashboards.report.figures import FIGURES, SLOTS
from campusgrid.org.models import College, Semester

pytestmark = pytest.mark.django_db
NOW = timezone.make_aware(dt.datetime(2025, 11, 5, 22))

# Figures the demo's records always give a number (the rest may rightly be "—": e.g. a
# semester without two inspection rounds yet has no change to report).
MEASURED = [
    "grid.rooms_with_dorm_head",
    "grid.micro_grids",
    "grid.small_grids",
    "people.grid_workers",
    "people.party_members",
    "people.activists",
    "dorm.night_absences",
    "reports.by_category",
    "key.by_reason",
    "awards.room_ratings",
    "coverage.start",
    "coverage.end",
]


def test_the_demo_college_report_carries_every_figure(travel):
    travel(NOW)
    call_command("demo", "--students", "300", "--seed", "3", stdout=io.StringIO())
    college = College.objects.annotate(n=Count("students")).order_by("-n").first()
    semester = Semester.current()
    figures = figures_by_key(build(college=college, semester=semester))
    assert (
        set(figures) == {f.key for f in FIGURES} | {s.key for s in SLOTS} == {f["key"] for f in figure_plan()}
    )
    for key in MEASURED:
        figure = figures[key]
        assert figure["enabled"] and figure["value"] is not None, key
        assert figure["url"].startswith("/") and f"college={college.pk}" in figure["url"], key
    for slot in SLOTS:  # the demo runs every app: each slot is filled by the app that owns it
        assert figures[slot.key]["enabled"] and figures[slot.key]["display"] != "未启用", slot.key
    assert figures["people.grid_workers"]["value"] > 50
    assert figures["reports.by_category"]["rows"]
    assert 0 < figures["coverage.end"]["value"] <= 100
