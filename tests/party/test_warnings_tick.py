"""`party.warnings_tick` reads the files as the board does (plain values, the same rules) and
sends what reading them as model objects with their steps and mentors would send: one
notification a new warning, to the branch's secretary, with the same title, body and link."""

import datetime as dt
from collections import Counter

import pytest

from campusgrid.core import clock
from campusgrid.notifications.models import Notification
from campusgrid.party import services
from campusgrid.party.models import WarningSent
from campusgrid.party.selectors import pipeline as sel
from tests.party.test_api_files import _probationary
from tests.party.test_board_kept import _files_of_every_kind
from tests.party.test_pipeline_pages import populate
from tests.party.test_pipeline_warnings import make_file

pytestmark = pytest.mark.django_db
D = dt.date


def _expected(world, now) -> Counter:
    """What the tick sends, from the files read as model objects (`file_views`)."""
    files = sel._base().filter(closed_on__isnull=True).exclude(stage="full")
    with clock.frozen_at(now):
        views = sel.file_views(files)
    user = world.branch_secretary.user.pk
    return Counter(
        (user, f"发展党员预警：{v.file.person_name} {w.label}", w.message, f"/party/files/{v.file.number}/")
        for v in views
        for w in v.warnings
    )


def _sent() -> Counter:
    return Counter(Notification.objects.values_list("user_id", "title", "body", "url"))


def test_the_tick_sends_what_the_files_timelines_warn_once(world, django_capture_on_commit_callbacks):
    now = clock.local(dt.datetime(2026, 12, 2, 9, tzinfo=dt.UTC))
    with clock.frozen_at(now):
        _files_of_every_kind(world)
        _probationary(world)
        populate(world, 0, 3)
    expected = _expected(world, now)
    codes = {title.split()[-1] for _, title, _, _ in expected}
    assert len(expected) >= 8 and {"谈话逾期", "培养联系人不再符合条件", "三个月内离校"} <= codes, codes
    with django_capture_on_commit_callbacks(execute=True):
        assert services.warnings_tick(now) == sum(expected.values())
        assert services.warnings_tick(now) == 0
    assert _sent() == expected
    assert WarningSent.objects.count() == sum(expected.values())


def test_a_new_warning_is_sent_alone_on_the_next_tick(world, django_capture_on_commit_callbacks):
    now = clock.local(dt.datetime(2026, 12, 2, 9, tzinfo=dt.UTC))
    with clock.frozen_at(now):
        _files_of_every_kind(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.warnings_tick(now)
    before = _sent()
    with clock.frozen_at(now):
        make_file(world, [("application", D(2026, 10, 1))], student=world.mixed_a2)  # talk overdue
    with django_capture_on_commit_callbacks(execute=True):
        assert services.warnings_tick(now) == 1
    added = _sent() - before
    assert list(added) == [
        (
            world.branch_secretary.user.pk,
            f"发展党员预警：{world.mixed_a2.name} 谈话逾期",
            *next(iter(added))[2:],
        )
    ]
    assert next(iter(added))[3] == f"/party/files/{world.mixed_a2.student_no}/"
    assert _expected(world, now) == _sent()
