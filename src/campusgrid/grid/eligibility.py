"""Who may hold which post (SPEC §3, seed 000 四.(一)), as one function shared by
appointment (refuses) and the coverage audit (flags holders who no longer qualify)."""

from __future__ import annotations

from django.db.models import Q

from campusgrid.people.models import PARTY_MEMBERS, PoliticalStatus, StudentStatus

from .models import POST_RULES, PostKind

ACTIVIST_OR_ABOVE = PoliticalStatus.at_least(PoliticalStatus.ACTIVIST)


def serving_q(prefix: str = "") -> Q:
    """A post whose holder can act today: an enrolled student or an active staff
    member, with a login that is not disabled. The one rule for "who holds post K
    over place P" (`selectors.post_holders`): routing, approvers, reminders."""
    student = Q(
        **{
            f"{prefix}student__status": StudentStatus.ENROLLED,
            f"{prefix}student__user__isnull": False,
            f"{prefix}student__user__is_active": True,
        }
    )
    staff = Q(
        **{
            f"{prefix}staff__active": True,
            f"{prefix}staff__user__isnull": False,
            f"{prefix}staff__user__is_active": True,
        }
    )
    return student | staff


def problem(
    *,
    kind: str,
    holder_kind: str,
    holder_status: str | None = None,  # student status, or "active"/"inactive" for staff
    holder_room_id: int | None = None,
    holder_class_id: int | None = None,
    holder_political: str | None = None,
    place_id: int | None = None,
    room_in_party_area: bool = True,
) -> str | None:
    """Why this holder cannot hold this post (Chinese), or None when eligible.

    Works on plain values so the audit can check tens of thousands of posts
    without loading model instances."""
    rule = POST_RULES[kind]
    expected = rule["holder"]
    if expected != "any" and expected != holder_kind:
        return "该职务应由学生担任" if expected == "student" else "该职务应由教职工担任"
    if holder_kind == "staff":
        return None if holder_status == "active" else "任职教职工已离职"
    if holder_status != StudentStatus.ENROLLED:
        label = dict(StudentStatus.choices).get(holder_status, holder_status)
        return f"任职学生已{label}，不在校"
    if kind == PostKind.DORM_HEAD and holder_room_id != place_id:
        return "舍长不住在该寝室"
    if kind in (PostKind.MONITOR, PostKind.LEAGUE_SECRETARY) and holder_class_id != place_id:
        return "任职学生不在该班级"
    if (
        kind in (PostKind.SMALL_GRID_LEADER, PostKind.BRANCH_SECRETARY)
        and holder_political not in PARTY_MEMBERS
    ):
        return "网格党员须为中共党员或预备党员"
    if kind == PostKind.ACTIVIST:
        if holder_political not in ACTIVIST_OR_ABOVE:
            return "微网格负责人须为入党积极分子或以上"
        if not room_in_party_area:
            return "该寝室不在任何党支部的网格范围内"
    return None


def problem_for(kind: str, holder, place) -> str | None:
    """The same check on model instances (appointment)."""
    from campusgrid.people.models import Staff

    if isinstance(holder, Staff):
        return problem(
            kind=kind, holder_kind="staff", holder_status="active" if holder.active else "inactive"
        )
    room_id = holder.bed.room_id if holder.bed_id else None
    in_party_area = True
    if kind == PostKind.ACTIVIST:
        from .models import PartyRoom

        in_party_area = PartyRoom.objects.filter(room=place).exists()
    return problem(
        kind=kind,
        holder_kind="student",
        holder_status=holder.status,
        holder_room_id=room_id,
        holder_class_id=holder.school_class_id,
        holder_political=holder.political_status,
        place_id=getattr(place, "pk", None),
        room_in_party_area=in_party_area,
    )
