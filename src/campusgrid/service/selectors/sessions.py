"""Reads of sessions, attendance and hours that pages, the API and exports share."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

from campusgrid.core.scoping import VIEW, as_subqueries, get_visible_or_404, scope_for
from campusgrid.grid.models import Post
from campusgrid.people.models import PARTY_MEMBERS, Staff, Student

from ..models import ATTENDED, Attendance, AttendanceStatus, HoursCredit, Session, SessionKind, Signup
from ..models.sessions import audience_q


def session_list(*, user, kind: str | None = None, filters=None) -> QuerySet[Session]:
    """Sessions the user reaches (organiser, audience, staff over the college), newest first,
    with their attendance counts; `filters` (a dict or the request's GET) go through
    SessionFilter, the one definition the page and the API share."""
    qs = Session.objects.visible_to(user, VIEW)
    if kind:
        qs = qs.filter(kind=kind)
    if filters is not None:
        from ..filters import SessionFilter

        filterset = SessionFilter(filters, queryset=qs, user=user)
        qs = filterset.qs if filterset.is_valid() else qs.none()
    return (
        qs.select_related("college", "organiser__student", "organiser__staff", "team", "branch", "semester")
        .annotate(
            attended_count=Count("attendances", filter=Q(attendances__status__in=ATTENDED), distinct=True),
            signup_count=Count("signups", distinct=True),
        )
        .order_by("-starts_at", "-id")
    )


def session_get(*, user, pk, action: str = VIEW) -> Session:
    return get_visible_or_404(
        Session.objects.select_related("college", "organiser", "team", "branch", "semester"),
        user,
        action,
        pk=pk,
    )


def audience_students(session: Session) -> QuerySet[Student]:
    """The students of the session's audience (the union of its parts) and those signed up."""
    parts = Q(pk__in=Signup.objects.filter(session=session, student__isnull=False).values("student_id"))
    if session.audience_college:
        parts |= Q(college_id=session.college_id)
    parts |= Q(school_class__in=session.audience_classes.values("id"))
    parts |= Q(bed__room__in=session.audience_rooms.values("id"))
    if session.audience_branch and session.branch_id:
        parts |= Q(bed__room__party_room__branch_id=session.branch_id, political_status__in=PARTY_MEMBERS)
        parts |= Q(pk__in=Post.objects.current().filter(branch_id=session.branch_id).values("student_id"))
    if session.audience_post_kind:
        parts |= Q(
            college_id=session.college_id,
            pk__in=Post.objects.current()
            .filter(kind=session.audience_post_kind, student__isnull=False)
            .values("student_id"),
        )
    return Student.objects.enrolled().filter(parts)


def audience_staff(session: Session) -> QuerySet[Staff]:
    parts = Q(pk__in=Signup.objects.filter(session=session, staff__isnull=False).values("staff_id"))
    if session.audience_branch and session.branch_id:
        parts |= Q(pk__in=Post.objects.current().filter(branch_id=session.branch_id).values("staff_id"))
    if session.audience_post_kind:
        parts |= Q(
            college_id=session.college_id,
            pk__in=Post.objects.current()
            .filter(kind=session.audience_post_kind, staff__isnull=False)
            .values("staff_id"),
        )
    return Staff.objects.filter(parts)


def has_audience(session: Session) -> bool:
    return bool(
        session.audience_college
        or session.audience_branch
        or session.audience_post_kind
        or session.audience_classes.exists()
        or session.audience_rooms.exists()
    )


def in_audience(session: Session, *, student: Student | None = None, staff: Staff | None = None) -> bool:
    if student is not None:
        return audience_students(session).filter(pk=student.pk).exists()
    if staff is not None:
        return audience_staff(session).filter(pk=staff.pk).exists()
    return False


def attendance_for(*, session: Session) -> QuerySet[Attendance]:
    """The attendance rows of one session (the caller has fetched the session in scope)."""
    return (
        Attendance.objects.filter(session=session)
        .select_related("student__school_class", "staff", "recorded_by")
        .order_by("student__school_class__name", "student__student_no", "staff__staff_no")
    )


def attendance_sheet(*, session: Session) -> list[dict]:
    """Everyone expected (audience and signed up) and everyone recorded, one row each, with
    their attendance and credited hours: the organiser's ticking list."""
    rows: dict[tuple, dict] = {}
    for student in (
        audience_students(session).select_related("school_class").order_by("school_class__name", "student_no")
    ):
        rows[("student", student.pk)] = {
            "kind": "student",
            "person": student,
            "attendance": None,
            "hours": None,
        }
    for staff in audience_staff(session).order_by("staff_no"):
        rows[("staff", staff.pk)] = {"kind": "staff", "person": staff, "attendance": None, "hours": None}
    for att in attendance_for(session=session):
        key = ("student", att.student_id) if att.student_id else ("staff", att.staff_id)
        row = rows.setdefault(key, {"kind": key[0], "person": att.person, "attendance": None, "hours": None})
        row["attendance"] = att
    totals = (
        HoursCredit.objects.filter(session=session)
        .values("student_id", "staff_id")
        .annotate(total=Sum("hours"))
    )
    for t in totals:
        key = ("student", t["student_id"]) if t["student_id"] else ("staff", t["staff_id"])
        if key in rows:
            rows[key]["hours"] = t["total"]
    result = list(rows.values())
    for row in result:
        person = row["person"]
        row["number"] = person.student_no if row["kind"] == "student" else person.staff_no
        row["class_name"] = (
            person.school_class.name if row["kind"] == "student" and person.school_class_id else ""
        )
    return result


def my_sessions(*, user) -> QuerySet[Session]:
    """The sessions a student or staff member is in the audience of, signed up for or attended
    (what 我的活动 lists), newest first, with their own attendance."""
    parts = audience_q(scope_for(user))
    if not parts:
        return Session.objects.none()
    condition = parts[0]
    for part in parts[1:]:
        condition |= part
    return (
        Session.objects.filter(as_subqueries(Session, condition))
        .select_related("college")
        .order_by("-starts_at", "-id")
    )


def own_attendance(*, user, sessions) -> dict[int, Attendance]:
    student = getattr(user, "student", None)
    staff = getattr(user, "staff", None)
    if student is None and staff is None:
        return {}
    qs = Attendance.objects.filter(session__in=[s.pk for s in sessions])
    qs = qs.filter(student=student) if student is not None else qs.filter(staff=staff)
    return {a.session_id: a for a in qs}


def hours_list(*, user, kind: str | None = None) -> QuerySet[HoursCredit]:
    """Rows of the hours ledger the user reaches (their own, or those of sessions they manage)."""
    qs = HoursCredit.objects.visible_to(user, VIEW)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.select_related("session", "student__school_class", "staff", "semester", "credited_by").order_by(
        "-at", "-id"
    )


def hours_of(*, student: Student | None = None, staff: Staff | None = None) -> dict:
    """One person's hours: per semester and kind, and the total of each kind."""
    qs = (
        HoursCredit.objects.filter(student=student)
        if student is not None
        else HoursCredit.objects.filter(staff=staff)
    )
    per = (
        qs.values("semester__name", "semester__start", "kind")
        .annotate(total=Sum("hours"))
        .order_by("-semester__start", "kind")
    )
    semesters: dict[str, dict] = {}
    totals = {"volunteer": Decimal(0), "study": Decimal(0)}
    for row in per:
        name = row["semester__name"] or "未分学期"
        semesters.setdefault(name, {"name": name, "volunteer": Decimal(0), "study": Decimal(0)})
        semesters[name][row["kind"]] += row["total"] or 0
        totals[row["kind"]] += row["total"] or 0
    return {"semesters": list(semesters.values()), "totals": totals}


def my_hours(*, user) -> dict:
    student = getattr(user, "student", None)
    staff = getattr(user, "staff", None)
    base = (
        HoursCredit.objects.filter(student=student)
        if student is not None
        else HoursCredit.objects.filter(staff=staff)
    )
    if student is None and staff is None:
        base = HoursCredit.objects.none()
    summary = (
        hours_of(student=student, staff=staff) if (student or staff) else {"semesters": [], "totals": {}}
    )
    summary["rows"] = base.select_related("session", "semester").order_by("-at", "-id")
    return summary


def volunteer_credits(
    *, user, semester=None, school_class: int | None = None, date_from=None, date_to=None
) -> QuerySet[HoursCredit]:
    """The students' volunteer-hour rows the user may see, in the semester, the class and
    for activities held between the dates: what the 志愿时长台账 sums per student, the
    dashboard's hours chart per class and the semester report's 志愿者 counts."""
    qs = HoursCredit.objects.visible_to(user, VIEW).filter(kind="volunteer", student__isnull=False)
    if semester is not None:
        qs = qs.filter(semester=semester)
    if school_class:
        qs = qs.filter(student__school_class_id=school_class)
    if date_from:
        qs = qs.filter(session__starts_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(session__starts_at__date__lte=date_to)
    return qs


def volunteer_hours_ledger(*, user, semester=None, **filters) -> QuerySet:
    """志愿时长台账: per student, their volunteer hours (in the semester, or in total) and the
    number of activities, for the students whose hours the user may see."""
    return (
        volunteer_credits(user=user, semester=semester, **filters)
        .values(
            "student_id",
            "student__student_no",
            "student__name",
            "student__school_class__name",
            "student__college__name",
        )
        .annotate(total=Sum("hours"), activities=Count("session", distinct=True))
        .order_by("student__school_class__name", "student__student_no")
    )


def volunteer_hours_by_class(*, user, semester) -> list[dict]:
    """The semester's volunteer hours per class (most first) with the number of students
    credited — each class's row of the ledger filtered by ?school_class= (one query)."""
    return list(
        volunteer_credits(user=user, semester=semester)
        .filter(student__school_class__isnull=False)
        .order_by()
        .values("student__school_class_id", "student__school_class__name", "student__college_id")
        .annotate(hours=Sum("hours"), students=Count("student", distinct=True))
        .order_by("-hours", "student__school_class__name")
    )


KIND_LABELS = dict(SessionKind.choices)
STATUS_LABELS = dict(AttendanceStatus.choices)


def is_signed_up(*, user, session: Session) -> bool:
    student = getattr(user, "student", None)
    staff = getattr(user, "staff", None)
    if student is not None:
        return Signup.objects.filter(session=session, student=student).exists()
    if staff is not None:
        return Signup.objects.filter(session=session, staff=staff).exists()
    return False


def attendance_counts(*, session: Session) -> dict:
    """Attendance of one session by status, and the number signed up."""
    counts = dict(
        Attendance.objects.filter(session=session)
        .values("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    result = {value: counts.get(value, 0) for value in AttendanceStatus.values}
    result["attended"] = sum(counts.get(v, 0) for v in ATTENDED)
    result["signups"] = Signup.objects.filter(session=session).count()
    return result


def audience_or_attendee(*, session: Session, number: str) -> list[dict]:
    """The person of this 学号 / 工号 among the session's attendance rows: {"student": s} or
    {"staff": s} (what the correction form names)."""
    number = (number or "").strip()
    if not number:
        return []
    att = (
        Attendance.objects.filter(session=session)
        .filter(Q(student__student_no=number) | Q(staff__staff_no=number))
        .select_related("student", "staff")
        .first()
    )
    if att is None:
        return []
    return [{"student": att.student} if att.student_id else {"staff": att.staff}]


def session_for_sign_in(*, pk: int) -> Session | None:
    """The session a QR link names. Not scoped: the code and the audience decide (a student
    outside the audience is told so, not answered 404)."""
    return Session.objects.filter(pk=pk).first()


def hours_class_choice(*, user, pk: int | None):
    """The class the ledger is narrowed to (?school_class=), for its heading, if the user
    reaches it (the rows are scoped anyway: another class's filter lists nothing)."""
    from campusgrid.org.models import SchoolClass

    return SchoolClass.objects.visible_to(user).filter(pk=pk).first() if pk else None


def semester_choices():
    from campusgrid.org.models import Semester

    return list(Semester.objects.order_by("-start")[:12])


def classes_by_names(*, user, names, field: str = "audience_classes"):
    """The classes of these names in the user's reach; any other is named in one error."""
    from campusgrid.core.errors import ServiceError
    from campusgrid.org.models import SchoolClass

    names = list(dict.fromkeys(n.strip() for n in names if n and n.strip()))
    if not names:
        return []
    found = {c.name: c for c in SchoolClass.objects.visible_to(user).filter(name__in=names)}
    missing = [n for n in names if n not in found]
    if missing:
        raise ServiceError(f"在您的范围内找不到班级：{'、'.join(missing)}", field=field)
    return [found[n] for n in names]


def personal_data(*, student: Student) -> list[dict]:
    """What the service app holds about one student: attendance and hours rows."""
    rows = [
        {
            "类别": "考勤",
            "活动": a.session.title,
            "开始时间": a.session.starts_at.isoformat(),
            "考勤": a.get_status_display(),
            "方式": a.get_how_display(),
        }
        for a in Attendance.objects.filter(student=student)
        .select_related("session")
        .order_by("session__starts_at")
    ]
    rows += [
        {
            "类别": "时长",
            "活动": c.session.title,
            "时长": str(c.hours),
            "种类": c.get_kind_display(),
            "更正原因": c.reason,
            "认定时间": c.at.isoformat(),
        }
        for c in HoursCredit.objects.filter(student=student).select_related("session").order_by("at", "id")
    ]
    return rows
