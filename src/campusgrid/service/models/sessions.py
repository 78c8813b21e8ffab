"""Sessions with attendance and hours (SPEC §10, §11): volunteer activities, education
activities, grid-worker training and party meetings are all one `Session`.

Names here are read by other apps (party's branch meetings) and kept stable:

- Session(kind volunteer | education | training | party_meeting, title, topic, college,
  organiser, starts_at, ends_at, place, quota, signup_required, hours, audience_*, team, branch).
- Attendance(session, student | staff, status present | late | absent | leave | makeup,
  how code | qr | manual, at): one row per person and session.
- HoursCredit: the append-only hours ledger (志愿时长, 学时); one original credit per person
  and session (a partial UniqueConstraint), corrections as new rows with a reason.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q

from campusgrid.core import clock
from campusgrid.core.badges import badge_colours
from campusgrid.core.models import choices_check, exactly_one, user_ref
from campusgrid.core.scoping import ScopedQuerySet, _or
from campusgrid.people.models import person_keys


class SessionKind(models.TextChoices):
    VOLUNTEER = "volunteer", "志愿服务"
    EDUCATION = "education", "教育活动"
    TRAINING = "training", "网格员培训"
    PARTY_MEETING = "party_meeting", "党组织会议"


# Suggested topics per kind (the form offers them; any text is accepted).
EDUCATION_TOPICS = ["安全教育", "反诈宣传", "心理健康宣传", "文明宿舍", "节约校园"]
TRAINING_TOPICS = ["舍长岗前培训", "网格员业务培训", "心理危机识别讲座", "网格员座谈会"]
PARTY_MEETING_TOPICS = ["支部党员大会", "支部委员会", "党小组会", "党课"]


@badge_colours(present="success", late="warning", absent="danger", leave="secondary", makeup="info")
class AttendanceStatus(models.TextChoices):
    PRESENT = "present", "出席"
    LATE = "late", "迟到"
    ABSENT = "absent", "缺席"
    LEAVE = "leave", "请假"
    MAKEUP = "makeup", "补课"


# Statuses that count as having taken part (hours, training done).
ATTENDED = [AttendanceStatus.PRESENT, AttendanceStatus.LATE, AttendanceStatus.MAKEUP]


class AttendanceHow(models.TextChoices):
    CODE = "code", "签到码"
    QR = "qr", "扫码"
    MANUAL = "manual", "手工登记"


class HoursKind(models.TextChoices):
    VOLUNTEER = "volunteer", "志愿时长"
    STUDY = "study", "学时"


def _new_secret() -> str:
    return secrets.token_hex(32)


def _session_scope_q(scope, action, prefix: str = "") -> Q:
    """Sessions the scope reaches (`prefix` "session__" from a child row): the organiser's
    own and those of a college the user leads (VIEW and CHANGE); for VIEW also every session
    of the college of a counselor's or class teacher's classes, the session's audience and
    those signed up."""
    parts = _organiser_q(scope, prefix)
    if action == "view":
        if scope.manage_class_ids:
            from campusgrid.org.models import SchoolClass

            colleges = SchoolClass.objects.filter(id__in=scope.manage_class_ids).values("college_id")
            parts.append(Q(**{f"{prefix}college_id__in": colleges}))
        parts += audience_q(scope, prefix)
    return _or(parts)


def _organiser_q(scope, prefix: str = "") -> list[Q]:
    """The parts that reach a session (through `prefix`) for VIEW and CHANGE alike: its
    organiser, and the leaders of its college."""
    parts: list[Q] = []
    if scope.user_id:
        parts.append(Q(**{f"{prefix}organiser_id": scope.user_id}))
    if scope.manage_college_ids:
        parts.append(Q(**{f"{prefix}college_id__in": scope.manage_college_ids}))
    return parts


def audience_q(scope, prefix: str = "") -> list[Q]:
    """The parts of a session's audience that reach the scope's own person."""
    from campusgrid.grid.models import Post
    from campusgrid.people.models import PARTY_MEMBERS, Student

    p = prefix
    parts: list[Q] = []
    sid = scope.self_student_id
    if sid:
        me = Student.objects.filter(pk=sid)
        parts += [
            Q(**{f"{p}audience_classes__students__id": sid}),
            Q(**{f"{p}audience_rooms__beds__student__id": sid}),
            Q(**{f"{p}audience_college": True, f"{p}college_id__in": me.values("college_id")}),
            Q(
                **{
                    f"{p}audience_branch": True,
                    f"{p}branch__rooms__room__beds__student__id": sid,
                    f"{p}branch__rooms__room__beds__student__political_status__in": PARTY_MEMBERS,
                }
            ),
            Q(
                **{
                    f"{p}audience_post_kind__in": Post.objects.current()
                    .filter(student_id=sid)
                    .values("kind"),
                    f"{p}college_id__in": me.values("college_id"),
                }
            ),
            Q(**{f"{p}signups__student_id": sid}),
            Q(**{f"{p}attendances__student_id": sid}),
        ]
    if scope.staff_id:
        parts += [
            Q(
                **{
                    f"{p}audience_post_kind__in": Post.objects.current()
                    .filter(staff_id=scope.staff_id)
                    .values("kind")
                }
            ),
            Q(**{f"{p}audience_branch": True, f"{p}branch__posts__staff_id": scope.staff_id}),
            Q(**{f"{p}signups__staff_id": scope.staff_id}),
            Q(**{f"{p}attendances__staff_id": scope.staff_id}),
        ]
    return parts


class Session(models.Model):
    """活动/培训/会议: one session with its audience, quota, sign-up and attendance."""

    kind = models.CharField("类型", max_length=16, choices=SessionKind.choices)
    title = models.CharField("标题", max_length=120)
    topic = models.CharField("主题", max_length=64, blank=True)
    description = models.TextField("内容", blank=True)
    college = models.ForeignKey(
        "org.College", verbose_name="学院", on_delete=models.PROTECT, related_name="service_sessions"
    )
    semester = models.ForeignKey(
        "org.Semester",
        verbose_name="学期",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="service_sessions",
    )
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="组织者", on_delete=models.PROTECT, related_name="+"
    )
    starts_at = models.DateTimeField("开始时间")
    ends_at = models.DateTimeField("结束时间")
    place = models.CharField("地点", max_length=120, blank=True)
    quota = models.PositiveIntegerField("名额", null=True, blank=True, help_text="留空为不限")
    signup_required = models.BooleanField("需报名", default=False)
    hours = models.DecimalField("时长（小时）", max_digits=5, decimal_places=1, default=0)
    signin_before_minutes = models.PositiveSmallIntegerField(
        "提前签到（分钟）", default=15, help_text="开始前多少分钟起可签到"
    )
    late_after_minutes = models.PositiveSmallIntegerField(
        "迟到界限（分钟）", default=10, help_text="开始后多少分钟签到记为迟到"
    )
    # The audience: any union of these (empty means only those signed up or ticked by hand).
    audience_college = models.BooleanField("面向全院学生", default=False)
    audience_classes = models.ManyToManyField(
        "org.SchoolClass", verbose_name="面向班级", blank=True, related_name="+"
    )
    audience_rooms = models.ManyToManyField("org.Room", verbose_name="面向寝室", blank=True, related_name="+")
    audience_branch = models.BooleanField(
        "面向支部党员", default=False, help_text="所选党支部的党员（住在支部网格内）和支部任职者"
    )
    audience_post_kind = models.CharField(
        "面向网格职务", max_length=24, blank=True, help_text="本学院现任此职务的网格员"
    )
    team = models.ForeignKey(
        "service.VolunteerTeam",
        verbose_name="志愿服务队",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sessions",
    )
    branch = models.ForeignKey(
        "grid.PartyBranch",
        verbose_name="党支部",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="service_sessions",
    )
    # Volunteer activities: the students served, by 学号 where known (served_students), plus a count.
    served_students = models.ManyToManyField(
        "people.Student", verbose_name="服务对象（在册）", blank=True, related_name="+"
    )
    served_count = models.PositiveIntegerField("服务对象人数（未在册）", default=0)
    secret = models.CharField(max_length=64, default=_new_secret, editable=False)
    hours_credited_at = models.DateTimeField("时长认定时间", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", default=clock.now, editable=False)

    objects = ScopedQuerySet.as_manager()
    scope_distinct = True

    class Meta:
        verbose_name = "活动"
        verbose_name_plural = "活动"
        ordering = ["-starts_at"]
        constraints = [
            choices_check("kind", SessionKind, "service_session_kind_valid"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="service_session_ends_after"
            ),
            models.CheckConstraint(condition=Q(hours__gte=0), name="service_session_hours_nonnegative"),
        ]
        indexes = [models.Index(fields=["college", "kind", "starts_at"])]

    def __str__(self):
        return self.title

    @classmethod
    def scope_q(cls, scope, action):
        return _session_scope_q(scope, action)

    @property
    def organiser_name(self) -> str:
        from campusgrid.core.names import person_name

        return person_name(self.organiser)

    @property
    def hours_kind(self) -> str:
        return HoursKind.VOLUNTEER if self.kind == SessionKind.VOLUNTEER else HoursKind.STUDY

    def signin_opens_at(self):
        import datetime as dt

        return self.starts_at - dt.timedelta(minutes=self.signin_before_minutes)

    def signin_open(self, now=None) -> bool:
        now = now or clock.now()
        return self.signin_opens_at() <= now <= self.ends_at

    def is_over(self, now=None) -> bool:
        return (now or clock.now()) > self.ends_at


class SessionPost(models.Model):
    """志愿岗位: a post of a volunteer activity with its quota (引导员 5 人)."""

    session = models.ForeignKey(Session, verbose_name="活动", on_delete=models.CASCADE, related_name="posts")
    name = models.CharField("岗位", max_length=64)
    quota = models.PositiveIntegerField("名额", null=True, blank=True)

    class Meta:
        verbose_name = "志愿岗位"
        verbose_name_plural = "志愿岗位"
        ordering = ["session", "id"]
        constraints = [models.UniqueConstraint(fields=["session", "name"], name="service_post_unique_name")]

    def __str__(self):
        return self.name


def _one_person(prefix: str, **once) -> list:
    """A row is about a student or a staff member, never both, and each person has at most one
    row per session (of those matching `once`)."""
    return [
        exactly_one("staff", "student", f"{prefix}_one_person"),
        models.UniqueConstraint(
            fields=["session", "student"],
            condition=Q(**once, student__isnull=False),
            name=f"{prefix}_once_student",
        ),
        models.UniqueConstraint(
            fields=["session", "staff"],
            condition=Q(**once, staff__isnull=False),
            name=f"{prefix}_once_staff",
        ),
    ]


class PersonalQuerySet(ScopedQuerySet):
    """Rows about one person in one session: the person sees their own; the organiser and
    level 3+ staff over the session's college see all of it."""


class PersonalRow(models.Model):
    """What a session's rows about one person (sign-up, attendance, hours) share: their
    scope, and the person (a student or a staff member)."""

    objects = PersonalQuerySet.as_manager()

    class Meta:
        abstract = True

    @classmethod
    def scope_q(cls, scope, action):
        return _personal_scope_q(scope, action)

    @property
    def person(self):
        return self.student or self.staff


def _personal_scope_q(scope, action) -> Q:
    """One person's row of a session: the session's organiser and the leaders of its college
    see and change every row; a counselor or class teacher sees the rows of their own
    students (of any session); each person sees their own."""
    from campusgrid.core.scoping import student_q

    parts = _organiser_q(scope, "session__")
    if action == "view":
        if scope.manage_class_ids:
            parts.append(student_q(scope, "student__", "change"))
        if scope.self_student_id:
            parts.append(Q(student_id=scope.self_student_id))
        if scope.staff_id:
            parts.append(Q(staff_id=scope.staff_id))
    return _or(parts)


class Signup(PersonalRow):
    """报名: a person signed up for a session (and a post of it)."""

    session = models.ForeignKey(
        Session, verbose_name="活动", on_delete=models.CASCADE, related_name="signups"
    )
    student, staff = person_keys(on_delete=models.CASCADE)
    post = models.ForeignKey(
        SessionPost,
        verbose_name="岗位",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="signups",
    )
    at = models.DateTimeField("报名时间", default=clock.now)

    class Meta:
        verbose_name = "报名"
        verbose_name_plural = "报名"
        ordering = ["session", "at"]
        constraints = _one_person("service_signup")

    def __str__(self):
        return f"{self.session} {self.person.name}"


class Attendance(PersonalRow):
    """考勤: one person's attendance at one session (by code, QR or ticked by hand)."""

    session = models.ForeignKey(
        Session, verbose_name="活动", on_delete=models.CASCADE, related_name="attendances"
    )
    student, staff = person_keys(on_delete=models.PROTECT, related_name="service_attendances")
    status = models.CharField("考勤", max_length=8, choices=AttendanceStatus.choices)
    how = models.CharField("方式", max_length=8, choices=AttendanceHow.choices, default=AttendanceHow.MANUAL)
    at = models.DateTimeField("时间", default=clock.now)
    note = models.CharField("备注", max_length=200, blank=True)
    recorded_by = user_ref("登记人", blank=True)

    class Meta:
        verbose_name = "考勤"
        verbose_name_plural = "考勤"
        ordering = ["session", "id"]
        constraints = _one_person("service_attendance") + [
            choices_check("status", AttendanceStatus, "service_attendance_status_valid"),
            choices_check("how", AttendanceHow, "service_attendance_how_valid"),
        ]

    def __str__(self):
        return f"{self.session} {self.person_name} {self.get_status_display()}"

    @property
    def person_name(self) -> str:
        return self.person.name if self.person else ""


class HoursCredit(PersonalRow):
    """时长记录: one row of the append-only hours ledger (志愿时长, 学时).

    The first credit of a person for a session is the original (`correction` false; at
    most one, a database constraint); every change after it is a new correction row with a
    signed delta and a reason. A person's hours are the sum of their rows."""

    session = models.ForeignKey(
        Session, verbose_name="活动", on_delete=models.PROTECT, related_name="credits"
    )
    student, staff = person_keys(on_delete=models.PROTECT, related_name="service_hours")
    kind = models.CharField("类别", max_length=12, choices=HoursKind.choices)
    hours = models.DecimalField("时长（小时）", max_digits=5, decimal_places=1)
    correction = models.BooleanField("更正", default=False)
    corrects = models.ForeignKey(
        "self",
        verbose_name="更正的记录",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    reason = models.CharField("原因", max_length=200, blank=True)
    semester = models.ForeignKey(
        "org.Semester", verbose_name="学期", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    credited_by = user_ref("认定人")
    at = models.DateTimeField("认定时间", default=clock.now)

    class Meta:
        verbose_name = "时长记录"
        verbose_name_plural = "时长记录"
        ordering = ["at", "id"]
        # At most one original credit per person and session; corrections are extra rows.
        constraints = _one_person("service_hours", correction=False) + [
            choices_check("kind", HoursKind, "service_hours_kind_valid"),
            models.CheckConstraint(
                condition=Q(correction=False, hours__gte=0) | Q(correction=True, reason__gt=""),
                name="service_hours_correction_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["student", "semester"])]

    def __str__(self):
        return f"{self.session} {self.hours}"
