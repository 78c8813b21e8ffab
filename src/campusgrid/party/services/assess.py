"""Writes of the party assessments: a small-grid party member's score of an activist of their
grid, an activist's of an applicant of their room; one a semester, revised in place."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from campusgrid.core import clock
from campusgrid.core.audit import audit_record
from campusgrid.core.errors import Conflict, NotAllowed, ServiceError
from campusgrid.core.names import person_name

from ..models import Assessment, AssessmentKind

MAX_COMMENT = 500


def _score(value) -> int:
    if isinstance(value, bool):
        raise ServiceError("评分须为0到100之间的整数", field="score")
    try:
        score = int(str(value).strip())
    except (TypeError, ValueError):
        raise ServiceError("评分须为0到100之间的整数", field="score")
    if not 0 <= score <= 100:
        raise ServiceError("评分须为0到100之间的整数", field="score")
    return score


def _comment(value) -> str:
    if value is not None and not isinstance(value, str):
        raise ServiceError("评语须为文字", field="comment")
    text = (value or "").strip()
    if len(text) < 2:
        raise ServiceError("请填写评语（至少2个字）", field="comment")
    if len(text) > MAX_COMMENT:
        raise ServiceError(f"评语最多{MAX_COMMENT}字", field="comment")
    return text


def assessment_record(
    *, actor, semester, student_no: str, score, comment, expected_version: int | None = None
) -> Assessment:
    """评议: record (or revise) the actor's assessment of one person they assess this semester.
    Whom they may assess comes from their current posts (selectors.assess.assessable_for):
    anyone else is refused. A revision carries the version it read."""
    from ..selectors.assess import assessable_for

    if semester is None:
        raise ServiceError("没有可评议的学期", field="semester")
    if semester.start > clock.today():
        raise ServiceError(f"{semester.name}尚未开始，不能评议", field="semester")
    score = _score(score)
    comment = _comment(comment)
    row = next(
        (r for r in assessable_for(user=actor, semester=semester) if r["student"].student_no == student_no),
        None,
    )
    if row is None:
        raise NotAllowed("只能评议您所在小网格的入党积极分子，或您寝室的入党申请人")
    student, kind = row["student"], row["kind"]
    now = clock.now()
    try:
        with transaction.atomic():
            # Lock the semester's row of this person: two assessors (a member and their
            # successor, or one person's two tabs) must not overwrite each other unseen.
            existing = (
                Assessment.objects.select_for_update(of=("self",))
                .filter(semester=semester, kind=kind, subject=student)
                .first()
            )
            if existing is None:
                if expected_version not in (None, 0):
                    raise Conflict("该评议已被删除或尚未保存，请刷新页面后再提交。")
                assessment = Assessment.objects.create(
                    semester=semester,
                    kind=kind,
                    subject=student,
                    assessor=actor,
                    assessor_name=person_name(actor),
                    score=score,
                    comment=comment,
                    created_at=now,
                    updated_at=now,
                )
                verb = "party.assessment.create"
            else:
                if expected_version is None:
                    raise Conflict(
                        f"{student.name}本学期已有评议（{existing.assessor_name}），请在原评议上修改。"
                    )
                existing.check_version(expected_version)
                existing.assessor = actor
                existing.assessor_name = person_name(actor)
                existing.score = score
                existing.comment = comment
                existing.updated_at = now
                existing.version += 1
                existing.save(
                    update_fields=["assessor", "assessor_name", "score", "comment", "updated_at", "version"]
                )
                assessment = existing
                verb = "party.assessment.update"
            # The score is sensitive: the audit names the person and the kind, not the score.
            audit_record(
                actor=actor,
                verb=verb,
                target=assessment,
                summary=f"{AssessmentKind(kind).label}：{student.name}（{semester.name}）",
            )
    except IntegrityError:
        raise Conflict(f"{student.name}本学期的评议刚刚已由他人保存，请刷新页面后再提交。")
    return assessment
