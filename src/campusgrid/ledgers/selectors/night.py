"""Reads of the night checks: tonight's progress (aggregated in SQL, so its cost
does not grow with the number of rooms), the room's form, the ledger."""

from __future__ import annotations

import datetime as dt

from django.db.models import (
    Count,
    Exists,
    F,
    FilteredRelation,
    OuterRef,
    Prefetch,
    Q,
    prefetch_related_objects,
)

from campusgrid.core import clock
from campusgrid.core.scoping import CHANGE, get_visible_or_404, scope_for
from campusgrid.org.models import Room, room_label_q
from campusgrid.people.models import Student, StudentStatus

from ..models import LedgerSettings, NightCheck, NightCheckEntry, NightStatus


def tonight(now: dt.datetime | None = None) -> dt.date:
    return LedgerSettings.get().night_of(now or clock.now())


def night_to_show(now: dt.datetime | None = None) -> dt.date:
    """The night a dashboard shows: tonight once the check has opened, last night before."""
    now = now or clock.now()
    settings = LedgerSettings.get()
    night = settings.night_of(now)
    return night if now >= settings.open_moment(night) else night - dt.timedelta(days=1)


def occupied_rooms(*, user):
    """Rooms in the user's reach where enrolled students sleep."""
    occupied = Student.objects.filter(status=StudentStatus.ENROLLED, bed__isnull=False).values("bed__room_id")
    return Room.objects.visible_to(user).filter(pk__in=occupied)


def night_progress(*, user, date: dt.date, buildings: bool = True) -> dict:
    """Tonight per class (students checked, and how) and, with `buildings`, per
    building (rooms checked, and how), whatever the number of rooms: the students in one
    query grouped by class, building and tonight's status (both tables are sums of its
    rows), and with `buildings` the rooms in one more (the dashboard panel asks for the
    classes only). One aggregate of one column, where three queries of five filtered
    counts each took three times the CPU to build on a page counselors refresh every
    half minute (issue 17)."""
    grouped = night_progress_rows(user=user, date=date)
    by_class, by_building = {}, {}
    for class_name, building_name, status, n in grouped:
        # A student without tonight's line has no status (the outer join's NULL).
        if class_name is not None:
            row = by_class.get(class_name)
            if row is None:
                row = by_class[class_name] = {
                    "school_class__name": class_name,
                    "total": 0,
                    "checked": 0,
                    **dict.fromkeys(NightStatus.values, 0),
                }
            row["total"] += n
            if status is not None:
                row["checked"] += n
                row[status] += n
        row = by_building.get(building_name)
        if row is None:
            row = by_building[building_name] = {"total": 0, **dict.fromkeys(NightStatus.values, 0)}
        row["total"] += n
        if status is not None:
            row[status] += n
    classes = list(by_class.values())
    rows = []
    if buildings:
        for row in night_progress_rooms(user=user, date=date):
            found = by_building.get(row["building__name"], {})
            rows.append(
                {**row, **{s: found.get(s, 0) for s in NightStatus.values}, "total": found.get("total", 0)}
            )
    totals = {
        "rooms": sum(b["rooms"] for b in rows),
        "checked_rooms": sum(b["checked"] for b in rows),
        "students": sum(c["total"] for c in classes),
        "checked_students": sum(c["checked"] for c in classes),
        **{s: sum(c[s] for c in classes) for s in NightStatus.values},
    }
    totals["rate"] = totals["checked_rooms"] / totals["rooms"] if totals["rooms"] else None
    totals["student_rate"] = totals["checked_students"] / totals["students"] if totals["students"] else None
    return {"date": date, "classes": classes, "buildings": rows, "totals": totals}


def night_progress_rows(*, user, date: dt.date):
    """night_progress's students: (class, building, status on `date`, count) rows."""
    students = Student.objects.visible_to(user).filter(status=StudentStatus.ENROLLED, bed__isnull=False)
    return (
        students.annotate(tonight=FilteredRelation("night_entries", condition=Q(night_entries__date=date)))
        .values_list("school_class__name", "bed__room__building__name", "tonight__status")
        .annotate(n=Count("id"))
        .order_by("school_class__name")  # the classes' order, as the database collates names
    )


def night_progress_rooms(*, user, date: dt.date):
    """night_progress's rooms per building: occupied, and checked on `date`."""
    return (
        occupied_rooms(user=user)
        .annotate(tonight=FilteredRelation("night_checks", condition=Q(night_checks__date=date)))
        .values("building__name")
        .annotate(rooms=Count("id"), checked=Count("tonight__id"))
        .order_by("building__name")
    )


def unchecked_rooms(*, user, date: dt.date):
    return (
        occupied_rooms(user=user)
        .filter(~Exists(NightCheck.objects.filter(room=OuterRef("pk"), date=date)))
        .select_related("building")
        .order_by("building__name", "number")
    )


def night_exceptions(*, user, date: dt.date):
    """Tonight's absences and late returns in the user's reach."""
    return (
        NightCheckEntry.objects.visible_to(user)
        .filter(date=date, status__in=[NightStatus.ABSENT, NightStatus.LATE])
        .select_related("student__school_class", "night_check__room__building")
        .order_by("night_check__room__building__name", "night_check__room__number", "student__student_no")
    )


def night_entries_by_ids(ids: list[int]) -> list[NightCheckEntry]:
    """These lines, in this order, with what night_exceptions shows (the ids come from a
    scoped list: the home panel's kept night progress)."""
    found = {
        e.pk: e
        for e in NightCheckEntry.objects.filter(pk__in=ids).select_related(
            "student__school_class", "night_check__room__building"
        )
    }
    return [found[pk] for pk in ids if pk in found]


def night_checks_by_ids(ids: list[int]) -> list[NightCheck]:
    """These room checks, in this order, with what checked_rooms shows (ids from a scoped list)."""
    found = {c.pk: c for c in NightCheck.objects.filter(pk__in=ids).select_related("room__building")}
    return [found[pk] for pk in ids if pk in found]


def checkable_rooms(*, user):
    """The rooms whose check the user does: a dorm head's own room(s)."""
    scope = scope_for(user)
    return (
        Room.objects.filter(pk__in=scope.room_ids)
        .select_related("building")
        .order_by("building__name", "number")
    )


def room_for_check(*, user, room_id: int | None = None, label: str = "") -> Room:
    """A room the user may check or correct (its dorm head, or level 3+), else 404."""
    scope = scope_for(user)
    qs = Room.objects.select_related("building")
    lookup = Q(pk=room_id) if room_id is not None else None
    if label:
        lookup = room_label_q(label)
    room = qs.filter(lookup).first() if lookup is not None else None
    if room is not None and room.pk in scope.room_ids:
        return room  # the user's own room: visible by the room rule (grid.scope.rooms_of_scope)
    return get_visible_or_404(qs, user, CHANGE, pk=room.pk if room else -1)


def night_check_form(*, user, room: Room, date: dt.date, submitted: NightCheck | None = None) -> dict:
    """What the phone form shows: the members the user checks, last entries, leave.

    `submitted`: the check `night_check_submit` has just saved for this room and night; its
    members, lines and leave are the service's (the same members the user may check), so
    the page answering the submit does not read them again."""
    from ..services.common import is_dorm_head_of
    from ..services.night import leaves_covering

    lines = getattr(submitted, "submitted", None)
    if lines is not None and submitted.room_id == room.pk and submitted.date == date:
        members, entries, leaves, check = lines["members"], lines["entries"], lines["leaves"], submitted
        report = NightCheckEntry._meta.get_field("report")
        unread = [e for e in entries.values() if e.report_id and not report.is_cached(e)]
        prefetch_related_objects(unread, "report")
    else:
        members = Student.objects.filter(bed__room=room, status=StudentStatus.ENROLLED)
        if not is_dorm_head_of(user, room.pk):
            members = members.visible_to(user, CHANGE)
        # The ID number is encrypted and the form never shows it.
        members = list(members.select_related("school_class").defer("id_number").order_by("bed__number"))
        check = NightCheck.objects.filter(room=room, date=date).first()
        entries = {}
        if check is not None:
            entries = {
                e.student_id: e
                for e in NightCheckEntry.objects.filter(night_check=check).select_related("report")
            }
        leaves = leaves_covering([m.pk for m in members], date)
    rows = []
    for member in members:
        entry = entries.get(member.pk)
        rows.append(
            {
                "student": member,
                "entry": entry,
                "leave": leaves.get(member.pk),
                "status": entry.status if entry else ("leave" if member.pk in leaves else ""),
                "time": entry.time if entry else None,
            }
        )
    return {"room": room, "date": date, "check": check, "rows": rows}


def corrections(*, check: NightCheck):
    from ..models import NightCheckCorrection

    return list(
        NightCheckCorrection.objects.filter(entry__night_check=check)
        .select_related("entry__student")
        .order_by("at", "id")
    )


def night_entry_list(*, user, filters: dict | None = None):
    """夜不归宿台账: the lines of night checks in reach, newest first."""
    filters = filters or {}
    qs = NightCheckEntry.objects.visible_to(user)
    status = filters.get("status")
    if status == "exceptions" or not status:
        qs = qs.filter(status__in=[NightStatus.ABSENT, NightStatus.LATE, NightStatus.LEAVE])
    elif status != "all":
        qs = qs.filter(status=status)
    if filters.get("date_from"):
        qs = qs.filter(date__gte=filters["date_from"])
    if filters.get("date_to"):
        qs = qs.filter(date__lte=filters["date_to"])
    if filters.get("school_class"):
        qs = qs.filter(student__school_class__name=filters["school_class"])
    if filters.get("building"):
        qs = qs.filter(night_check__room__building__name=filters["building"])
    if filters.get("student_no"):
        qs = qs.filter(student__student_no=filters["student_no"])
    return qs.select_related(
        "student__school_class", "night_check__room__building", "leave", "report"
    ).order_by(
        "-date", "night_check__room__building__name", "night_check__room__number", "student__student_no"
    )


def night_check_list(*, user, filters: dict | None = None):
    """Room checks in reach, each with the lines the user may see (API)."""
    filters = filters or {}
    qs = NightCheck.objects.visible_to(user)
    if filters.get("date"):
        qs = qs.filter(date=filters["date"])
    if filters.get("room"):
        qs = qs.filter(room_label_q(filters["room"], "room"))
    entries = (
        NightCheckEntry.objects.visible_to(user).select_related("student").order_by("student__student_no")
    )
    return (
        qs.select_related("room__building")
        .prefetch_related(Prefetch("entries", queryset=entries, to_attr="visible_entries"))
        .order_by("-date", "room__building__name", "room__number")
    )


def night_check_get(*, user, pk: int) -> NightCheck:
    return get_visible_or_404(night_check_list(user=user), user, pk=pk)


def student_nights(*, user, student, days: int = 90):
    since = clock.today() - dt.timedelta(days=days)
    return list(
        night_entry_list(user=user, filters={"student_no": student.student_no, "date_from": since})[:30]
    )


def checked_rooms(*, user, date: dt.date):
    """Tonight's room checks in reach, latest first (the dashboard shows them)."""
    return (
        NightCheck.objects.visible_to(user)
        .filter(date=date)
        .select_related("room__building")
        .order_by("-updated_at")
    )


_CHECK_COUNTS = ("id", "present_count", "leave_count", "late_count", "absent_count")


def my_rooms_tonight(*, user, date: dt.date) -> list[dict]:
    """A dorm head's rooms, each with the counts of its check on `date` (None before it is
    submitted): the rooms and their checks in one query."""
    rooms = (
        checkable_rooms(user=user)
        .annotate(tonight=FilteredRelation("night_checks", condition=Q(night_checks__date=date)))
        .annotate(**{f"check_{f}": F(f"tonight__{f}") for f in _CHECK_COUNTS})
    )
    return [
        {
            "room": r,
            "check": {f: getattr(r, f"check_{f}") for f in _CHECK_COUNTS} if r.check_id is not None else None,
        }
        for r in rooms
    ]


def room_night_checks(*, user, room, limit: int = 7):
    return list(NightCheck.objects.visible_to(user).filter(room=room).order_by("-date")[:limit])


def night_by_college(*, user, date: dt.date) -> dict[int, dict]:
    """Per college: enrolled students with a bed, those checked on `date`, and how — two
    aggregate queries whatever the number of colleges (the office's first view)."""
    from campusgrid.grid.selectors import students_by_college

    totals = {college_id: bedded for college_id, (_, bedded) in students_by_college(user).items()}
    entries = (
        NightCheckEntry.objects.visible_to(user)
        .filter(date=date, student__status=StudentStatus.ENROLLED)
        .values("student__college_id")
        .annotate(checked=Count("id"), **{s: Count("id", filter=Q(status=s)) for s in NightStatus.values})
    )
    found = {row.pop("student__college_id"): row for row in entries}
    result = {}
    for college_id, total in totals.items():
        row = found.get(college_id, {})
        result[college_id] = {
            "total": total,
            "checked": row.get("checked", 0),
            **{s: row.get(s, 0) for s in NightStatus.values},
        }
    return result


def night_colleges(*, user, date: dt.date) -> list[dict]:
    """`night_by_college` as rows with the college's name, in name order."""
    from campusgrid.org.models import College

    counts = night_by_college(user=user, date=date)
    rows = []
    for college_id, name in College.objects.visible_to(user).order_by("name").values_list("id", "name"):
        row = counts.get(college_id, {"total": 0, "checked": 0, **dict.fromkeys(NightStatus.values, 0)})
        rows.append({"college_id": college_id, "college": name, **row})
    for row in rows:
        row["rate"] = row["checked"] / row["total"] if row["total"] else None
    return rows


def night_totals(*, user, date: dt.date, colleges: list[dict]) -> dict:
    """The stat cards over `night_colleges` rows: students checked, not rooms (counting the
    occupied rooms of a whole university would be the page's slowest query)."""
    students = sum(r["total"] for r in colleges)
    checked = sum(r["checked"] for r in colleges)
    return {
        "rooms": students,
        "checked_rooms": checked,
        "rate": checked / students if students else None,
        "students": students,
        "checked_students": checked,
        "student_rate": checked / students if students else None,
        **{s: sum(r[s] for r in colleges) for s in NightStatus.values},
    }
