"""Every write to sessions, sign-ups, attendance and hours (one mechanism for volunteer
activities, education activities, training and party meetings)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import Sum

from campusgrid.core import clock
from campusgrid.core.actors import require_actor
from campusgrid.core.audit import audit_record
from campusgrid.core.errors import Conflict, NotAllowed, ServiceError
from campusgrid.grid.models import PartyBranch, PostKind
from campusgrid.org.models import College, Room, SchoolClass, Semester
from campusgrid.people.models import Staff, Student

from .. import policy
from ..models import (
    ATTENDED,
    Attendance,
    AttendanceHow,
    AttendanceStatus,
    HoursCredit,
    Session,
    SessionKind,
    SessionPost,
    Signup,
    VolunteerTeam,
)
from ..selectors import sessions as sel
from . import codes

MAX_HOURS = Decimal("24")


def _hours(value, *, field: str = "hours", allow_negative: bool = False) -> Decimal:
    try:
        hours = Decimal(str(value)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError, TypeError):
        raise ServiceError("时长应为数字（小时，可保留一位小数）", field=field)
    if not hours.is_finite() or abs(hours) > MAX_HOURS:
        raise ServiceError("时长应在 0 到 24 小时之间", field=field)
    if hours < 0 and not allow_negative:
        raise ServiceError("时长不能为负数", field=field)
    return hours


def _semester_of(moment: dt.datetime):
    day = clock.local(moment).date()
    return Semester.objects.filter(start__lte=day, end__gte=day).first()


def _person_of(user) -> tuple[Student | None, Staff | None]:
    student = getattr(user, "student", None)
    staff = getattr(user, "staff", None) if student is None else None
    return student, staff


def _college_of(actor) -> College | None:
    student, staff = _person_of(actor)
    if student is not None:
        return student.college
    if staff is not None:
        return staff.college
    return None


def session_create(
    *,
    actor,
    kind: str,
    title: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    college: College | None = None,
    topic: str = "",
    description: str = "",
    place: str = "",
    quota: int | None = None,
    signup_required: bool = False,
    hours=0,
    audience_college: bool = False,
    audience_classes=(),
    audience_rooms=(),
    audience_branch: bool = False,
    audience_post_kind: str = "",
    team: VolunteerTeam | None = None,
    branch: PartyBranch | None = None,
    posts: list[tuple[str, int | None]] = (),
    signin_before_minutes: int = 15,
    late_after_minutes: int = 10,
) -> Session:
    """Publish a session. The organiser is the actor; the college defaults to theirs (a
    team's or branch's when given)."""
    require_actor(actor)
    if kind not in SessionKind.values:
        raise ServiceError("活动类型无效", field="kind")
    title = (title or "").strip()
    if not title:
        raise ServiceError("请填写标题", field="title")
    if len(title) > 120:
        raise ServiceError("标题不超过120字", field="title")
    if starts_at is None or ends_at is None:
        raise ServiceError("请填写开始和结束时间", field="starts_at")
    if ends_at <= starts_at:
        raise ServiceError("结束时间应晚于开始时间", field="ends_at")
    if ends_at - starts_at > dt.timedelta(days=7):
        raise ServiceError("一次活动不超过7天", field="ends_at")
    if quota is not None and (quota < 1 or quota > 100000):
        raise ServiceError("名额应为正整数", field="quota")
    if audience_post_kind and audience_post_kind not in PostKind.values:
        raise ServiceError("网格职务无效", field="audience_post_kind")
    if audience_branch and branch is None:
        raise ServiceError("面向支部党员时请选择党支部", field="branch")
    hours = _hours(hours)
    college = (
        college
        or (team.college if team else None)
        or (branch.college if branch else None)
        or _college_of(actor)
    )
    if college is None:
        raise ServiceError("请选择学院", field="college")
    for room in audience_rooms:
        if not isinstance(room, Room):
            raise ServiceError("寝室无效", field="audience_rooms")
    for klass in audience_classes:
        if not isinstance(klass, SchoolClass) or klass.college_id != college.pk:
            raise ServiceError("只能面向本学院的班级", field="audience_classes")
    if not policy.may_create_session(actor):
        raise NotAllowed("您无权发布活动")
    if not (
        policy.scope_for(actor).manage_everything
        or college.pk in policy.managed_college_ids(actor)
        or _college_of(actor) == college
    ):
        raise NotAllowed("只能为本学院发布活动")
    with transaction.atomic():
        session = Session.objects.create(
            kind=kind,
            title=title,
            topic=(topic or "").strip()[:64],
            description=description or "",
            college=college,
            semester=_semester_of(starts_at),
            organiser=actor,
            starts_at=starts_at,
            ends_at=ends_at,
            place=(place or "").strip()[:120],
            quota=quota,
            signup_required=signup_required,
            hours=hours,
            audience_college=audience_college,
            audience_branch=audience_branch,
            audience_post_kind=audience_post_kind or "",
            team=team,
            branch=branch,
            signin_before_minutes=signin_before_minutes,
            late_after_minutes=late_after_minutes,
        )
        if audience_classes:
            session.audience_classes.set(audience_classes)
        if audience_rooms:
            session.audience_rooms.set(audience_rooms)
        for name, post_quota in posts:
            if name and name.strip():
                SessionPost.objects.create(session=session, name=name.strip()[:64], quota=post_quota)
        audit_record(
            actor=actor,
            verb="service.session_create",
            target=session,
            summary=f"发布{session.get_kind_display()}：{title}",
        )
    return session


def _require_manager(actor, session: Session) -> None:
    require_actor(actor)
    if not policy.may_manage_session(actor, session):
        raise NotAllowed("只有组织者和本学院辅导员、领导可以登记考勤和时长")


def _person_label(student, staff) -> str:
    person = student or staff
    return f"{person.name}（{getattr(person, 'student_no', None) or getattr(person, 'staff_no', '')}）"


def _write_attendance(*, actor, session, student, staff, status, how, note="", at=None) -> Attendance:
    """Create or update the one attendance row of a person (the caller holds the session lock)."""
    at = at or clock.now()
    lookup = {"student": student} if student is not None else {"staff": staff}
    existing = Attendance.objects.select_for_update(of=("self",)).filter(session=session, **lookup).first()
    if existing is not None:
        existing.status = status
        existing.how = how
        existing.at = at
        existing.note = note or existing.note
        existing.recorded_by = actor
        existing.save(update_fields=["status", "how", "at", "note", "recorded_by"])
        return existing
    try:
        with transaction.atomic():
            return Attendance.objects.create(
                session=session, status=status, how=how, at=at, note=note, recorded_by=actor, **lookup
            )
    except IntegrityError:
        raise Conflict("该考勤刚刚被他人登记，请刷新后重试")


def attendance_record(
    *,
    actor,
    session: Session,
    student: Student | None = None,
    staff: Staff | None = None,
    status: str,
    how: str = "manual",
    note: str = "",
) -> Attendance:
    """The organiser ticks a person by hand (出席, 迟到, 缺席, 请假, or 补课 for training)."""
    if (student is None) == (staff is None):
        raise ServiceError("请指定一名学生或教职工", field="student")
    if status not in AttendanceStatus.values:
        raise ServiceError("考勤状态无效", field="status")
    if how not in AttendanceHow.values:
        raise ServiceError("签到方式无效", field="how")
    if status == AttendanceStatus.MAKEUP and session.kind != SessionKind.TRAINING:
        raise ServiceError("只有培训可以登记补课", field="status")
    _require_manager(actor, session)
    if sel.has_audience(session) and not sel.in_audience(session, student=student, staff=staff):
        raise ServiceError(f"{_person_label(student, staff)}不在此活动的参加范围内", field="student")
    with transaction.atomic():
        # The session row lock serialises the organiser's ticks with students' code sign-ins
        # (two writers of one person's row) and with the hours credit that reads them.
        Session.objects.select_for_update(of=("self",)).filter(pk=session.pk).first()
        att = _write_attendance(
            actor=actor, session=session, student=student, staff=staff, status=status, how=how, note=note
        )
        audit_record(
            actor=actor,
            verb="service.attendance_record",
            target=att,
            summary=f"{session.title}：{_person_label(student, staff)} {att.get_status_display()}",
        )
    return att


def session_end(*, actor, session: Session) -> Session:
    """结束活动: the organiser ends a running session now (it finished early); sign-in closes
    and hours may be credited."""
    _require_manager(actor, session)
    now = clock.now()
    with transaction.atomic():
        # Lock the row: a sign-in checks the window under the same lock.
        locked = Session.objects.select_for_update(of=("self",)).get(pk=session.pk)
        if now >= locked.ends_at:
            raise Conflict("活动已经结束")
        if now <= locked.starts_at:
            raise ServiceError("活动尚未开始，不能结束")
        locked.ends_at = now
        locked.save(update_fields=["ends_at"])
        audit_record(
            actor=actor, verb="service.session_end", target=locked, summary=f"结束活动：{locked.title}"
        )
    return locked


def attendance_close(*, actor, session: Session) -> int:
    """After the session: everyone in the audience without a record is marked 缺席."""
    _require_manager(actor, session)
    if not session.is_over():
        raise ServiceError("活动结束后才能把未签到者记为缺席")
    now = clock.now()
    with transaction.atomic():
        Session.objects.select_for_update(of=("self",)).filter(pk=session.pk).first()
        done_students = Attendance.objects.filter(session=session, student__isnull=False).values("student_id")
        done_staff = Attendance.objects.filter(session=session, staff__isnull=False).values("staff_id")
        rows = [
            Attendance(session=session, student=s, status=AttendanceStatus.ABSENT, at=now, recorded_by=actor)
            for s in sel.audience_students(session).exclude(pk__in=done_students)
        ] + [
            Attendance(session=session, staff=s, status=AttendanceStatus.ABSENT, at=now, recorded_by=actor)
            for s in sel.audience_staff(session).exclude(pk__in=done_staff)
        ]
        Attendance.objects.bulk_create(rows)
        audit_record(
            actor=actor,
            verb="service.attendance_close",
            target=session,
            summary=f"{session.title}：{len(rows)}人记缺席",
        )
    return len(rows)


def _sign_in_candidates(now: dt.datetime, session: Session | None):
    if session is not None:
        return [session]
    # Sessions whose sign-in could have been open in the lookback (codes are shown only then).
    lookback = dt.timedelta(seconds=codes.STEP_SECONDS * codes.EXPIRED_LOOKBACK)
    return list(
        Session.objects.filter(starts_at__lte=now + dt.timedelta(hours=2), ends_at__gte=now - lookback).only(
            "id",
            "title",
            "secret",
            "starts_at",
            "ends_at",
            "signin_before_minutes",
            "late_after_minutes",
            "kind",
            "college_id",
            "signup_required",
        )
    )


def attendance_sign_in(*, actor, code: str, session: Session | None = None, how: str = "code") -> Attendance:
    """The attendee signs in with the code on the organiser's screen (typed, or in the link
    of the QR code, which also names the session). The code must be current, of a session
    whose sign-in window is open, and the attendee in its audience."""
    code = (code or "").strip().replace(" ", "")
    if len(code) != 6 or not code.isdigit():
        raise ServiceError("签到码应为6位数字", field="code")
    student, staff = _person_of(actor)
    if student is None and staff is None:
        raise NotAllowed("只有学生和教职工可以签到")
    now = clock.now()
    valid, expired, closed = [], [], []
    for candidate in _sign_in_candidates(now, session):
        found = codes.matches(candidate.secret, code, now)
        if found == "valid" and candidate.signin_open(now):
            valid.append(candidate)
        elif found == "expired" or (found == "valid" and not candidate.signin_open(now)):
            (closed if candidate.is_over(now) else expired).append(candidate)
    if session is not None and not valid:
        other = [s for s in _sign_in_candidates(now, None) if s.pk != session.pk and s.signin_open(now)]
        if any(codes.matches(s.secret, code, now) == "valid" for s in other):
            raise ServiceError(f"此签到码不属于“{session.title}”，请核对屏幕上的签到码", field="code")
    if not valid:
        if closed:
            raise ServiceError(f"“{closed[0].title}”的签到已结束", field="code")
        if expired:
            raise ServiceError("签到码已过期，请输入屏幕上最新的签到码", field="code")
        raise ServiceError("签到码不正确，请核对后重新输入", field="code")
    mine = [s for s in valid if sel.in_audience(s, student=student, staff=staff)]
    if not mine:
        raise ServiceError(f"您不在“{valid[0].title}”的参加范围内，不能签到", field="code")
    target = mine[0]
    if (
        target.signup_required
        and not Signup.objects.filter(
            session=target, **({"student": student} if student else {"staff": staff})
        ).exists()
    ):
        raise ServiceError(f"“{target.title}”需要报名，您未报名", field="code")
    late = now > target.starts_at + dt.timedelta(minutes=target.late_after_minutes)
    status = AttendanceStatus.LATE if late else AttendanceStatus.PRESENT
    with transaction.atomic():
        # Lock the session: a sign-in and the organiser's tick of the same person must not
        # both create the row (the unique constraint would refuse the second).
        Session.objects.select_for_update(of=("self",)).filter(pk=target.pk).first()
        lookup = {"student": student} if student is not None else {"staff": staff}
        existing = Attendance.objects.filter(session=target, **lookup).first()
        if existing is not None and existing.status in ATTENDED:
            return existing  # signing in twice changes nothing
        att = _write_attendance(
            actor=actor,
            session=target,
            student=student,
            staff=staff,
            status=status,
            how=how if how in AttendanceHow.values else AttendanceHow.CODE,
            at=now,
        )
        audit_record(
            actor=actor,
            verb="service.attendance_sign_in",
            target=att,
            summary=f"{target.title}：{att.get_status_display()}",
        )
    return att


def signup_create(*, actor, session: Session, post: SessionPost | None = None) -> Signup:
    """A student or staff member signs up (within the quota, before the session starts)."""
    student, staff = _person_of(actor)
    if student is None and staff is None:
        raise NotAllowed("只有学生和教职工可以报名")
    if session.is_over() or clock.now() >= session.starts_at:
        raise ServiceError("活动已开始，不能再报名")
    if post is not None and post.session_id != session.pk:
        raise ServiceError("岗位不属于此活动", field="post")
    if sel.has_audience(session) and not sel.in_audience(session, student=student, staff=staff):
        raise ServiceError("您不在此活动的参加范围内", field="session")
    lookup = {"student": student} if student is not None else {"staff": staff}
    with transaction.atomic():
        # Lock the session so that two last-seat sign-ups cannot both pass the quota check.
        Session.objects.select_for_update(of=("self",)).filter(pk=session.pk).first()
        if Signup.objects.filter(session=session, **lookup).exists():
            raise Conflict("您已报名")
        if session.quota is not None and Signup.objects.filter(session=session).count() >= session.quota:
            raise Conflict("名额已满")
        if post is not None and post.quota is not None and post.signups.count() >= post.quota:
            raise Conflict(f"岗位“{post.name}”名额已满", field="post")
        signup = Signup.objects.create(session=session, post=post, **lookup)
        audit_record(
            actor=actor, verb="service.signup_create", target=session, summary=f"报名：{session.title}"
        )
    return signup


def signup_cancel(*, actor, session: Session) -> None:
    student, staff = _person_of(actor)
    lookup = {"student": student} if student is not None else {"staff": staff}
    if clock.now() >= session.starts_at:
        raise ServiceError("活动已开始，不能取消报名")
    with transaction.atomic():
        deleted, _ = Signup.objects.filter(session=session, **lookup).delete()
        if not deleted:
            raise ServiceError("您未报名此活动")
        audit_record(
            actor=actor, verb="service.signup_cancel", target=session, summary=f"取消报名：{session.title}"
        )


def hours_credit(*, actor, session: Session, hours=None) -> list[HoursCredit]:
    """Credit the session's hours (or `hours`) to everyone who attended (出席, 迟到, 补课) and
    has no credit for it yet. Running it again credits only those added since."""
    _require_manager(actor, session)
    if not session.is_over():
        raise ServiceError("活动结束后才能认定时长")
    amount = _hours(session.hours if hours is None else hours)
    if amount <= 0:
        raise ServiceError("请填写认定的时长", field="hours")
    now = clock.now()
    with transaction.atomic():
        # Lock the session: two organisers crediting at once would both see nobody credited
        # (the partial unique constraint refuses the second; the lock makes it wait instead).
        Session.objects.select_for_update(of=("self",)).filter(pk=session.pk).first()
        credited_students = set(
            HoursCredit.objects.filter(session=session, correction=False, student__isnull=False).values_list(
                "student_id", flat=True
            )
        )
        credited_staff = set(
            HoursCredit.objects.filter(session=session, correction=False, staff__isnull=False).values_list(
                "staff_id", flat=True
            )
        )
        rows = []
        for att in Attendance.objects.filter(session=session, status__in=ATTENDED):
            if att.student_id and att.student_id in credited_students:
                continue
            if att.staff_id and att.staff_id in credited_staff:
                continue
            rows.append(
                HoursCredit(
                    session=session,
                    student_id=att.student_id,
                    staff_id=att.staff_id,
                    kind=session.hours_kind,
                    hours=amount,
                    semester=session.semester,
                    credited_by=actor,
                    at=now,
                )
            )
        try:
            with transaction.atomic():
                created = HoursCredit.objects.bulk_create(rows)
        except IntegrityError:
            raise Conflict("时长刚刚被他人认定，请刷新后查看")
        session.hours_credited_at = now
        session.save(update_fields=["hours_credited_at"])
        audit_record(
            actor=actor,
            verb="service.hours_credit",
            target=session,
            summary=f"{session.title}：{len(created)}人各认定{amount}小时",
        )
        users = [
            u
            for u in (
                [
                    s.user
                    for s in Student.objects.filter(
                        pk__in=[r.student_id for r in rows if r.student_id]
                    ).select_related("user")
                ]
                + [
                    s.user
                    for s in Staff.objects.filter(
                        pk__in=[r.staff_id for r in rows if r.staff_id]
                    ).select_related("user")
                ]
            )
            if u is not None
        ]
        if users:
            from campusgrid.notifications.services import notify

            label = "志愿时长" if session.kind == SessionKind.VOLUNTEER else "学时"
            # In the transaction: the credits and their notices commit together (notify
            # sends outside messages on commit itself).
            notify(users=users, title=f"“{session.title}”已认定{label}{amount}小时", url="/service/my/hours/")
    return created


def hours_correct(
    *, actor, session: Session, student: Student | None = None, staff: Staff | None = None, hours, reason: str
) -> HoursCredit:
    """Correct a person's hours for a session: a new row with the signed change and why (the
    ledger is never edited). `hours` is the corrected total for the session."""
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError("更正时长须填写原因", field="reason")
    if len(reason) > 200:
        raise ServiceError("原因不超过200字", field="reason")
    if (student is None) == (staff is None):
        raise ServiceError("请指定一名学生或教职工", field="student")
    target = _hours(hours)
    _require_manager(actor, session)
    lookup = {"student": student} if student is not None else {"staff": staff}
    with transaction.atomic():
        # Lock the session: two corrections at once would compute their change from the same total.
        Session.objects.select_for_update(of=("self",)).filter(pk=session.pk).first()
        rows = HoursCredit.objects.filter(session=session, **lookup)
        original = rows.filter(correction=False).first()
        if original is None:
            raise ServiceError(
                f"{_person_label(student, staff)}尚未认定此活动的时长，请先认定", field="student"
            )
        current = rows.aggregate(total=Sum("hours"))["total"] or Decimal(0)
        delta = target - current
        if delta == 0:
            raise ServiceError("更正后的时长与现有时长相同", field="hours")
        credit = HoursCredit.objects.create(
            session=session,
            kind=original.kind,
            hours=delta,
            correction=True,
            corrects=original,
            reason=reason,
            semester=original.semester,
            credited_by=actor,
            **lookup,
        )
        audit_record(
            actor=actor,
            verb="service.hours_correct",
            target=credit,
            summary=f"{session.title}：{_person_label(student, staff)} {current}→{target}小时（{reason}）",
        )
    return credit


def session_record_served(*, actor, session: Session, students=(), count: int = 0) -> Session:
    """A volunteer activity's students served: those in the system (by 学号) and a count of
    the others (新生报到 help is mostly counted)."""
    _require_manager(actor, session)
    if session.kind != SessionKind.VOLUNTEER:
        raise ServiceError("只有志愿服务活动记录服务对象")
    if count < 0 or count > 100000:
        raise ServiceError("服务人数应为非负整数", field="served_count")
    with transaction.atomic():
        locked = Session.objects.select_for_update(of=("self",)).get(pk=session.pk)
        locked.served_count = count
        locked.save(update_fields=["served_count"])
        locked.served_students.set(students)
        audit_record(
            actor=actor,
            verb="service.session_served",
            target=locked,
            summary=f"{locked.title}：服务对象 {len(students)} 名在册、{count} 名未在册",
        )
    return locked
