"""Class honours (优良学风班, 三杰班): the semester ranking of classes from their records (reads),
and the proposal by the counselor and the college's decision (writes)."""

from __future__ import annotations

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from campusgrid.core import clock
from campusgrid.core.audit import audit_record
from campusgrid.core.errors import Conflict, NotAllowed, ServiceError
from campusgrid.core.scoping import get_visible_or_404
from campusgrid.org.models import College, SchoolClass, Semester

from .. import policy_appraisal as policy
from ..models import ClassHonour, HonourKind, HonourSettings, HonourState
from . import metrics

# --- reads --------------------------------------------------------------------------------------


def class_ranking(*, user, semester: Semester, college: College | None = None) -> list[dict]:
    """The classes the user manages (or sees, within `college`), each with its figures, its
    weighted score and its rank in its college; best first. A fixed number of queries."""
    classes = SchoolClass.objects.visible_to(user).select_related("college").order_by("college_id", "name")
    if college is not None:
        classes = classes.filter(college=college)
    classes = list(classes)
    return rank_classes(classes, semester)


def rank_classes(classes: list[SchoolClass], semester: Semester) -> list[dict]:
    settings = HonourSettings.get()
    figures = metrics.compute_all(metrics.CLASS, semester=semester, subjects=classes)
    rows = []
    for c in classes:
        score = metrics.weighted_score(figures[c.pk], settings.weight_of)
        rows.append({"school_class": c, "figures": figures[c.pk], "score": score, "rank": None})
    by_college: dict = {}
    for row in rows:
        by_college.setdefault(row["school_class"].college_id, []).append(row)
    for items in by_college.values():
        ordered = sorted((r for r in items if r["score"] is not None), key=lambda r: -r["score"])
        previous, rank = None, 0
        for index, row in enumerate(ordered, start=1):
            if row["score"] != previous:
                rank, previous = index, row["score"]
            row["rank"] = rank
    rows.sort(
        key=lambda r: (
            r["school_class"].college_id,
            r["rank"] is None,
            r["rank"] or 0,
            r["school_class"].name,
        )
    )
    return rows


def criteria_columns() -> list[dict]:
    return [
        {"key": e.key, "label": e.label, "enabled": metrics.enabled(e.key)}
        for e in metrics.expected(metrics.CLASS)
    ]


def ranking_colleges(*, user) -> QuerySet:
    """The colleges whose classes the user reaches (a counselor's through their classes)."""
    return College.objects.filter(pk__in=SchoolClass.objects.visible_to(user).values("college_id")).order_by(
        "name"
    )


def class_honour_list(*, user, semester: Semester | None = None, state: str = "") -> QuerySet:
    qs = ClassHonour.objects.visible_to(user).select_related(
        "semester", "school_class", "college", "proposed_by", "decided_by"
    )
    if semester is not None:
        qs = qs.filter(semester=semester)
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("-semester__start", "college_id", "kind", "rank", "id")


def class_honour_get(*, user, pk, action: str = "view") -> ClassHonour:
    return get_visible_or_404(
        ClassHonour.objects.select_related("semester", "school_class", "college"), user, action, pk=pk
    )


def class_honours_list(*, college: College, semester: Semester) -> list[ClassHonour]:
    """The honours the college granted in the semester (for the semester report)."""
    return list(
        ClassHonour.objects.approved()
        .filter(college=college, semester=semester)
        .select_related("school_class")
        .order_by("kind", "rank", "school_class__name")
    )


def honours_of_class(*, school_class: SchoolClass) -> list[ClassHonour]:
    return list(
        ClassHonour.objects.approved()
        .filter(school_class=school_class)
        .select_related("semester")
        .order_by("-semester__start", "kind")
    )


# --- writes -------------------------------------------------------------------------------------


def class_honour_propose(
    *, actor, semester: Semester, school_class: SchoolClass, kind: str, reason: str
) -> ClassHonour:
    """推荐: the counselor proposes a class for an honour, with its score and rank of now; the
    score must reach the honour's line. A rejected proposal may be proposed again."""
    if kind not in HonourKind.values:
        raise ServiceError("荣誉类型无效", field="kind")
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError("请填写推荐理由", field="reason")
    if len(reason) > 2000:
        raise ServiceError("推荐理由不能超过 2000 字", field="reason")
    if not policy.may_propose(actor, school_class):
        raise NotAllowed("只有该班的辅导员、班主任或学院领导可以推荐")
    # The rank is among the college's classes, whoever proposes.
    college_classes = list(
        SchoolClass.objects.filter(college_id=school_class.college_id).select_related("college")
    )
    row = next(r for r in rank_classes(college_classes, semester) if r["school_class"].pk == school_class.pk)
    settings = HonourSettings.get()
    line = settings.min_score(kind)
    if row["score"] is None or row["score"] < line:
        shown = "无记录" if row["score"] is None else f"{row['score']:.1f}"
        raise ServiceError(
            f"{school_class.name}的评比得分（{shown}）未达到{HonourKind(kind).label}的最低分 {line}",
            field="kind",
        )
    with transaction.atomic():
        # Lock an earlier proposal of the same class and honour: two counselors proposing at once
        # must not both win (the unique constraint catches a first proposal's race).
        existing = (
            ClassHonour.objects.select_for_update(of=("self",))
            .filter(semester=semester, school_class=school_class, kind=kind)
            .first()
        )
        values = {
            "score": Decimal(str(row["score"])).quantize(Decimal("0.01")),
            "rank": row["rank"],
            "criteria": row["figures"],
            "reason": reason,
            "proposed_by": actor,
            "proposed_at": clock.now(),
            "state": HonourState.PROPOSED,
            "decided_by": None,
            "decided_at": None,
            "decision_note": "",
        }
        if existing is not None:
            if existing.state != HonourState.REJECTED:
                raise Conflict(f"{school_class.name}已被推荐为{HonourKind(kind).label}")
            for name, value in values.items():
                setattr(existing, name, value)
            existing.version += 1
            existing.save(update_fields=[*values, "version"])
            honour = existing
        else:
            try:
                with transaction.atomic():
                    honour = ClassHonour.objects.create(
                        semester=semester,
                        school_class=school_class,
                        college_id=school_class.college_id,
                        kind=kind,
                        **values,
                    )
            except IntegrityError:
                raise Conflict("该班刚刚已被推荐，请刷新后查看")
        audit_record(
            actor=actor,
            verb="class_honour.propose",
            target=honour,
            summary=f"推荐 {school_class.name} 为 {semester.name} {HonourKind(kind).label}",
        )
    return honour


def class_honour_decide(
    *, actor, honour: ClassHonour, approve: bool, note: str = "", expected_version: int | None = None
) -> ClassHonour:
    """学院决定: a leader grants the honour or turns the proposal down (with a reason)."""
    if not policy.may_decide(actor, honour):
        raise NotAllowed("只有学院领导可以决定班级荣誉")
    note = (note or "").strip()
    if not approve and not note:
        raise ServiceError("不通过时请填写意见", field="note")
    if len(note) > 2000:
        raise ServiceError("意见不能超过 2000 字", field="note")
    with transaction.atomic():
        # Lock the proposal: two leaders deciding at once must not both write.
        locked = (
            ClassHonour.objects.select_for_update(of=("self",))
            .select_related("school_class", "semester")
            .get(pk=honour.pk)
        )
        locked.check_version(expected_version)
        if locked.state != HonourState.PROPOSED:
            raise Conflict("该推荐已有决定")
        locked.state = HonourState.APPROVED if approve else HonourState.REJECTED
        locked.decided_by, locked.decided_at, locked.decision_note = actor, clock.now(), note
        locked.version += 1
        locked.save(update_fields=["state", "decided_by", "decided_at", "decision_note", "version"])
        audit_record(
            actor=actor,
            verb="class_honour.decide",
            target=locked,
            summary=f"{'授予' if approve else '不授予'} {locked.school_class.name} {locked.get_kind_display()}",
        )
    return locked
