"""Reads of grid-worker training: who holds a post whose required training they have not had."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, F, OuterRef, Q

from campusgrid.core import clock
from campusgrid.core.scoping import VIEW
from campusgrid.grid.models import Post, PostKind

from ..models import ATTENDED, Attendance, SessionKind, TrainingRequirement

POST_LABELS = dict(PostKind.choices)


def requirement_list() -> list[TrainingRequirement]:
    return list(TrainingRequirement.objects.filter(active=True).order_by("post_kind", "topic"))


def _attended(requirement: TrainingRequirement, *, holder: str):
    """Exists: the post's holder attended a training of the requirement's topic, during the
    term or within `counts_before_days` before it."""
    return Attendance.objects.filter(
        **{holder: OuterRef(holder)},
        session__kind=SessionKind.TRAINING,
        session__topic=requirement.topic,
        status__in=ATTENDED,
        session__starts_at__date__gte=OuterRef("start_date")
        - dt.timedelta(days=requirement.counts_before_days),
    )


def training_status(*, user, college=None, school_class=None, untrained_only: bool = False) -> list[dict]:
    """One row per (current post in reach, requirement of its kind): trained or not, the due
    date, overdue. One query per requirement (a handful), whatever the number of posts."""
    return _rows(Post.objects.visible_to(user, VIEW), college, school_class, untrained_only)


def untrained_everywhere() -> list[dict]:
    """Every untrained worker of every college: what `tick` reminds counselors about."""
    return _rows(Post.objects.all(), None, None, True)


def _rows(base, college, school_class, untrained_only) -> list[dict]:
    today = clock.today()
    rows: list[dict] = []
    for requirement in requirement_list():
        posts = (
            base.current(today)
            .filter(kind=requirement.post_kind)
            .select_related(
                "student__school_class",
                "student__college",
                "staff__college",
                "room__building",
                "school_class",
            )
            .annotate(
                trained=Exists(_attended(requirement, holder="student"))
                | Exists(_attended(requirement, holder="staff"))
            )
        )
        if college is not None:
            posts = posts.filter(Q(student__college=college) | Q(staff__college=college))
        if school_class is not None:
            posts = posts.filter(Q(student__school_class=school_class) | Q(school_class=school_class))
        if untrained_only:
            posts = posts.filter(trained=False)
        for post in posts.order_by(F("student__school_class__name").asc(nulls_last=True), "start_date", "id"):
            due = post.start_date + dt.timedelta(days=requirement.within_days)
            holder = post.student or post.staff
            rows.append(
                {
                    "post": post,
                    "requirement": requirement,
                    "holder": holder,
                    "number": getattr(holder, "student_no", None) or getattr(holder, "staff_no", ""),
                    "school_class": post.student.school_class if post.student_id else post.school_class,
                    "college": holder.college if holder else None,
                    "trained": post.trained,
                    "due": due,
                    "overdue": not post.trained and due < today,
                }
            )
    return rows


def untrained_list(*, user, college=None, school_class=None) -> list[dict]:
    return training_status(user=user, college=college, school_class=school_class, untrained_only=True)


def untrained_by_class(rows: list[dict]) -> list[dict]:
    """The untrained rows counted per college and class."""
    groups: dict[tuple, dict] = {}
    for row in rows:
        if row["trained"]:
            continue
        college = row["college"].name if row["college"] else "—"
        klass = row["school_class"].name if row["school_class"] else "—"
        group = groups.setdefault(
            (college, klass), {"college": college, "school_class": klass, "count": 0, "overdue": 0}
        )
        group["count"] += 1
        group["overdue"] += 1 if row["overdue"] else 0
    return sorted(groups.values(), key=lambda g: (g["college"], g["school_class"]))


def training_records(*, user, student=None, staff=None):
    """Training attendance rows in reach (of one person when given), newest first."""
    qs = Attendance.objects.visible_to(user, VIEW).filter(session__kind=SessionKind.TRAINING)
    if student is not None:
        qs = qs.filter(student=student)
    if staff is not None:
        qs = qs.filter(staff=staff)
    return qs.select_related("session", "student", "staff").order_by("-session__starts_at", "-id")


def post_training(*, post: Post) -> dict:
    """A worker's training record for their appointment page: the requirements of the post's
    kind (met or not, due) and every training attended."""
    holder = {"student": post.student} if post.student_id else {"staff": post.staff}
    attended = list(
        Attendance.objects.filter(session__kind=SessionKind.TRAINING, **holder)
        .select_related("session")
        .order_by("-session__starts_at")
    )
    requirements = []
    for requirement in TrainingRequirement.objects.filter(active=True, post_kind=post.kind):
        earliest = post.start_date - dt.timedelta(days=requirement.counts_before_days)
        done = next(
            (
                a
                for a in attended
                if a.status in ATTENDED
                and a.session.topic == requirement.topic
                and clock.local(a.session.starts_at).date() >= earliest
            ),
            None,
        )
        due = post.start_date + dt.timedelta(days=requirement.within_days)
        requirements.append(
            {
                "requirement": requirement,
                "done": done,
                "due": due,
                "overdue": done is None and due < clock.today(),
            }
        )
    return {"requirements": requirements, "attended": attended}
