"""Every read of 舆情 reports that pages, the API and exports share."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db.models import Count, Prefetch, QuerySet

from campusgrid.core import clock
from campusgrid.core.scoping import get_visible_or_404, scope_for

from .. import policy_more as policy
from ..models import Cadence, ItemKind, OpinionItem, OpinionReport, SpecialPeriod


def week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def current_period(*, college_id: int | None, day: dt.date | None = None):
    """(cadence, period_start, special): daily inside a special period of the college, else the
    week from Monday."""
    day = day or clock.today()
    special = None
    if college_id is not None:
        special = SpecialPeriod.objects.filter(college_id=college_id).covering(day).order_by("-start").first()
    if special is not None:
        return Cadence.DAILY, day, special
    return Cadence.WEEKLY, week_start(day), None


def reporter_place(user) -> dict:
    """The reporter's college, class and room (what scopes their reports)."""
    student = getattr(user, "student", None)
    if student is not None:
        return {
            "college_id": student.college_id,
            "school_class_id": student.school_class_id,
            "room_id": student.bed.room_id if student.bed_id else None,
        }
    staff = getattr(user, "staff", None)
    return {"college_id": getattr(staff, "college_id", None), "school_class_id": None, "room_id": None}


def expected_reporters(*, college_ids=None, on: dt.date | None = None) -> list[dict]:
    """Who must report: current holders of the configured posts (one row a person), with the
    place their reports are scoped by."""
    from campusgrid.grid.eligibility import serving_q
    from campusgrid.grid.models import Post

    on = on or clock.today()
    qs = (
        Post.objects.current(on)
        .filter(kind__in=policy.reporter_kinds())
        .filter(serving_q())
        .select_related("student__user", "student__bed", "staff__user")
        .order_by("student__student_no", "staff__staff_no", "id")
    )
    rows: dict[int, dict] = {}
    for post in qs:
        person = post.student or post.staff
        if person is None or person.user_id is None:
            continue
        if post.student_id:
            college_id, class_id = post.student.college_id, post.student.school_class_id
            room_id = post.student.bed.room_id if post.student.bed_id else None
            number = post.student.student_no
        else:
            college_id, class_id, room_id, number = post.staff.college_id, None, None, post.staff.staff_no
        if college_ids is not None and college_id not in college_ids:
            continue
        row = rows.setdefault(
            person.user_id,
            {
                "user": person.user,
                "name": person.name,
                "number": number,
                "college_id": college_id,
                "school_class_id": class_id,
                "room_id": room_id,
                "posts": [],
            },
        )
        row["posts"].append(post.get_kind_display())
    return list(rows.values())


def my_period_state(*, user, day: dt.date | None = None) -> tuple[dict, list]:
    """What the home panel shows of this period, as plain values: the special period's name
    ("" outside one), whether the user has filed and whether it was 无异常; with the querysets
    it read (for core.fingerprint.check_inputs)."""
    place = reporter_place(user)
    day = day or clock.today()
    specials = SpecialPeriod.objects.none()
    if place["college_id"] is not None:
        specials = (
            SpecialPeriod.objects.filter(college_id=place["college_id"]).covering(day).order_by("-start")
        )
    special = specials.values_list("name", flat=True).first()
    cadence, start = (Cadence.DAILY, day) if special is not None else (Cadence.WEEKLY, week_start(day))
    reports = OpinionReport.objects.filter(reporter=user, cadence=cadence, period_start=start)
    filed = reports.values_list("nothing_to_report", flat=True).first()
    state = {"special": special or "", "filed": filed is not None, "nothing_to_report": bool(filed)}
    return state, [specials, reports]


def my_period(*, user, day: dt.date | None = None) -> dict:
    """This period of the user's own reporting: cadence, dates, special period, and the report
    (with its items) when filed."""
    place = reporter_place(user)
    cadence, start, special = current_period(college_id=place["college_id"], day=day)
    report = (
        OpinionReport.objects.filter(reporter=user, cadence=cadence, period_start=start)
        .prefetch_related(Prefetch("items", queryset=OpinionItem.objects.prefetch_related("students")))
        .first()
    )
    return {"cadence": cadence, "start": start, "special": special, "report": report}


def opinion_report_list(*, user, cadence: str | None = None, start: dt.date | None = None) -> QuerySet:
    qs = (
        OpinionReport.objects.visible_to(user)
        .select_related("school_class", "room__building", "special")
        .annotate(item_count=Count("items"))
        .order_by("-period_start", "-submitted_at", "-id")
    )
    if cadence in Cadence.values:
        qs = qs.filter(cadence=cadence)
    if start is not None:
        qs = qs.filter(period_start=start)
    return qs


def opinion_item_list(*, user, cadence: str | None = None, start: dt.date | None = None) -> QuerySet:
    qs = (
        OpinionItem.objects.visible_to(user)
        .select_related("report__school_class", "problem")
        .prefetch_related("students")
    )
    if cadence in Cadence.values:
        qs = qs.filter(report__cadence=cadence)
    if start is not None:
        qs = qs.filter(report__period_start=start)
    return qs


def opinion_item_get(*, user, pk) -> OpinionItem:
    qs = OpinionItem.objects.select_related(
        "report__school_class", "report__room__building", "problem"
    ).prefetch_related("students")
    return get_visible_or_404(qs, user, pk=pk)


def _sees_reporter(scope, row: dict) -> bool:
    return (
        scope.manage_everything
        or (row["school_class_id"] is not None and row["school_class_id"] in scope.manage_class_ids)
        or row["college_id"] in scope.manage_college_ids
        or (row["room_id"] is not None and row["room_id"] in scope.party_room_ids)
    )


def opinion_summary(*, user, day: dt.date | None = None, cadence: str = Cadence.WEEKLY) -> dict:
    """本周舆情汇总 (or one day of a special period): who was due, who filed (无异常 or items),
    who has not, and the items by kind — a fixed number of queries whatever the rows."""
    day = day or clock.today()
    scope = scope_for(user)
    start = week_start(day) if cadence != Cadence.DAILY else day
    due = [r for r in expected_reporters(on=day) if _sees_reporter(scope, r)]
    reports = list(
        opinion_report_list(user=user, cadence=cadence, start=start).order_by("reporter_name", "id")
    )
    filed = {r.reporter_id for r in reports}
    missing = [r for r in due if r["user"].pk not in filed]
    items = list(opinion_item_list(user=user, cadence=cadence, start=start).order_by("kind", "-created_at"))
    counts = Counter(i.kind for i in items)
    by_kind = [
        {
            "kind": value,
            "label": label,
            "count": counts[value],
            "items": [i for i in items if i.kind == value],
        }
        for value, label in ItemKind.choices
        if counts[value]
    ]
    specials = list(
        SpecialPeriod.objects.visible_to(user).covering(day).select_related("college").order_by("start")
    )
    return {
        "day": day,
        "cadence": cadence,
        "start": start,
        "end": start + dt.timedelta(days=6) if cadence != Cadence.DAILY else start,
        "due": due,
        "reports": reports,
        "missing": missing,
        "nothing": sum(1 for r in reports if r.nothing_to_report),
        "items": items,
        "by_kind": by_kind,
        "specials": specials,
    }


def special_period_list(*, user) -> QuerySet:
    return SpecialPeriod.objects.visible_to(user).select_related("college")
