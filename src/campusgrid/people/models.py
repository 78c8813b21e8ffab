"""Students and staff, their accounts and political-status history (SPEC §2)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower, Upper

from campusgrid.core import clock
from campusgrid.core.badges import badge_colours
from campusgrid.core.crypto import EncryptedTextField
from campusgrid.core.errors import Conflict
from campusgrid.core.models import VersionedModel, choices_check
from campusgrid.core.scoping import MATCH_NOTHING, ScopedQuerySet, student_q


class Gender(models.TextChoices):
    MALE = "男", "男"
    FEMALE = "女", "女"


@badge_colours(enrolled="success", suspended="warning", withdrawn="secondary", graduated="secondary")
class StudentStatus(models.TextChoices):
    ENROLLED = "enrolled", "在校"
    SUSPENDED = "suspended", "休学"
    WITHDRAWN = "withdrawn", "退学"
    GRADUATED = "graduated", "毕业"


def person_keys(
    *,
    on_delete,
    related_name: str = "+",
    labels: tuple[str, str] = ("学生", "教职工"),
    one_to_one: bool = False,
) -> tuple[models.ForeignKey, models.ForeignKey]:
    """学生或教职工: the `student` and `staff` keys of a row about one person (a post's holder,
    a sign-up, a development file …), both nullable; the model's constraints add
    `exactly_one("student", "staff", …)`. `one_to_one`: a person has at most one such row."""
    key = models.OneToOneField if one_to_one else models.ForeignKey
    return tuple(
        key(to, verbose_name=label, null=True, blank=True, on_delete=on_delete, related_name=related_name)
        for to, label in zip(("people.Student", "people.Staff"), labels, strict=True)
    )


class PoliticalStatus(models.TextChoices):
    """政治面貌, in the order of the party's development pipeline."""

    MASSES = "masses", "群众"
    LEAGUE_MEMBER = "league_member", "共青团员"
    APPLICANT = "applicant", "入党申请人"
    ACTIVIST = "activist", "入党积极分子"
    CANDIDATE = "candidate", "发展对象"
    PROBATIONARY = "probationary", "中共预备党员"
    MEMBER = "member", "中共党员"

    @classmethod
    def rank(cls, value: str) -> int:
        return list(cls.values).index(value)

    @classmethod
    def at_least(cls, value: str) -> list[str]:
        return list(cls.values)[cls.rank(value) :]

    @classmethod
    def from_label(cls, label: str) -> str | None:
        label = (label or "").strip()
        aliases = {
            "团员": cls.LEAGUE_MEMBER,
            "共青团员": cls.LEAGUE_MEMBER,
            "预备党员": cls.PROBATIONARY,
            "中共预备党员": cls.PROBATIONARY,
            "党员": cls.MEMBER,
            "中共党员": cls.MEMBER,
            "积极分子": cls.ACTIVIST,
        }
        for value, text in cls.choices:
            if label in (text, value):
                return value
        return aliases.get(label)


PARTY_MEMBERS = [PoliticalStatus.PROBATIONARY, PoliticalStatus.MEMBER]


class StudentQuerySet(ScopedQuerySet):
    def enrolled(self):
        return self.filter(status=StudentStatus.ENROLLED)

    def search(self, text: str):
        """Name, 学号 or pinyin initials (e.g. "zs" finds 张三)."""
        text = (text or "").strip()
        if not text:
            return self
        if text.isascii() and text.isalpha():
            initials = Q(name_initials__startswith=text.lower())  # an index range
            # Letters are found inside a 学号 only if some 学号 holds a letter. Where none does
            # (digits only, the usual case) that arm is left out: it reads every student's 学号
            # in reach (no index serves "contains"), for a 2-letter search 8 ms of a college's
            # 6,000 rows, and can match nothing (issue 17).
            if lettered_student_numbers():
                return self.filter(initials | Q(student_no__icontains=text))
            return self.filter(initials)
        return self.filter(Q(name__contains=text) | Q(student_no__startswith=text))


class Student(VersionedModel):
    """学生"""

    student_no = models.CharField("学号", max_length=32, unique=True)
    name = models.CharField("姓名", max_length=64, db_index=True)
    name_initials = models.CharField("拼音首字母", max_length=32, blank=True, db_index=True, editable=False)
    gender = models.CharField("性别", max_length=2, choices=Gender.choices)
    status = models.CharField(
        "学籍状态", max_length=16, choices=StudentStatus.choices, default=StudentStatus.ENROLLED
    )
    college = models.ForeignKey(
        "org.College", verbose_name="学院", on_delete=models.PROTECT, related_name="students"
    )
    school_class = models.ForeignKey(
        "org.SchoolClass",
        verbose_name="班级",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="students",
    )
    bed = models.OneToOneField(
        "org.Bed",
        verbose_name="床位",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="student",
    )
    political_status = models.CharField(
        "政治面貌", max_length=16, choices=PoliticalStatus.choices, default=PoliticalStatus.LEAGUE_MEMBER
    )
    phone = models.CharField("手机号", max_length=20, blank=True)
    id_number = EncryptedTextField("身份证号", blank=True)
    id_number_digest = models.CharField(max_length=32, blank=True, db_index=True, editable=False)
    ethnicity = models.CharField("民族", max_length=16, blank=True)
    origin = models.CharField("生源地", max_length=64, blank=True)
    parent_phone = models.CharField("家长电话", max_length=20, blank=True)
    left_on = models.DateField(
        "离校日期", null=True, blank=True, help_text="毕业、退学或休学的日期；保留期限从此起算"
    )
    retention_erased_at = models.DateTimeField(
        "敏感信息删除时间", null=True, blank=True, editable=False, help_text="保留期满后按个人信息保护法删除"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="登录账号",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="student",
    )
    created_at = models.DateTimeField("创建时间", default=clock.now, editable=False)
    updated_at = models.DateTimeField("更新时间", default=clock.now, editable=False)

    objects = StudentQuerySet.as_manager()

    class Meta:
        verbose_name = "学生"
        verbose_name_plural = "学生"
        ordering = ["student_no"]
        constraints = [
            choices_check("status", StudentStatus, "student_status_valid"),
            choices_check("political_status", PoliticalStatus, "student_political_status_valid"),
        ]
        indexes = [
            models.Index(fields=["college", "status"]),
            models.Index(fields=["school_class", "status"]),
            # The roster's keyset pages (core.paging): a college's students in 学号 order, read
            # from the index a page at a time instead of walking every student's 学号.
            models.Index(fields=["college", "student_no"], name="people_student_college_no_idx"),
        ]

    def __str__(self):
        return f"{self.name}（{self.student_no}）"

    @classmethod
    def scope_q(cls, scope, action):
        return student_q(scope, "", action)

    @property
    def room(self):
        return self.bed.room if self.bed_id else None

    @property
    def is_enrolled(self) -> bool:
        return self.status == StudentStatus.ENROLLED

    @property
    def is_party_member(self) -> bool:
        return self.political_status in PARTY_MEMBERS


def lettered_student_numbers() -> bool:
    """Whether any 学号 holds an (ASCII) letter: kept on the students' change counter
    (core.fingerprint), so a 学号 with a letter, however written, counts from the next request."""
    from campusgrid.core.fingerprint import check_inputs, kept_for

    def compute():
        lettered = Student.objects.alias(upper=Upper("student_no")).exclude(upper=Lower("student_no"))
        check_inputs("lettered-student-numbers", (Student,), [lettered])
        return lettered.exists()

    return kept_for("lettered-student-numbers", (), (Student,), compute)


class ResidenceQuerySet(ScopedQuerySet):
    def on(self, day):
        """The stays that include `day` (since <= day < until)."""
        return self.filter(Q(until__isnull=True) | Q(until__gt=day), since__lte=day)


class Residence(models.Model):
    """住宿记录: which bed a student held from `since` until the day before `until` (open: now).

    Written only by the database triggers of `people.residence` whenever a student's bed
    changes, by any path (a service, an import's bulk update, the admin, raw SQL); never by
    hand. Personal data: scoped as its student, erased by retention, shown nowhere unscoped."""

    student = models.ForeignKey(
        Student, verbose_name="学生", on_delete=models.CASCADE, related_name="residences"
    )
    bed = models.ForeignKey(
        "org.Bed", verbose_name="床位", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The bed's room at the time (a bed never changes room): what coverage as of a day reads.
    room = models.ForeignKey(
        "org.Room", verbose_name="寝室", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    since = models.DateField("入住日期", db_index=True)
    until = models.DateField("迁出日期", null=True, blank=True)

    objects = ResidenceQuerySet.as_manager()

    class Meta:
        verbose_name = "住宿记录"
        verbose_name_plural = "住宿记录"
        ordering = ["student", "since", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["student"], condition=Q(until__isnull=True), name="residence_one_open_per_student"
            ),
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gt=models.F("since")),
                name="residence_until_after_since",
            ),
        ]

    def __str__(self):
        return f"{self.student_id} {self.bed_id} {self.since}–{self.until or ''}"

    @classmethod
    def scope_q(cls, scope, action):
        return student_q(scope, "student__", action)


class PoliticalStatusChange(models.Model):
    """政治面貌变更: each change is dated; the latest is the student's status."""

    student = models.ForeignKey(
        Student, verbose_name="学生", on_delete=models.CASCADE, related_name="political_history"
    )
    status = models.CharField("政治面貌", max_length=16, choices=PoliticalStatus.choices)
    changed_on = models.DateField("日期")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="记录人", null=True, blank=True, on_delete=models.SET_NULL
    )
    note = models.CharField("备注", max_length=255, blank=True)

    class Meta:
        verbose_name = "政治面貌变更"
        verbose_name_plural = "政治面貌变更"
        ordering = ["student", "changed_on", "id"]

    def __str__(self):
        return f"{self.student.name} {self.changed_on} {self.get_status_display()}"


class StaffRole(models.TextChoices):
    COUNSELOR = "counselor", "辅导员"
    CLASS_TEACHER = "class_teacher", "班主任"
    LEADER = "leader", "学院领导"
    OFFICE = "office", "学工部"
    ORGANISER = "organiser", "组织员"  # the college committee's 组织员: sees all the college's party files

    @classmethod
    def from_label(cls, label: str) -> str | None:
        label = (label or "").strip()
        for value, text in cls.choices:
            if label in (text, value):
                return value
        return {
            "学生工作部": cls.OFFICE,
            "学生处": cls.OFFICE,
            "学校学工部": cls.OFFICE,
            "院领导": cls.LEADER,
        }.get(label)


class StaffQuerySet(ScopedQuerySet):
    pass


class Staff(VersionedModel):
    """教职工: counselors, class teachers, leaders, the university office."""

    staff_no = models.CharField("工号", max_length=32, unique=True)
    name = models.CharField("姓名", max_length=64)
    name_initials = models.CharField("拼音首字母", max_length=32, blank=True, editable=False)
    college = models.ForeignKey(
        "org.College",
        verbose_name="学院",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    roles = models.CharField("角色", max_length=100, blank=True, help_text="逗号分隔的角色代码")
    phone = models.CharField("手机号", max_length=20, blank=True)
    active = models.BooleanField("在职", default=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="登录账号",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="staff",
    )

    objects = StaffQuerySet.as_manager()

    class Meta:
        verbose_name = "教职工"
        verbose_name_plural = "教职工"
        ordering = ["staff_no"]

    def __str__(self):
        return f"{self.name}（{self.staff_no}）"

    @classmethod
    def scope_q(cls, scope, action):
        """The staff of the user's own college — their chain: counselors, class teachers,
        leaders — and the university office's (no college). Leaders, counselors and class
        teachers (levels 3–4) also see the departed ones (history, successions); everybody
        else only those in post. The university office sees all (`everything`)."""
        from campusgrid.org.models import SchoolClass

        colleges = []
        if scope.college_ids:
            colleges.append(Q(college_id__in=scope.college_ids))
        if scope.class_ids:
            classes = SchoolClass.objects.filter(id__in=scope.class_ids).values("college_id")
            colleges.append(Q(college_id__in=classes))
        if scope.staff_id:
            colleges.append(Q(college_id__in=Staff.objects.filter(pk=scope.staff_id).values("college_id")))
        if scope.self_student_id:
            own = Student.objects.filter(pk=scope.self_student_id).values("college_id")
            colleges.append(Q(college_id__in=own))
        if not colleges:
            return MATCH_NOTHING
        condition = Q(college__isnull=True)
        for part in colleges:
            condition |= part
        if scope.manage_college_ids or scope.manage_class_ids:
            return condition
        return condition & Q(active=True)

    @property
    def role_list(self) -> list[str]:
        return [r for r in self.roles.split(",") if r]

    @property
    def roles_display(self) -> str:
        labels = dict(StaffRole.choices)
        return "、".join(labels.get(r, r) for r in self.role_list)


class AccessLog(models.Model):
    """敏感信息访问日志 (PIPL): each view or export of a student's sensitive data.

    Append-only: the app never updates or deletes rows. Written by `people.sensitive.log_access`.
    """

    class Action(models.TextChoices):
        VIEW = "view", "查看"
        EXPORT = "export", "导出"
        API_READ = "api_read", "接口读取"

    at = models.DateTimeField("时间", default=clock.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="访问人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_name = models.CharField("访问人姓名", max_length=64, blank=True)
    action = models.CharField("方式", max_length=16, choices=Action.choices)
    item = models.CharField("数据项", max_length=32, db_index=True)
    student = models.ForeignKey(
        Student, verbose_name="学生", null=True, on_delete=models.PROTECT, related_name="+"
    )
    student_no = models.CharField("学号", max_length=32, blank=True, db_index=True)
    path = models.CharField("地址", max_length=255, blank=True)
    ip = models.GenericIPAddressField("IP", null=True, blank=True)
    purpose = models.CharField("用途", max_length=255, blank=True)

    class Meta:
        # Born in core (before core knew nothing of people): the table keeps its name.
        db_table = "core_accesslog"
        verbose_name = "敏感信息访问日志"
        verbose_name_plural = "敏感信息访问日志"
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.get_action_display()} {self.item} {self.student_no}"

    def save(self, *args, **kwargs):
        if self.pk:
            raise Conflict("访问日志不可修改。")
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise Conflict("访问日志不可删除。")
