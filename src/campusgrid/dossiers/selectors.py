"""Every read of key students, talk records, screening, early warnings, grants and
the access log: pages, the API, the PDF and the home panel share these, so they
cannot disagree about who sees what."""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.db.models import Prefetch, Q
from django.http import Http404

from campusgrid.core import clock
from campusgrid.core.params import past_day
from campusgrid.core.scoping import CHANGE, VIEW, scope_for
from campusgrid.grid.models import AccessGrant, Post
from campusgrid.grid.selectors import student_chains
from campusgrid.org.models import Semester
from campusgrid.people.models import AccessLog, PoliticalStatusChange, Staff, Student
from campusgrid.reports.selectors import reports_about

from .models import (
    FollowUp,
    KeyReason,
    KeyStudent,
    KeyStudentChange,
    ProposalState,
    RiskLevel,
    ScreeningInstrument,
    ScreeningResult,
    TalkRecord,
    WarningProposal,
    dossier_q,
)
from .policy import is_college_leader, may_grant

STUDENT_RELATED = ["student__college", "student__school_class", "student__bed__room__building"]


def _students_matching(text: str):
    return Student.objects.search(text).values("pk")


# --- key students ----------------------------------------------------------------------------


def key_student_list(*, user, filters: dict | None = None, action: str = VIEW):
    """重点学生 in the user's sensitive-data reach; `filters`: q, status (active |
    removed | all), reason (name), risk_level (value or 关注/重点关注/高危), review
    (due | overdue), responsible ("me"), school_class (name); on (a past day, YYYY-MM-DD:
    the students on the list that day, with reason and review as of that day, see
    `key_students_on`; the semester report's figures open these)."""
    filters = filters or {}
    qs = (
        KeyStudent.objects.visible_to(user, action)
        .select_related(*STUDENT_RELATED, "responsible")
        .prefetch_related(Prefetch("reasons", queryset=KeyReason.objects.order_by("order", "id")))
    )
    day = past_day(filters.get("on"))
    if day is not None:
        state = key_students_on(qs, day)
        if filters.get("reason"):
            state = {k: v for k, v in state.items() if filters["reason"] in v.reasons}
        if filters.get("review") in ("due", "overdue"):
            state = {k: v for k, v in state.items() if v.overdue}
        qs = qs.filter(pk__in=list(state))
        filters = {k: v for k, v in filters.items() if k not in ("reason", "review", "status")}
        filters["status"] = "all"
    status = filters.get("status") or "active"
    if status == "active":
        qs = qs.filter(active=True)
    elif status == "removed":
        qs = qs.filter(active=False)
    if filters.get("q"):
        qs = qs.filter(student__in=_students_matching(filters["q"]))
    if filters.get("reason"):
        qs = qs.filter(pk__in=KeyStudent.objects.filter(reasons__name=filters["reason"]).values("pk"))
    if filters.get("risk_level"):
        qs = qs.filter(risk_level=RiskLevel.from_label(filters["risk_level"]) or "-")
    today = clock.today()
    if filters.get("review") == "due":
        qs = qs.filter(active=True, next_review__lte=today)
    elif filters.get("review") == "overdue":
        qs = qs.filter(active=True, next_review__lt=today)
    if filters.get("responsible") == "me":
        qs = qs.filter(responsible__user=user)
    if filters.get("school_class"):
        qs = qs.filter(student__school_class__name=filters["school_class"])
    return qs.order_by("-active", "next_review", "student__student_no")


@dataclasses.dataclass(frozen=True)
class KeyState:
    """A key student as of a day, from the 变更记录: the reasons then, the day of the last
    列入/重新列入/复查 (the review clock restarts there), and whether the review was overdue."""

    reasons: tuple[str, ...]
    anchor: dt.date
    overdue: bool


def key_students_on(key_students, day: dt.date) -> dict[int, KeyState]:
    """{key student id: KeyState} of `key_students` (a queryset) on the list on `day`: the last
    change made by the end of that day is not 移出. The reasons are that change's (every change
    records the reasons of its moment); overdue: more than the review interval since the last
    列入/重新列入/复查 (the interval is today's: a changed interval or a chosen first review
    date is not in the record). One query over the changes."""
    from django.utils import timezone

    end = timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time()))
    changes = (
        KeyStudentChange.objects.filter(key_student__in=key_students.values("pk"), at__lt=end)
        .order_by("key_student_id", "at", "id")
        .values_list("key_student_id", "at", "action", "reasons", "key_student__review_interval_days")
    )
    Action = KeyStudentChange.Action
    last: dict[int, tuple] = {}
    anchors: dict[int, dt.date] = {}
    for ks, at, action, reasons, interval in changes:
        last[ks] = (action, reasons, interval)
        if action in (Action.MARK, Action.RESTORE, Action.REVIEW):
            anchors[ks] = timezone.localtime(at).date()
    result = {}
    for ks, (action, reasons, interval) in last.items():
        if action == Action.REMOVE or ks not in anchors:
            continue
        anchor = anchors[ks]
        names = tuple(r for r in reasons.split("、") if r)
        result[ks] = KeyState(names, anchor, anchor + dt.timedelta(days=interval) < day)
    return result


def key_student_get(*, user, student_no: str, action: str = VIEW) -> KeyStudent:
    qs = KeyStudent.objects.select_related(
        "student__college", "student__school_class", "student__bed__room__building", "responsible"
    ).prefetch_related("reasons")
    try:
        return qs.visible_to(user, action).get(student__student_no=student_no)
    except KeyStudent.DoesNotExist:
        raise Http404("未找到，或不在您的管理范围内")


def key_file_of(student: Student) -> KeyStudent | None:
    """The student's file, listed or removed (the caller has checked access)."""
    return KeyStudent.objects.filter(student=student).select_related("responsible").first()


def is_key_student(student: Student) -> bool:
    return KeyStudent.objects.filter(student=student, active=True).exists()


def dossier_student_get(*, user, student_no: str, action: str = VIEW) -> Student:
    """The student whose dossier `user` may open: 404 when missing or not theirs."""
    qs = Student.objects.select_related(
        "college", "school_class__major", "school_class__grade", "bed__room__building"
    )
    scope = scope_for(user)
    if not scope.manage_everything:
        qs = qs.filter(dossier_q(scope, "", action))
    try:
        return qs.get(student_no=student_no)
    except Student.DoesNotExist:
        raise Http404("未找到，或不在您的管理范围内")


def dossier_get(*, user, student: Student) -> dict:
    """Everything the dossier shows of one student (the caller has checked access)."""
    key_file = (
        KeyStudent.objects.filter(student=student)
        .select_related("responsible", "created_by")
        .prefetch_related("reasons")
        .first()
    )
    changes = list(KeyStudentChange.objects.filter(key_student=key_file)) if key_file else []
    return {
        "student": student,
        "key_file": key_file,
        "changes": changes,
        "talks": list(TalkRecord.objects.filter(student=student).order_by("-talked_on", "-id")),
        "screening": list(
            ScreeningResult.objects.filter(student=student)
            .select_related("instrument", "semester", "followed_up_by")
            .order_by("-semester__start", "instrument__name")
        ),
        "proposals": list(
            WarningProposal.objects.filter(student=student)
            .select_related("rule")
            .order_by("-created_at")[:20]
        ),
        "chains": student_chains(student),
        "reports": reports_about(user=user, student=student, limit=50),
        "posts": list(
            Post.objects.filter(student=student)
            .select_related("room__building", "school_class", "college", "branch", "small_grid__branch")
            .order_by("-start_date")
        ),
        "political_history": list(PoliticalStatusChange.objects.filter(student=student)),
    }


# --- talk records ----------------------------------------------------------------------------


def talk_record_list(*, user, student_no: str = "", action: str = VIEW):
    qs = TalkRecord.objects.visible_to(user, action).select_related(*STUDENT_RELATED)
    if student_no:
        qs = qs.filter(student__student_no=student_no)
    return qs.order_by("-talked_on", "-id")


def talk_record_get(*, user, pk: int) -> TalkRecord:
    try:
        return talk_record_list(user=user).get(pk=pk)
    except (TalkRecord.DoesNotExist, ValueError, TypeError):
        raise Http404("未找到，或不在您的管理范围内")


# --- screening -------------------------------------------------------------------------------


def screening_result_list(*, user, filters: dict | None = None, action: str = VIEW):
    """`filters`: semester (id or name), student_no, instrument (name), over_threshold,
    crisis, follow_up (none | pending | done), q (name, 学号 or initials)."""
    filters = filters or {}
    qs = (
        ScreeningResult.objects.visible_to(user, action)
        .select_related(*STUDENT_RELATED, "instrument", "semester", "followed_up_by")
        .order_by("-semester__start", "student__student_no", "instrument__name")
    )
    semester = filters.get("semester")
    if semester:
        qs = (
            qs.filter(semester_id=semester) if str(semester).isdigit() else qs.filter(semester__name=semester)
        )
    if filters.get("student_no"):
        qs = qs.filter(student__student_no=filters["student_no"])
    if filters.get("q"):
        qs = qs.filter(student__in=_students_matching(filters["q"]))
    if filters.get("instrument"):
        qs = qs.filter(instrument__name=filters["instrument"])
    if _truthy(filters.get("over_threshold")):
        qs = qs.filter(over_threshold=True)
    if _truthy(filters.get("crisis")):
        qs = qs.filter(crisis=True)
    if filters.get("follow_up") in FollowUp.values:
        qs = qs.filter(follow_up=filters["follow_up"])
    return qs


def screening_result_get(*, user, pk: int, action: str = VIEW) -> ScreeningResult:
    try:
        return screening_result_list(user=user, action=action).get(pk=pk)
    except (ScreeningResult.DoesNotExist, ValueError, TypeError):
        raise Http404("未找到，或不在您的管理范围内")


def _truthy(value) -> bool:
    return str(value).lower() in {"1", "true", "on", "yes", "是"}


def semesters():
    return Semester.objects.order_by("-start")


def instruments():
    return ScreeningInstrument.objects.filter(active=True).order_by("name")


def reasons():
    return KeyReason.objects.filter(active=True).order_by("order", "id")


# --- early warning ---------------------------------------------------------------------------


def proposal_list(*, user, state: str = ProposalState.OPEN, rule: str = ""):
    """Proposals for the students the user manages (level 3 and above: deciding
    them changes the key list, so grantees do not see them)."""
    qs = (
        WarningProposal.objects.visible_to(user, CHANGE)
        .select_related(*STUDENT_RELATED, "rule", "decided_by", "student__key_file")
        .order_by("-created_at", "-id")
    )
    if state in ProposalState.values:
        qs = qs.filter(state=state)
    if rule:
        qs = qs.filter(rule__key=rule)
    return qs


def proposal_get(*, user, pk: int) -> WarningProposal:
    try:
        return proposal_list(user=user, state="").get(pk=pk)
    except (WarningProposal.DoesNotExist, ValueError, TypeError):
        raise Http404("未找到，或不在您的管理范围内")


# --- grants and the access log ---------------------------------------------------------------


def grant_list(*, user, current_only: bool = True):
    """Grants over the students of the leader's college (the office: all)."""
    scope = scope_for(user)
    qs = AccessGrant.objects.select_related(
        "user__staff", "student__college", "student__school_class", "granted_by__staff"
    )
    if not scope.manage_everything:
        qs = qs.filter(student__college_id__in=scope.manage_college_ids)
    if current_only:
        qs = qs.filter(until__gte=clock.today())
    return qs.order_by("-granted_at", "-id")


def grant_get(*, user, pk: int) -> AccessGrant:
    try:
        return grant_list(user=user, current_only=False).get(pk=pk)
    except (AccessGrant.DoesNotExist, ValueError, TypeError):
        raise Http404("未找到，或不在您的管理范围内")


def grantable_student(*, user, student_no: str) -> Student | None:
    student = Student.objects.filter(student_no=student_no).first()
    return student if student is not None and may_grant(user, student) else None


def staff_by_number(staff_no: str) -> Staff | None:
    return Staff.objects.filter(staff_no=staff_no).select_related("user").first()


def staff_choices(student: Student):
    """Who may be responsible for a student: the active staff of their college."""
    return Staff.objects.filter(active=True, college_id=student.college_id).order_by("name")


def access_log_list(*, user, filters: dict | None = None):
    """敏感信息访问日志 for college leaders (their college's students) and the
    university office (all); nobody else reads it. `filters`: actor (username,
    工号/学号 or name), student_no, action (value or 查看/导出/接口读取), item,
    at (YYYY-MM-DD), at_after, at_before (dates or ISO datetimes)."""
    filters = filters or {}
    scope = scope_for(user)
    qs = AccessLog.objects.all()
    if not scope.manage_everything:
        if not is_college_leader(user):
            return qs.none()
        qs = qs.filter(student__college_id__in=scope.manage_college_ids)
    actor = (filters.get("actor") or "").strip()
    if actor:
        qs = qs.filter(Q(actor__username=actor) | Q(actor_name=actor))
    if filters.get("student_no"):
        qs = qs.filter(student_no=filters["student_no"].strip())
    action = filters.get("action")
    if action:
        values = {v for v, label in AccessLog.Action.choices if action in (v, label)}
        qs = qs.filter(action__in=values or ["-"])
    if filters.get("item"):
        qs = qs.filter(item=filters["item"])
    if filters.get("at"):
        day = _date(filters["at"])
        qs = qs.filter(at__date=day) if day else qs.none()
    if filters.get("at_after"):
        qs = _bound(qs, filters["at_after"], "gte")
    if filters.get("at_before"):
        qs = _bound(qs, filters["at_before"], "lte")
    return qs.order_by("-at", "-id")


def usernames(user_ids: set[int]) -> dict[int, str]:
    from django.contrib.auth import get_user_model

    if not user_ids:
        return {}
    return dict(get_user_model().objects.filter(pk__in=user_ids).values_list("pk", "username"))


def _date(text) -> dt.date | None:
    if isinstance(text, dt.date):
        return text
    try:
        return dt.date.fromisoformat(str(text).strip()[:10])
    except ValueError:
        return None


def _bound(qs, text, op: str):
    text = str(text).strip()
    if len(text) <= 10:
        day = _date(text)
        return qs.filter(**{f"at__date__{op}": day}) if day else qs.none()
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return qs.none()
    from django.utils import timezone

    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return qs.filter(**{f"at__{op}": moment})


# --- the home panel --------------------------------------------------------------------------


def open_proposal_count(*, user) -> int:
    """The navigation badge of 重点学生预警: the open proposals of `panel_counts`, from its
    answer when the page already read it (the home panel) and else by one count of the list
    it opens, not the panel's nine figures."""
    cached = getattr(user, "_campusgrid_dossier_counts", None)
    if cached is not None:
        return cached["proposals"]
    return proposal_list(user=user).count()


def panel_inputs() -> tuple:
    """The tables the home panel's lists read (their change counters key the kept counts)."""
    from campusgrid.people.models import Student

    return (KeyStudent, WarningProposal, ScreeningResult, Student)


def panel_counts(*, user) -> dict:
    """The figures of the home panel and the navigation badge: the row counts of the lists
    they open, through those lists' own selectors with the links' filters (key_student_list
    with ?risk_level= and ?review=, proposal_list, screening_result_list with
    ?follow_up=pending), so a figure never counts a row its list does not show.

    One query, kept for the user until a table it reads changes or the minute turns
    (core.figures.count_kept), and on the user object for the rest of the request."""
    cached = getattr(user, "_campusgrid_dossier_counts", None)
    if cached is not None:
        return cached
    from campusgrid.core.figures import count_kept

    row = count_kept(
        user,
        "dossier-panel",
        panel_inputs(),
        lambda: dict(
            total=key_student_list(user=user, filters={}),
            review_due=key_student_list(user=user, filters={"review": "due"}),
            review_overdue=key_student_list(user=user, filters={"review": "overdue"}),
            proposals=proposal_list(user=user),
            follow_ups=screening_result_list(user=user, filters={"follow_up": FollowUp.PENDING}),
            **{
                f"level_{value}": key_student_list(user=user, filters={"risk_level": value})
                for value in RiskLevel.values
            },
        ),
    )
    result = {
        "total": row["total"],
        "levels": [(value, label, row[f"level_{value}"]) for value, label in RiskLevel.choices],
        "review_due": row["review_due"],
        "review_overdue": row["review_overdue"],
        "proposals": row["proposals"],
        "follow_ups": row["follow_ups"],
    }
    user._campusgrid_dossier_counts = result
    return result
