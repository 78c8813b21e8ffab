"""Every write of the appraisal: compute the drafts from the records, the counselor's score,
publish, object (申诉) and answer."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from campusgrid.core import clock
from campusgrid.core.audit import audit_record
from campusgrid.core.errors import Conflict, NotAllowed, ServiceError

from .. import policy_appraisal as policy
from ..models import Appraisal, AppraisalSettings, AppraisalState
from ..models.appraisal import APPRAISED_KINDS
from . import metrics

TWO = Decimal("0.01")


def _dec(value) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(TWO, rounding=ROUND_HALF_UP)


def total_of(
    computed: Decimal | None, counselor: Decimal | None, settings: AppraisalSettings
) -> Decimal | None:
    """总分 = 记录得分 × 记录权重 + 辅导员评分 × 辅导员权重 (weights normalised to 100%). Without the
    counselor's score there is no total; without any computed figure the counselor's score is
    the total."""
    if counselor is None:
        return None
    if computed is None:
        return _dec(counselor)
    cw, ow = settings.computed_weight, settings.counselor_weight
    if cw + ow == 0:
        cw, ow = 60, 40
    return _dec((Decimal(computed) * cw + Decimal(counselor) * ow) / (cw + ow))


def appraisal_posts(*, actor, semester, school_class=None):
    """The student posts held in the semester over the actor's classes (by the holder's class):
    the grid workers to appraise."""
    from campusgrid.grid.models import Post
    from campusgrid.people.models import Student

    students = Student.objects.visible_to(actor, "change")
    if school_class is not None:
        students = students.filter(school_class=school_class)
    return list(
        Post.objects.filter(kind__in=APPRAISED_KINDS, student__in=students.values("pk"))
        .filter(start_date__lte=semester.end)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=semester.start))
        .select_related(
            "student__user", "student__school_class", "room__building", "school_class", "small_grid", "branch"
        )
        .order_by("id")
    )


def appraisal_compute(*, actor, semester, school_class=None) -> int:
    """Create or refresh the drafts of the semester for the actor's workers from the records
    (published appraisals keep the figures they were published with). Returns the number
    computed."""
    if not policy.may_manage_appraisals(actor):
        raise NotAllowed("只有辅导员、班主任或学院领导可以计算考核")
    posts = appraisal_posts(actor=actor, semester=semester, school_class=school_class)
    settings = AppraisalSettings.get()
    figures = metrics.compute_all(metrics.WORKER, semester=semester, subjects=posts)
    now = clock.now()
    touched = set()
    with transaction.atomic():
        # Lock the semester's existing rows of these posts: a publish running meanwhile must not
        # have its rows overwritten with draft figures.
        existing = {
            a.post_id: a
            for a in Appraisal.objects.select_for_update(of=("self",)).filter(
                semester=semester, post__in=[p.pk for p in posts]
            )
        }
        new, changed = [], []
        for post in posts:
            row = existing.get(post.pk)
            if row is not None and row.state != AppraisalState.DRAFT:
                continue
            computed = _dec(metrics.weighted_score(figures[post.pk], settings.weight_of))
            student = post.student
            values = {
                "student": student,
                "kind": post.kind,
                "school_class_id": student.school_class_id,
                "college_id": student.college_id,
                "place_label": post.place_label[:100],
                "metrics": figures[post.pk],
                "computed_score": computed,
                "computed_at": now,
            }
            if row is None:
                row = Appraisal(semester=semester, post=post, **values)
                new.append(row)
            else:
                for name, value in values.items():
                    setattr(row, name, value)
                row.version += 1
                changed.append(row)
            row.total = total_of(computed, row.counselor_score, settings)
            row.grade = settings.grade_for(row.total)
            touched.add(student.college_id)
        Appraisal.objects.bulk_create(new)
        Appraisal.objects.bulk_update(
            changed,
            [
                "student",
                "kind",
                "school_class",
                "college",
                "place_label",
                "metrics",
                "computed_score",
                "computed_at",
                "total",
                "grade",
                "version",
            ],
            batch_size=500,
        )
        for college_id in touched:
            rerank(semester_id=semester.pk, college_id=college_id)
        audit_record(
            actor=actor,
            verb="appraisal.compute",
            target=None,
            summary=f"计算 {semester.name} 网格员考核 {len(new) + len(changed)} 人次",
            semester=semester.pk,
            created=len(new),
            updated=len(changed),
        )
    return len(new) + len(changed)


def rerank(*, semester_id: int, college_id: int) -> None:
    """Ranks by total within the college and within each class (1, 2, 2, 4 for ties); rows
    without a total have no rank. Called inside the writer's transaction."""
    rows = list(
        Appraisal.objects.filter(semester_id=semester_id, college_id=college_id).only(
            "id", "total", "school_class_id", "class_rank", "college_rank"
        )
    )

    def ranks(items):
        ordered = sorted((r for r in items if r.total is not None), key=lambda r: -r.total)
        result, previous, rank = {}, None, 0
        for index, row in enumerate(ordered, start=1):
            if row.total != previous:
                rank, previous = index, row.total
            result[row.pk] = rank
        return result

    college = ranks(rows)
    by_class: dict = {}
    for row in rows:
        by_class.setdefault(row.school_class_id, []).append(row)
    klass = {}
    for items in by_class.values():
        klass.update(ranks(items))
    changed = []
    for row in rows:
        new = (klass.get(row.pk), college.get(row.pk))
        if (row.class_rank, row.college_rank) != new:
            row.class_rank, row.college_rank = new
            changed.append(row)
    Appraisal.objects.bulk_update(changed, ["class_rank", "college_rank"], batch_size=500)


def _locked(appraisal: Appraisal, expected_version: int | None) -> Appraisal:
    # Lock the row: the counselor's score, a publish and the worker's objection may arrive together.
    locked = (
        Appraisal.objects.select_for_update(of=("self",))
        .select_related("semester", "student__user")
        .get(pk=appraisal.pk)
    )
    locked.check_version(expected_version)
    return locked


def _score_value(score) -> Decimal:
    try:
        value = Decimal(str(score).strip())
    except Exception:
        raise ServiceError("辅导员评分须为 0 到 100 之间的数字", field="counselor_score")
    if not value.is_finite() or value < 0 or value > 100:
        raise ServiceError("辅导员评分须为 0 到 100 之间的数字", field="counselor_score")
    return _dec(value)


def appraisal_score(
    *, actor, appraisal: Appraisal, score, comment: str = "", expected_version: int | None = None
) -> Appraisal:
    """The counselor's score (0–100) and comment on a draft."""
    return appraisal_score_many(actor=actor, scores=[(appraisal, score, comment, expected_version)])[0]


def appraisal_score_many(*, actor, scores: list[tuple]) -> list[Appraisal]:
    """Scores several drafts, each `(appraisal, score, comment, expected_version)`, in one
    transaction, and ranks each college they touch once — not once per score, which made
    scoring a college's ~1,500 workers quadratic (every rerank rewrites the ranks below)."""
    checked = []
    for appraisal, score, comment, _version in scores:
        if not policy.may_manage(actor, appraisal):
            raise NotAllowed("只有该网格员的辅导员、班主任或学院领导可以评分")
        comment = (comment or "").strip()
        if len(comment) > 2000:
            raise ServiceError("评语不能超过 2000 字", field="comment")
        checked.append((_score_value(score), comment))
    settings = AppraisalSettings.get()
    done, colleges = [], set()
    with transaction.atomic():
        for (appraisal, _score, _comment, expected_version), (value, comment) in zip(
            scores, checked, strict=True
        ):
            locked = _locked(appraisal, expected_version)
            if locked.state != AppraisalState.DRAFT:
                raise Conflict("考核已公示，评分只能在答复申诉时修改")
            locked.counselor_score, locked.comment, locked.scored_by = value, comment, actor
            locked.total = total_of(locked.computed_score, value, settings)
            locked.grade = settings.grade_for(locked.total)
            locked.version += 1
            locked.save(
                update_fields=["counselor_score", "comment", "scored_by", "total", "grade", "version"]
            )
            audit_record(
                actor=actor,
                verb="appraisal.score",
                target=locked,
                summary=f"{locked.student.name} 辅导员评分 {value}，总分 {locked.total}",
            )
            colleges.add((locked.semester_id, locked.college_id))
            done.append(locked)
        for semester_id, college_id in sorted(colleges):
            rerank(semester_id=semester_id, college_id=college_id)
    return done


def appraisal_publish(*, actor, semester, school_class=None) -> int:
    """公示: every scored draft of the actor's workers in the semester; each worker is told and
    may object until the window closes. Drafts without the counselor's score stay drafts."""
    if not policy.may_manage_appraisals(actor):
        raise NotAllowed("只有辅导员、班主任或学院领导可以公示考核")
    settings = AppraisalSettings.get()
    now = clock.now()
    until = now + dt.timedelta(days=settings.objection_days)
    drafts = Appraisal.objects.visible_to(actor, "change").filter(
        semester=semester, state=AppraisalState.DRAFT, counselor_score__isnull=False
    )
    if school_class is not None:
        drafts = drafts.filter(school_class=school_class)
    with transaction.atomic():
        # Lock the drafts: a score saved meanwhile must not be published half-way.
        rows = list(drafts.select_for_update(of=("self",)).select_related("student__user"))
        for row in rows:
            row.state, row.published_at, row.published_by, row.objection_until = (
                AppraisalState.PUBLISHED,
                now,
                actor,
                until,
            )
            row.version += 1
        Appraisal.objects.bulk_update(
            rows, ["state", "published_at", "published_by", "objection_until", "version"]
        )
        audit_record(
            actor=actor,
            verb="appraisal.publish",
            target=None,
            summary=f"公示 {semester.name} 网格员考核 {len(rows)} 人次",
            semester=semester.pk,
            count=len(rows),
        )
        users = [r.student.user for r in rows if r.student.user_id]
        if users:
            transaction.on_commit(
                lambda: _notify(
                    users,
                    f"{semester.name}网格员考核结果已公示",
                    f"如有异议，请在 {until.astimezone(clock.now().tzinfo):%Y-%m-%d %H:%M} 前提出申诉。",
                    reverse("dashboards:appraisal-mine"),
                )
            )
    return len(rows)


def appraisal_object(*, actor, appraisal: Appraisal, reason: str) -> Appraisal:
    """申诉: the worker objects to their published appraisal, once, within the window."""
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError("请填写申诉理由", field="reason")
    if len(reason) > 2000:
        raise ServiceError("申诉理由不能超过 2000 字", field="reason")
    if not policy.is_the_worker(actor, appraisal):
        raise NotAllowed("只有本人可以对考核结果提出申诉")
    with transaction.atomic():
        locked = _locked(appraisal, None)
        now = clock.now()
        if locked.state != AppraisalState.PUBLISHED or locked.objected_at:
            raise Conflict("该考核结果已申诉过，或尚未公示")
        if locked.objection_until is None or now > locked.objection_until:
            raise Conflict("申诉期已过，不能再提出申诉")
        locked.state, locked.objection_reason, locked.objected_at = AppraisalState.OBJECTED, reason, now
        locked.version += 1
        locked.save(update_fields=["state", "objection_reason", "objected_at", "version"])
        audit_record(
            actor=actor, verb="appraisal.object", target=locked, summary=f"{locked.student.name} 提出申诉"
        )
        scorer = locked.scored_by or locked.published_by
        if scorer is not None:
            url = reverse("dashboards:appraisal", args=[locked.pk])
            transaction.on_commit(
                lambda: _notify([scorer], f"{locked.student.name}对考核结果提出申诉", "请答复申诉。", url)
            )
    return locked


def appraisal_answer(
    *, actor, appraisal: Appraisal, answer: str, score=None, expected_version: int | None = None
) -> Appraisal:
    """The counselor answers the objection, and may revise their score (the total, the grade and
    the ranks follow)."""
    if not policy.may_manage(actor, appraisal):
        raise NotAllowed("只有该网格员的辅导员、班主任或学院领导可以答复申诉")
    answer = (answer or "").strip()
    if not answer:
        raise ServiceError("请填写答复内容", field="answer")
    if len(answer) > 2000:
        raise ServiceError("答复不能超过 2000 字", field="answer")
    value = _score_value(score) if score not in (None, "") else None
    settings = AppraisalSettings.get()
    with transaction.atomic():
        locked = _locked(appraisal, expected_version)
        if locked.state != AppraisalState.OBJECTED:
            raise Conflict("该考核没有待答复的申诉")
        fields = ["state", "answer", "answered_at", "answered_by", "version"]
        if value is not None and value != locked.counselor_score:
            locked.counselor_score = value
            locked.total = total_of(locked.computed_score, value, settings)
            locked.grade = settings.grade_for(locked.total)
            fields += ["counselor_score", "total", "grade"]
        locked.state, locked.answer, locked.answered_at, locked.answered_by = (
            AppraisalState.ANSWERED,
            answer,
            clock.now(),
            actor,
        )
        locked.version += 1
        locked.save(update_fields=fields)
        if "total" in fields:
            rerank(semester_id=locked.semester_id, college_id=locked.college_id)
        audit_record(
            actor=actor,
            verb="appraisal.answer",
            target=locked,
            summary=f"答复 {locked.student.name} 的申诉，总分 {locked.total}",
        )
        user = locked.student.user
        if user is not None:
            transaction.on_commit(
                lambda: _notify([user], "您的考核申诉已答复", "", reverse("dashboards:appraisal-mine"))
            )
    return locked


def settings_save(*, actor, form) -> AppraisalSettings:
    if not policy.may_edit_settings(actor):
        raise NotAllowed("只有学院领导或学工部可以修改考核设置")
    with transaction.atomic():
        row = form.save()
        audit_record(actor=actor, verb="appraisal.settings", target=row, summary="修改考核设置")
    return row


def _notify(users, title, body, url):
    from campusgrid.notifications.services import notify

    notify(users=users, title=title, body=body, url=url)
