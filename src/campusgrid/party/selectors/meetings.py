"""Reads of the branches' work meetings (公寓党建工作例会): the scoped list with attendees,
decisions and 舆情 items, the people who may attend, quarters, and the branches that held no
meeting in a quarter (live on the desk; flagged once by `tick`)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch, Q

from campusgrid.core import clock
from campusgrid.core.scoping import get_visible_or_404
from campusgrid.people.models import PoliticalStatus, Student, StudentStatus

from ..models import MeetingDecision, MeetingQuarterFlag, OpinionItem, WorkMeeting


def quarter_of(day: dt.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def quarter_range(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    first = dt.date(year, 3 * (quarter - 1) + 1, 1)
    last = dt.date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1) - dt.timedelta(days=1)
    return first, last


def previous_quarter(year: int, quarter: int) -> tuple[int, int]:
    return (year - 1, 4) if quarter == 1 else (year, quarter - 1)


def _shaped(qs):
    from campusgrid.service.models import Attendance

    # Attendance is service's (the one mechanism); read with the meeting, one query for all.
    return qs.select_related("branch__college", "session").prefetch_related(
        Prefetch(
            "session__attendances",
            queryset=Attendance.objects.select_related("student", "staff").order_by(
                "student__student_no", "id"
            ),
        ),
        Prefetch("decisions", queryset=MeetingDecision.objects.select_related("responsible")),
        Prefetch(
            "opinions",
            queryset=OpinionItem.objects.select_related("report", "room__building").prefetch_related(
                Prefetch("students", queryset=Student.objects.only("id", "name", "student_no"))
            ),
        ),
    )


def meeting_list(*, user, branch=None, year: int | None = None, quarter: int | None = None):
    qs = WorkMeeting.objects.visible_to(user)
    if branch is not None:
        qs = qs.filter(branch=branch)
    if year and quarter:
        first, last = quarter_range(year, quarter)
        qs = qs.filter(date__gte=first, date__lte=last)
    return _shaped(qs).order_by("-date", "-id")


def meeting_get(*, user, pk) -> WorkMeeting:
    return get_visible_or_404(_shaped(WorkMeeting.objects.all()), user, pk=pk)


def opinion_get(*, user, pk) -> OpinionItem:
    """One 舆情 item, found through the meetings the user sees (404 otherwise)."""
    meetings = WorkMeeting.objects.visible_to(user).values("pk")
    item = (
        OpinionItem.objects.filter(pk=pk, meeting__in=meetings)
        .select_related("meeting__branch", "room__building", "report")
        .prefetch_related("students")
        .first()
    )
    if item is None:
        from django.http import Http404

        raise Http404("未找到，或不在您的管理范围内")
    return item


def meeting_people(*, branch):
    """Who may be named at the branch's meeting (attendees, responsible persons, students an
    item concerns): its party members, candidates and activists living in its rooms and the
    holders of its party posts, wherever they live."""
    from campusgrid.grid.models import Post, PostKind

    holders = (
        Post.objects.current(clock.today())
        .filter(
            Q(branch=branch) | Q(small_grid__branch=branch) | Q(room__party_room__branch=branch),
            kind__in=[PostKind.BRANCH_SECRETARY, PostKind.SMALL_GRID_LEADER, PostKind.ACTIVIST],
            student__isnull=False,
        )
        .values("student_id")
    )
    ranks = PoliticalStatus.at_least(PoliticalStatus.ACTIVIST)
    return (
        Student.objects.filter(status=StudentStatus.ENROLLED)
        .filter(Q(pk__in=holders) | Q(bed__room__party_room__branch=branch, political_status__in=ranks))
        .order_by("student_no")
    )


def branch_rooms(*, branch):
    from campusgrid.org.models import Room

    return (
        Room.objects.filter(party_room__branch=branch)
        .select_related("building")
        .order_by("building__name", "number")
    )


def held_this_quarter(*, branch, on: dt.date | None = None) -> bool:
    year, quarter = quarter_of(on or clock.today())
    first, last = quarter_range(year, quarter)
    return WorkMeeting.objects.filter(branch=branch, date__gte=first, date__lte=last).exists()


def quarter_flags(*, branch, limit: int = 8):
    return list(MeetingQuarterFlag.objects.filter(branch=branch).order_by("-year", "-quarter")[:limit])


def report_link(report) -> OpinionItem | None:
    """The meeting item a report was raised from (the other way of the link)."""
    return OpinionItem.objects.filter(report=report).select_related("meeting__branch").first()
