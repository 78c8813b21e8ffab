"""Every read of the appraisal that pages, the API, the export and other apps share."""

from __future__ import annotations

from django.db.models import OuterRef, QuerySet, Subquery

from campusgrid.core.errors import ServiceError
from campusgrid.core.scoping import get_visible_or_404
from campusgrid.org.models import SchoolClass, Semester

from ..models import Appraisal, AppraisalState, Grade
from . import metrics


def _base(qs):
    return qs.select_related(
        "semester", "student", "school_class", "college", "post", "scored_by", "answered_by"
    )


def appraisal_list(
    *,
    user,
    semester: Semester | None = None,
    school_class: SchoolClass | None = None,
    grade: str = "",
    state: str = "",
) -> QuerySet:
    """The appraisals the user reaches (managers: their classes' and college's workers; a
    worker: their own, once published), best first."""
    qs = _base(Appraisal.objects.visible_to(user))
    if semester is not None:
        qs = qs.filter(semester=semester)
    if school_class is not None:
        qs = qs.filter(school_class=school_class)
    if grade:
        qs = qs.filter(grade=grade)
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("college_id", "college_rank", "school_class__name", "student__student_no", "id")


def appraisal_get(*, user, pk, action: str = "view") -> Appraisal:
    return get_visible_or_404(_base(Appraisal.objects.all()), user, action, pk=pk)


def appraisal_mine(*, user) -> list[Appraisal]:
    student = getattr(user, "student", None)
    if student is None:
        return []
    return list(
        _base(Appraisal.objects.visible_to(user).filter(student=student)).order_by("-semester__start", "id")
    )


def semesters() -> list[Semester]:
    return list(Semester.objects.order_by("-start"))


def semester_choice(value, *, field: str = "semester") -> Semester:
    """The semester by id or name; the current one when not given; an error naming the field."""
    value = (str(value) if value is not None else "").strip()
    if not value:
        current = Semester.current()
        if current is None:
            raise ServiceError("尚未设置学期", field=field)
        return current
    found = None
    if value.isdigit() and len(value) < 10:
        found = Semester.objects.filter(pk=int(value)).first()
    found = found or Semester.objects.filter(name=value).first()
    if found is None:
        raise ServiceError(f"找不到学期“{value[:40]}”", field=field)
    return found


def class_choice(*, user, value, field: str = "class") -> SchoolClass | None:
    """A class the user reaches, by name; None when not given."""
    value = (str(value) if value is not None else "").strip()
    if not value:
        return None
    found = SchoolClass.objects.visible_to(user).filter(name=value[:64]).first()
    if found is None:
        raise ServiceError(f"在您的范围内找不到班级“{value[:40]}”", field=field)
    return found


def columns(rows) -> list[dict]:
    """The metric columns of a list: every expected worker metric that applies to a kind
    present, each marked whether its source is enabled."""
    kinds = {r.kind for r in rows}
    return [
        {"key": e.key, "label": e.label, "enabled": metrics.enabled(e.key)}
        for e in metrics.expected(metrics.WORKER)
        if not kinds or any(k in e.kinds for k in kinds)
    ]


def figures_of(appraisal: Appraisal) -> list[dict]:
    """The appraisal's figures in the expected order, 未启用 where the source is not enabled."""
    stored = appraisal.metrics or {}
    rows = []
    for e in metrics.expected(metrics.WORKER, appraisal.kind):
        figure = stored.get(e.key)
        rows.append({"key": e.key, "label": e.label, "figure": figure, "enabled": figure is not None})
    return rows


def cell(appraisal: Appraisal, key: str) -> str:
    """One metric as a list or export cell: its detail, 未启用, or — where it does not apply."""
    stored = appraisal.metrics or {}
    if key not in stored:
        return "—"
    figure = stored[key]
    if figure is None:
        return "未启用"
    return figure.get("detail") or str(figure.get("value"))


def short_cell(appraisal: Appraisal, key: str) -> dict:
    """One metric on the list page: its score (the detail as the cell's title), 未启用, or —."""
    stored = appraisal.metrics or {}
    if key not in stored:
        return {"text": "—", "title": "不适用于该职务"}
    figure = stored[key]
    if figure is None:
        return {"text": "未启用", "title": "该指标的来源尚未启用，不计分", "off": True}
    score = figure.get("score")
    return {"text": "不计分" if score is None else f"{score:.0f}", "title": figure.get("detail", "")}


def failed_student_ids(kind=None):
    """Students whose latest published appraisal is 不合格: the vacancy suggestions leave them out."""
    shown = Appraisal.objects.published()
    latest = (
        shown.filter(student_id=OuterRef("student_id"))
        .order_by("-semester__start", "-id")
        .values("grade")[:1]
    )
    return (
        shown.filter(grade=Grade.FAIL)
        .annotate(latest=Subquery(latest))
        .filter(latest=Grade.FAIL)
        .values("student_id")
    )


def latest_published(student_ids) -> dict[int, Appraisal]:
    """The latest published appraisal of each of these students (for the appointment page)."""
    result: dict[int, Appraisal] = {}
    for row in (
        Appraisal.objects.published()
        .filter(student_id__in=list(student_ids))
        .select_related("semester")
        .order_by("student_id", "-semester__start", "-id")
    ):
        result.setdefault(row.student_id, row)
    return result


STATES = AppraisalState
