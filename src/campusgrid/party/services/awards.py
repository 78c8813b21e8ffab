"""Writes of the semester awards: the secretary proposes from the records within the quota,
the branch committee's decision is recorded, the college publishes the list and sets quotas."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.urls import reverse

from campusgrid.core import clock
from campusgrid.core.audit import audit_record
from campusgrid.core.errors import Conflict, NotAllowed, ServiceError
from campusgrid.core.names import person_name
from campusgrid.grid.models import PartyBranch

from .. import policy_assess as policy
from ..models import DEFAULT_QUOTAS, HOLDING_STATES, Award, AwardKind, AwardQuota, AwardState
from ._input import text_input

MAX_QUOTA = 50


def _kind(value) -> str:
    if value not in AwardKind.values:
        raise ServiceError(
            "奖项须为：学生公寓优秀党员（excellent_member）或学生公寓先进个人（advanced）", field="kind"
        )
    return value


def award_propose(*, actor, branch, semester, kind: str, student_no: str, note: str = "") -> Award:
    """推荐: the secretary proposes one of the candidates the records give, within the quota."""
    from ..selectors.awards import candidate_get

    if not policy.may_propose_award(actor, branch):
        raise NotAllowed("只有本支部书记可以推荐评优人选")
    kind = _kind(kind)
    note = text_input(note, field="note", label="推荐意见")
    if semester is None:
        raise ServiceError("请选择学期", field="semester")
    candidate = candidate_get(user=actor, branch=branch, semester=semester, kind=kind, student_no=student_no)
    if candidate is None:
        raise ServiceError(
            f"学号{student_no}不在本支部{AwardKind(kind).label}的候选名单中（候选人须住在本支部网格内、记录表现为正）",
            field="student_no",
        )
    student = candidate["student"]
    if student.user_id is not None and student.user_id == actor.pk:
        raise ServiceError("支部书记不能推荐本人，请由支委会另行研究", field="student_no")
    with transaction.atomic():
        # Lock the branch: two proposals at once must not both take the last place of the quota.
        PartyBranch.objects.select_for_update(of=("self",)).get(pk=branch.pk)
        quota = (
            AwardQuota.objects.filter(branch=branch, semester=semester, kind=kind)
            .values_list("quota", flat=True)
            .first()
        )
        quota = DEFAULT_QUOTAS[kind] if quota is None else quota
        used = Award.objects.filter(
            branch=branch, semester=semester, kind=kind, state__in=HOLDING_STATES
        ).count()
        if used >= quota:
            raise ServiceError(
                f"{AwardKind(kind).label}本支部本学期名额为{quota}人，已推荐{used}人，不能再推荐",
                field="student_no",
            )
        existing = Award.objects.filter(semester=semester, kind=kind, student=student).first()
        if existing is not None:
            raise Conflict(f"{student.name}本学期已被推荐（{existing.get_state_display()}）")
        try:
            with transaction.atomic():
                award = Award.objects.create(
                    semester=semester,
                    branch=branch,
                    kind=kind,
                    student=student,
                    reasons=candidate["stored_reasons"],
                    note=note,
                    proposed_by=actor,
                    proposed_by_name=person_name(actor),
                    proposed_at=clock.now(),
                )
        except IntegrityError:
            raise Conflict(f"{student.name}本学期已被推荐")
        audit_record(
            actor=actor,
            verb="party.award.propose",
            target=award,
            summary=f"{AwardKind(kind).label}：{student.name}",
        )
    return award


def award_decide(
    *, actor, award: Award, approve: bool, decided_on, note: str = "", expected_version: int | None = None
) -> Award:
    """支委会决定: the committee's yes or no, recorded by the secretary with the meeting's date."""
    if not policy.may_decide_award(actor, award.branch):
        raise NotAllowed("只有本支部书记可以记录支委会的决定")
    note = text_input(note, field="decision_note", label="支委会意见")
    if not isinstance(decided_on, dt.date):
        raise ServiceError("请填写支委会日期", field="decided_on")
    if decided_on > clock.today():
        raise ServiceError("支委会日期不能晚于今天", field="decided_on")
    if decided_on < clock.local(award.proposed_at).date():
        raise ServiceError("支委会日期不能早于推荐日期", field="decided_on")
    with transaction.atomic():
        # Lock the proposal: the committee's decision is recorded once, not twice from two tabs.
        locked = Award.objects.select_for_update(of=("self",)).get(pk=award.pk)
        locked.check_version(expected_version)
        if locked.state != AwardState.PROPOSED:
            raise Conflict(f"该推荐已是“{locked.get_state_display()}”，不能再作决定")
        locked.state = AwardState.APPROVED if approve else AwardState.REJECTED
        locked.decided_by = actor
        locked.decided_by_name = person_name(actor)
        locked.decided_on = decided_on
        locked.decision_note = note
        locked.version += 1
        locked.save(
            update_fields=["state", "decided_by", "decided_by_name", "decided_on", "decision_note", "version"]
        )
        audit_record(
            actor=actor,
            verb="party.award.decide",
            target=locked,
            summary=f"{locked.get_kind_display()}：{locked.student.name} {locked.get_state_display()}",
        )
    return locked


def award_publish(*, actor, branch, semester) -> int:
    """公布: the college publishes the branch's approved awards of the semester at once; the
    winners are told. Proposals still waiting for the committee hold the publication back."""
    from campusgrid.notifications.services import notify

    if not policy.may_publish_awards(actor, branch):
        raise NotAllowed("只有学院可以公布评优名单")
    with transaction.atomic():
        # Lock the branch: one publication of its list, not two interleaved ones.
        PartyBranch.objects.select_for_update(of=("self",)).get(pk=branch.pk)
        awards = list(
            Award.objects.select_for_update(of=("self",))
            .filter(branch=branch, semester=semester, state__in=[AwardState.APPROVED, AwardState.PROPOSED])
            .select_related("student")
        )
        waiting = [a for a in awards if a.state == AwardState.PROPOSED]
        if waiting:
            raise ServiceError(f"还有{len(waiting)}项推荐等待支委会决定，不能公布", field="semester")
        if not awards:
            raise ServiceError("没有支委会已通过的评优，不能公布", field="semester")
        now = clock.now()
        for award in awards:
            award.state = AwardState.PUBLISHED
            award.published_at = now
            award.published_by_name = person_name(actor)
            award.version += 1
            award.save(update_fields=["state", "published_at", "published_by_name", "version"])
        audit_record(
            actor=actor,
            verb="party.award.publish",
            target=branch,
            summary=f"{branch.name} {semester.name}评优名单公布（{len(awards)}人）",
            awards=[a.pk for a in awards],
        )
        winners = [
            (a.student.user, a.get_kind_display(), reverse("people:student", args=[a.student.student_no]))
            for a in awards
            if a.student.user_id
        ]

        def tell():
            for user, label, url in winners:
                notify(users=[user], title=f"您获评{semester.name}{label}", url=url)

        transaction.on_commit(tell)
    return len(awards)


def award_quota_set(*, actor, branch, semester, kind: str, quota) -> AwardQuota:
    """评优名额: the college sets a branch's places of one award for a semester."""
    if not policy.may_publish_awards(actor, branch):
        raise NotAllowed("只有学院可以设定评优名额")
    kind = _kind(kind)
    try:
        quota = int(str(quota).strip())
    except (TypeError, ValueError):
        raise ServiceError(f"名额须为0到{MAX_QUOTA}之间的整数", field="quota")
    if not 0 <= quota <= MAX_QUOTA:
        raise ServiceError(f"名额须为0到{MAX_QUOTA}之间的整数", field="quota")
    with transaction.atomic():
        row, _ = AwardQuota.objects.update_or_create(
            branch=branch, semester=semester, kind=kind, defaults={"quota": quota}
        )
        audit_record(
            actor=actor,
            verb="party.award.quota",
            target=row,
            summary=f"{branch.name} {semester.name} {AwardKind(kind).label}名额{quota}",
        )
    return row
