"""党员结对帮扶就业 (issue 14 item 4): a party member paired with a graduating student who has
employment difficulty (the key-student reason 就业困难 of dossiers), their contacts, the
outcome; job posts published to the graduating classes of the majors they fit."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from campusgrid.core import clock
from campusgrid.core.badges import badge_colours
from campusgrid.core.models import SingletonSettings, VersionedModel, choices_check, user_ref
from campusgrid.core.scoping import MATCH_NOTHING, ScopedQuerySet, _or, student_q

DIFFICULTY_REASON = "就业困难"  # dossiers' key-student reason that marks who needs a pairing


class PairingSettings(SingletonSettings):
    """结对帮扶设置 (one row, edited in admin): quiet days before a pairing is flagged, and the
    length of study that says which grade graduates."""

    quiet_days = models.PositiveSmallIntegerField(
        "未联系提醒天数", default=14, help_text="结对后超过此天数没有联系记录，提醒辅导员（每次只提醒一次）"
    )
    program_years = models.PositiveSmallIntegerField("学制（年）", default=4)

    # Read at most every few seconds (a list asks once per row); saving the row clears it at once.
    cache_seconds = 30

    class Meta:
        verbose_name = "结对帮扶设置"
        verbose_name_plural = "结对帮扶设置"

    def graduating_year(self, on: dt.date | None = None) -> int:
        """The 入学年份 of the grade that graduates in the school year of `on` (Sept–Aug)."""
        on = on or clock.today()
        school_year = on.year if on.month >= 9 else on.year - 1
        return school_year - (self.program_years - 1)


@badge_colours(pending="warning", signed="success", further="success", abroad="success", flexible="info")
class Outcome(models.TextChoices):
    PENDING = "pending", "待就业"
    SIGNED = "signed", "签约"
    FURTHER = "further", "升学"
    ABROAD = "abroad", "出国"
    FLEXIBLE = "flexible", "灵活就业"


SETTLED = [Outcome.SIGNED, Outcome.FURTHER, Outcome.ABROAD, Outcome.FLEXIBLE]


class PairingQuerySet(ScopedQuerySet):
    scope_distinct = False

    def quiet(self, now=None, days: int | None = None):
        """未联系: open pairings whose last contact (or start) is `days` or more days back."""
        today = clock.local(now).date() if now else clock.today()
        days = PairingSettings.get().quiet_days if days is None else days
        return self.filter(outcome=Outcome.PENDING, last_contact_on__lte=today - dt.timedelta(days=days))


class Pairing(VersionedModel):
    """结对帮扶: one party member (student or staff) helping one graduating student find work."""

    student = models.OneToOneField(
        "people.Student", verbose_name="帮扶学生", on_delete=models.PROTECT, related_name="pairing"
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="结对党员",
        on_delete=models.PROTECT,
        related_name="pairings_led",
    )
    mentor_name = models.CharField("结对党员", max_length=64)
    goal = models.CharField("帮扶目标", max_length=255)
    started_on = models.DateField("结对日期", default=clock.today)
    last_contact_on = models.DateField("最近联系", help_text="无联系时为结对日期", db_index=True)
    quiet_flagged_for = models.DateField(
        "已提醒的最近联系日期", null=True, blank=True, editable=False, help_text="每段未联系只提醒一次"
    )
    outcome = models.CharField("去向", max_length=16, choices=Outcome.choices, default=Outcome.PENDING)
    outcome_on = models.DateField("去向日期", null=True, blank=True)
    outcome_note = models.CharField("去向说明", max_length=255, blank=True)
    created_by = user_ref("建立人")
    created_at = models.DateTimeField("建立时间", default=clock.now, editable=False)

    objects = PairingQuerySet.as_manager()

    class Meta:
        verbose_name = "结对帮扶"
        verbose_name_plural = "结对帮扶"
        ordering = ["outcome", "last_contact_on", "id"]
        constraints = [
            choices_check("outcome", Outcome, "pairing_outcome_valid"),
            models.CheckConstraint(
                condition=Q(outcome="pending") | Q(outcome_on__isnull=False), name="pairing_outcome_dated"
            ),
        ]

    def __str__(self):
        return f"{self.mentor_name} ↔ {self.student.name}"

    @classmethod
    def scope_q(cls, scope, action):
        """Sensitive (it says who has employment difficulty): level 3 and above over the student
        and people granted access; the mentor and the student themself read it too."""
        parts = [student_q(scope, "student__", "change")]
        if scope.granted_student_ids:
            parts.append(Q(student_id__in=scope.granted_student_ids))
        if action == "view" and scope.user_id:
            parts.append(Q(mentor_id=scope.user_id))
            if scope.self_student_id:
                parts.append(Q(student_id=scope.self_student_id))
        return _or([p for p in parts if p is not MATCH_NOTHING])

    @property
    def is_open(self) -> bool:
        return self.outcome == Outcome.PENDING

    @property
    def quiet_days(self) -> int:
        return (clock.today() - self.last_contact_on).days

    @property
    def is_quiet(self) -> bool:
        return self.is_open and self.quiet_days >= PairingSettings.get().quiet_days


class ContactWay(models.TextChoices):
    MEET = "meet", "面谈"
    PHONE = "phone", "电话"
    WECHAT = "wechat", "微信"
    OTHER = "other", "其他"


class PairingContact(models.Model):
    """帮扶联系记录: date, way, what was discussed, next step."""

    pairing = models.ForeignKey(
        Pairing, verbose_name="结对", on_delete=models.CASCADE, related_name="contacts"
    )
    contacted_on = models.DateField("联系日期")
    way = models.CharField("方式", max_length=16, choices=ContactWay.choices)
    content = models.TextField("沟通内容")
    next_step = models.CharField("下一步", max_length=255, blank=True)
    recorded_by = user_ref("记录人")
    recorded_by_name = models.CharField("记录人", max_length=64)
    created_at = models.DateTimeField("记录时间", default=clock.now, editable=False)

    class Meta:
        verbose_name = "帮扶联系记录"
        verbose_name_plural = "帮扶联系记录"
        ordering = ["-contacted_on", "-id"]
        constraints = [choices_check("way", ContactWay, "contact_way_valid")]

    def __str__(self):
        return f"{self.contacted_on} {self.get_way_display()}"


class JobPostQuerySet(ScopedQuerySet):
    def open(self, on=None):
        return self.filter(deadline__gte=on or clock.today())


class JobPost(models.Model):
    """招聘信息: published to the graduating classes (`grade_year`) of the majors it fits."""

    college = models.ForeignKey(
        "org.College", verbose_name="学院", on_delete=models.PROTECT, related_name="+"
    )
    company = models.CharField("单位", max_length=100)
    position = models.CharField("岗位", max_length=100)
    majors = models.ManyToManyField("org.Major", verbose_name="适合专业", related_name="+")
    grade_year = models.PositiveSmallIntegerField("面向年级（入学年份）")
    deadline = models.DateField("截止日期")
    link = models.URLField("链接", max_length=500, blank=True)
    note = models.CharField("说明", max_length=255, blank=True)
    created_by = user_ref("发布人")
    created_by_name = models.CharField("发布人", max_length=64)
    created_at = models.DateTimeField("发布时间", default=clock.now, editable=False)

    objects = JobPostQuerySet.as_manager()
    scope_distinct = True

    class Meta:
        verbose_name = "招聘信息"
        verbose_name_plural = "招聘信息"
        ordering = ["deadline", "-id"]

    def __str__(self):
        return f"{self.company} {self.position}"

    @classmethod
    def scope_q(cls, scope, action):
        """Staff and grid workers of the college; a student in a graduating class of a major it fits."""
        if scope.everything:
            return ~MATCH_NOTHING
        if action != "view":
            parts = []
            if scope.manage_college_ids:
                parts.append(Q(college_id__in=scope.manage_college_ids))
            if scope.manage_class_ids:
                parts.append(Q(college__classes__id__in=scope.manage_class_ids))
            return _or(parts)
        parts = []
        if scope.college_ids:
            parts.append(Q(college_id__in=scope.college_ids))
        if scope.class_ids:
            parts.append(Q(college__classes__id__in=scope.class_ids))
        if scope.self_student_id:
            parts.append(
                Q(
                    majors__classes__students__id=scope.self_student_id,
                    majors__classes__grade__year=F("grade_year"),
                )
            )
        return _or(parts)
