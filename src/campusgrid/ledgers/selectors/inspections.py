"""Reads of inspections: rounds with their figures, the illegal-appliance rate
over rounds (the chart's JSON), the rooms of a round, findings, ratings."""

from __future__ import annotations

from django.db.models import Avg, Count, Exists, OuterRef, Q

from campusgrid.core.scoping import CHANGE, get_visible_or_404, scope_for
from campusgrid.org.models import Room, Semester, room_label_q

from ..models import Finding, Inspection, InspectionRound, RoomRating, RoundKind


def inspection_round_list(*, user, filters: dict | None = None):
    filters = filters or {}
    qs = InspectionRound.objects.visible_to(user)
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    if filters.get("semester"):
        qs = qs.filter(semester_id=filters["semester"])
    return qs.order_by("-date", "-id")


def _with_findings(qs):
    return qs.annotate(
        has_finding=Exists(Finding.objects.filter(inspection=OuterRef("pk"))),
        has_illegal=Exists(Finding.objects.filter(inspection=OuterRef("pk"), item__illegal_appliance=True)),
    )


def round_figures(*, user, round_ids: list[int]) -> dict[int, dict]:
    """Per round, over the rooms the user may see: rooms, inspected, with findings,
    with illegal appliances, the rate and the average hygiene score. One query."""
    if not round_ids:
        return {}
    rows = (
        _with_findings(Inspection.objects.visible_to(user).filter(round_id__in=round_ids))
        .values("round_id")
        .annotate(
            rooms=Count("id"),
            inspected=Count("id", filter=Q(state=Inspection.State.DONE)),
            with_findings=Count("id", filter=Q(has_finding=True)),
            illegal=Count("id", filter=Q(has_illegal=True)),
            average=Avg("hygiene_score"),
        )
        .order_by()
    )
    result = {}
    for row in rows:
        row["rate"] = row["illegal"] / row["inspected"] if row["inspected"] else None
        result[row["round_id"]] = row
    return result


def illegal_rate_series(*, user, limit: int = 24) -> dict:
    """The illegal-appliance rate (rooms with an illegal appliance / rooms inspected)
    per safety round, oldest first, for ECharts."""
    rounds = list(
        inspection_round_list(user=user)
        .filter(kind__in=[RoundKind.SAFETY, RoundKind.BOTH])
        .values("id", "date", "title")[:limit]
    )
    rounds.reverse()
    figures = round_figures(user=user, round_ids=[r["id"] for r in rounds])
    series = {
        "ids": [],
        "dates": [],
        "titles": [],
        "rates": [],
        "inspected": [],
        "illegal": [],
        "change": None,
    }
    for r in rounds:
        f = figures.get(r["id"])
        if not f or not f["inspected"]:
            continue
        series["ids"].append(r["id"])
        series["dates"].append(r["date"].isoformat())
        series["titles"].append(r["title"])
        series["rates"].append(round(f["rate"] * 100, 1))
        series["inspected"].append(f["inspected"])
        series["illegal"].append(f["illegal"])
    if len(series["rates"]) >= 2 and series["rates"][0]:
        series["change"] = round((series["rates"][-1] - series["rates"][0]) / series["rates"][0] * 100, 1)
    return series


def inspection_round_get(*, user, pk: int) -> InspectionRound:
    return get_visible_or_404(InspectionRound.objects.all(), user, pk=pk)


def round_inspections(*, user, round_: InspectionRound):
    return (
        _with_findings(Inspection.objects.visible_to(user).filter(round=round_))
        .annotate(findings_count=Count("findings"))
        .select_related("room__building")
        .order_by("room__building__name", "room__number")
    )


def inspection_list(*, user, filters: dict | None = None):
    filters = filters or {}
    qs = Inspection.objects.visible_to(user)
    if filters.get("round"):
        qs = qs.filter(round_id=filters["round"])
    if filters.get("room"):
        qs = qs.filter(room_label_q(filters["room"], "room"))
    return qs.select_related("round", "room__building").order_by(
        "-round__date", "room__building__name", "room__number"
    )


def inspection_get(*, user, pk: int) -> Inspection:
    return get_visible_or_404(Inspection.objects.select_related("round", "room__building"), user, pk=pk)


def finding_list(*, user, filters=None):
    """隐患台账 in reach; `filters` (a dict or the request's GET) go through FindingFilter,
    the one definition the page, its export and the API share."""
    qs = (
        Finding.objects.visible_to(user)
        .select_related("room__building", "item", "inspection__round", "report")
        .prefetch_related("students")
        .order_by("-found_at", "-id")
    )
    if filters is None:
        return qs
    from ..filters import FindingFilter

    filterset = FindingFilter(filters, queryset=qs, user=user)
    return filterset.qs if filterset.is_valid() else qs.none()


def finding_get(*, user, pk: int) -> Finding:
    qs = Finding.objects.select_related(
        "room__building", "item", "inspection__round", "report"
    ).prefetch_related("students", "rechecks")
    return get_visible_or_404(qs, user, pk=pk)


def rooms_to_inspect(*, user):
    """Rooms the user may put in a round: a manager's rooms, a dorm head's own."""
    scope = scope_for(user)
    managed = Room.objects.visible_to(user, CHANGE)
    own = Room.objects.filter(pk__in=scope.room_ids)
    return (managed | own).select_related("building").distinct().order_by("building__name", "number")


def room_findings(*, user, room, limit: int = 10):
    return list(finding_list(user=user).filter(room=room)[:limit])


def rating_semesters():
    return Semester.objects.order_by("-start")


def rating_list(
    *, user, semester: Semester | None = None, building: str = "", stars: int | None = None, civil=False
):
    """The semester's rated rooms the user sees; `stars` narrows to one star level (the
    dashboard's ratings chart counts each level and opens the page with ?stars=), `civil` to
    the 文明宿舍 (the semester report's figure, ?civil=on)."""
    qs = RoomRating.objects.visible_to(user)
    if semester is not None:
        qs = qs.filter(semester=semester)
    if building:
        qs = qs.filter(room__building__name=building)
    if stars is not None:
        qs = qs.filter(stars=stars)
    if civil:
        qs = qs.filter(civil=True)
    return qs.select_related("room__building", "semester").order_by(
        "room__building__name", "building_rank", "room__number"
    )


def rating_summary(*, user, semester: Semester | None) -> dict:
    qs = rating_list(user=user, semester=semester)
    figures = qs.aggregate(
        rooms=Count("id"),
        civil=Count("id", filter=Q(civil=True)),  # the rows of rating_list(civil=True)
        model=Count("id", filter=Q(model_room=True)),
        stars5=Count("id", filter=Q(stars=5)),
        average=Avg("average_score"),
    )
    return figures


def room_ratings(*, user, room, limit: int = 4):
    return list(
        RoomRating.objects.visible_to(user)
        .filter(room=room)
        .select_related("semester")
        .order_by("-semester__start")[:limit]
    )


def room_members_for_finding(*, user, room):
    """The room's enrolled members the user may name as responsible."""
    from campusgrid.people.models import Student, StudentStatus

    return (
        Student.objects.visible_to(user)
        .filter(bed__room=room, status=StudentStatus.ENROLLED)
        .select_related("bed")
        .order_by("bed__number")
    )


def room_inspections(*, user, room, limit: int = 6):
    return list(
        Inspection.objects.visible_to(user)
        .filter(room=room, state=Inspection.State.DONE)
        .select_related("round")
        .order_by("-round__date")[:limit]
    )
