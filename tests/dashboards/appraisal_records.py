"""Hand-built records for the appraisal and class-honour tests: each figure is known in advance."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from campusgrid.dashboards.models import Appraisal, AppraisalState
from campusgrid.grid.models import Post, PostKind


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def post_of(student, kind) -> Post:
    return Post.objects.get(student=student, kind=kind, end_date__isnull=True)


def report(
    world, reporter, *, state="reported", created=None, category="安全隐患", handle_due=None, classes=()
):
    from campusgrid.reports.models import Category, Report

    user = reporter.user
    row = Report.objects.create(
        category=Category.objects.get(name=category),
        state=state,
        college=world.college_a,
        description="测试记录",
        reporter=user,
        reporter_name=reporter.name,
        reporter_level=1,
        created_at=created or at(dt.date(2025, 9, 5), 10),
        handle_due=handle_due,
    )
    if classes:
        row.classes.set(classes)
    return row


def event(report_row, actor, action, *, at_, to_state="", from_state=""):
    from campusgrid.reports.models import ReportEvent

    return ReportEvent.objects.create(
        report=report_row,
        at=at_,
        actor=actor.user,
        actor_name=actor.name,
        action=action,
        from_state=from_state,
        to_state=to_state or report_row.state,
    )


def appraisal(world, semester, student, kind, *, total=None, grade="", state=AppraisalState.DRAFT, **extra):
    post = post_of(student, kind)
    return Appraisal.objects.create(
        semester=semester,
        post=post,
        student=student,
        kind=kind,
        school_class=student.school_class,
        college=student.college,
        place_label=post.place_label,
        total=None if total is None else Decimal(str(total)),
        grade=grade,
        state=state,
        **extra,
    )


KINDS = PostKind


import pytest  # noqa: E402


@pytest.fixture(autouse=False)
def fresh_settings():
    """The settings rows are cached in the process; a rolled-back test must not leak them."""
    from campusgrid.dashboards.models import appraisal, honours
    from campusgrid.ledgers import models as ledgers

    for module in (appraisal, honours):
        module.forget_settings()
    ledgers.forget_settings()
    yield
    for module in (appraisal, honours):
        module.forget_settings()
    ledgers.forget_settings()
