"""Every write to volunteer service teams (党员志愿服务队) and their members."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from campusgrid.core import clock
from campusgrid.core.actors import require_actor
from campusgrid.core.audit import audit_record
from campusgrid.core.errors import Conflict, NotAllowed, ServiceError
from campusgrid.grid.models import PartyBranch
from campusgrid.org.models import College
from campusgrid.people.models import Student

from .. import policy
from ..models import TeamMember, VolunteerTeam


def _require(actor, college_id: int) -> None:
    require_actor(actor)
    scope = policy.scope_for(actor)
    if not (scope.manage_everything or college_id in policy.managed_college_ids(actor)):
        raise NotAllowed("只有本学院辅导员和领导可以管理志愿服务队")


def team_create(
    *,
    actor,
    college: College,
    name: str,
    theme: str,
    branch: PartyBranch | None = None,
    leader: Student | None = None,
    description: str = "",
) -> VolunteerTeam:
    name = (name or "").strip()
    theme = (theme or "").strip()
    if not name:
        raise ServiceError("请填写队名", field="name")
    if len(name) > 100:
        raise ServiceError("队名不超过100字", field="name")
    if not theme:
        raise ServiceError("请填写服务主题", field="theme")
    if len(theme) > 32:
        raise ServiceError("服务主题不超过32字", field="theme")
    if branch is not None and branch.college_id != college.pk:
        raise ServiceError("党支部不属于该学院", field="branch")
    if leader is not None and leader.college_id != college.pk:
        raise ServiceError("队长应为本学院学生", field="leader")
    _require(actor, college.pk)
    try:
        with transaction.atomic():
            team = VolunteerTeam.objects.create(
                college=college,
                branch=branch,
                name=name,
                theme=theme,
                leader=leader,
                description=description or "",
            )
            if leader is not None:
                TeamMember.objects.create(team=team, student=leader)
            audit_record(
                actor=actor, verb="service.team_create", target=team, summary=f"成立志愿服务队：{name}"
            )
    except IntegrityError:
        raise Conflict(f"本学院已有名为“{name}”的服务队", field="name")
    return team


def team_member_add(*, actor, team: VolunteerTeam, students: list[Student]) -> list[TeamMember]:
    """Add students to a team (those already in it are left as they are)."""
    _require(actor, team.college_id)
    for student in students:
        if student.college_id != team.college_id:
            raise ServiceError(f"{student.name}（{student.student_no}）不是本学院学生", field="students")
    with transaction.atomic():
        # Lock the team: two concurrent adds of one student would both find them absent
        # (the partial unique constraint would then refuse the second with an error).
        VolunteerTeam.objects.select_for_update(of=("self",)).filter(pk=team.pk).first()
        present = set(
            TeamMember.objects.filter(team=team, left_on__isnull=True).values_list("student_id", flat=True)
        )
        added = [TeamMember(team=team, student=s) for s in students if s.pk not in present]
        TeamMember.objects.bulk_create(added)
        if added:
            audit_record(
                actor=actor,
                verb="service.team_member_add",
                target=team,
                summary=f"{team.name}：新增队员 {'、'.join(m.student.name for m in added)}",
            )
    return added


def team_member_remove(*, actor, team: VolunteerTeam, student: Student) -> TeamMember:
    _require(actor, team.college_id)
    with transaction.atomic():
        member = (
            TeamMember.objects.select_for_update(of=("self",))
            .filter(team=team, student=student, left_on__isnull=True)
            .first()
        )
        if member is None:
            raise ServiceError(f"{student.name}不是该队在册队员", field="student")
        member.left_on = clock.today()
        member.save(update_fields=["left_on"])
        audit_record(
            actor=actor,
            verb="service.team_member_remove",
            target=team,
            summary=f"{team.name}：{student.name}退队",
        )
    return member
