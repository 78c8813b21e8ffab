"""发展党员: one development file per person in a branch, a dated record of each step
(《中国共产党发展党员工作细则》), the materials, the 支部党员大会's votes and the warnings
already sent. The stage is derived from the steps by the one service (never typed)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from campusgrid.core import clock
from campusgrid.core.badges import badge_colours
from campusgrid.core.models import VersionedModel, choices_check, exactly_one, user_ref
from campusgrid.core.scoping import MATCH_NOTHING, ScopedQuerySet, _or
from campusgrid.people.models import person_keys

ORGANISER_ROLE = "organiser"  # people.StaffRole.ORGANISER (组织员)


@badge_colours(
    applicant="secondary", activist="info", candidate="primary", probationary="warning", full="success"
)
class Stage(models.TextChoices):
    APPLICANT = "applicant", "入党申请人"
    ACTIVIST = "activist", "入党积极分子"
    CANDIDATE = "candidate", "发展对象"
    PROBATIONARY = "probationary", "中共预备党员"
    FULL = "full", "中共党员"


class RuleVersion(models.TextChoices):
    V2014 = "2014", "2014年《细则》"
    V2026 = "2026", "2026年修订《细则》"


class StepCode(models.TextChoices):
    APPLICATION = "application", "递交入党申请书"
    TALK = "talk", "谈话"
    ACTIVIST = "activist", "确定入党积极分子"
    MENTORS = "mentors", "指定培养联系人"
    REVIEW = "review", "培养考察（每半年）"
    REPORT = "report", "思想汇报"
    PUBLICITY = "publicity", "发展对象公示"
    CANDIDATE = "candidate", "确定发展对象"
    SPONSORS = "sponsors", "确定入党介绍人"
    POLITICAL_REVIEW = "political_review", "政治审查"
    TRAINING = "training", "集中培训"
    PRE_REVIEW = "pre_review", "基层党委预审"
    MEETING = "meeting", "支部党员大会（接收预备党员）"
    PROBATIONARY = "probationary", "党委审批（预备党员）"
    OATH = "oath", "入党宣誓"
    EXTEND_PROBATION = "extend_probation", "延长预备期"
    FULL_APPLICATION = "full_application", "转正申请"
    FULL_MEETING = "full_meeting", "支部党员大会（转正）"
    FULL = "full", "党委审批（转为正式党员）"
    CLOSE = "close", "终止培养"


REPEATABLE_STEPS = [StepCode.REVIEW, StepCode.REPORT, StepCode.TRAINING, StepCode.MENTORS]


def _held_posts(scope, kind: str, column: str):
    """The user's current posts of `kind` (a subquery: no extra query per request)."""
    from campusgrid.grid.models import Post

    return (
        Post.objects.current()
        .filter(Q(student__user_id=scope.user_id) | Q(staff__user_id=scope.user_id), kind=kind)
        .values(column)
    )


def organiser_colleges(scope):
    """The colleges where the user is 组织员 (a staff role), as a subquery."""
    from campusgrid.people.models import Staff

    return Staff.objects.filter(user_id=scope.user_id, active=True, roles__contains=ORGANISER_ROLE).values(
        "college_id"
    )


def _branch_and_college(scope, action, college: str) -> list[Q]:
    """Who reaches a branch's records: its secretary, the 组织员 of its college, and the
    scope's colleges (to change, the colleges it manages); `college` is the record's path
    to its college id."""
    from campusgrid.grid.models import PostKind

    colleges = scope.college_ids if action == "view" else scope.manage_college_ids
    parts = [
        Q(branch_id__in=_held_posts(scope, PostKind.BRANCH_SECRETARY, "branch_id")),
        Q(**{f"{college}__in": organiser_colleges(scope)}),
    ]
    if colleges:
        parts.append(Q(**{f"{college}__in": colleges}))
    return parts


class DevelopmentFileQuerySet(ScopedQuerySet):
    def open(self):
        return self.filter(closed_on__isnull=True)


class DevelopmentFile(VersionedModel):
    """发展党员档案: one person's development in a branch, step by step."""

    student, staff = person_keys(on_delete=models.PROTECT, related_name="party_file", one_to_one=True)
    branch = models.ForeignKey(
        "grid.PartyBranch", verbose_name="党支部", on_delete=models.PROTECT, related_name="development_files"
    )
    college = models.ForeignKey(
        "org.College", verbose_name="学院", on_delete=models.PROTECT, related_name="+"
    )
    rule_version = models.CharField("适用细则", max_length=8, choices=RuleVersion.choices)
    stage = models.CharField(
        "阶段", max_length=16, choices=Stage.choices, default=Stage.APPLICANT, editable=False
    )
    applied_on = models.DateField("递交申请日期")
    status_before = models.CharField("申请前政治面貌", max_length=16, blank=True)
    closed_on = models.DateField("终止日期", null=True, blank=True)
    closed_reason = models.CharField("终止原因", max_length=255, blank=True)
    opened_by = user_ref("建档人")
    created_at = models.DateTimeField("建档时间", default=clock.now, editable=False)

    objects = DevelopmentFileQuerySet.as_manager()

    class Meta:
        verbose_name = "发展党员档案"
        verbose_name_plural = "发展党员档案"
        ordering = ["branch", "applied_on", "id"]
        constraints = [
            choices_check("stage", Stage, "party_file_stage_valid"),
            choices_check("rule_version", RuleVersion, "party_file_rule_version_valid"),
            exactly_one("student", "staff", "party_file_one_person"),
        ]
        indexes = [models.Index(fields=["branch", "stage"]), models.Index(fields=["college", "stage"])]

    def __str__(self):
        return f"{self.person_name} 发展党员档案"

    @property
    def person(self):
        return self.student or self.staff

    @property
    def person_name(self) -> str:
        person = self.person
        return person.name if person else ""

    @property
    def number(self) -> str:
        return self.student.student_no if self.student_id else self.staff.staff_no

    @classmethod
    def scope_q(cls, scope, action):
        """Seen by: the branch's secretary; a small-grid member their grid's people; an
        activist the applicants of their room; counselors and class teachers their classes;
        leaders and the 组织员 their college; the person themselves. Changed by the
        secretary, the 组织员 and the college's leaders."""
        if scope.user_id is None:
            return MATCH_NOTHING
        from campusgrid.grid.models import PostKind

        parts = _branch_and_college(scope, action, "college_id")
        if action == "view":
            if scope.manage_class_ids:
                parts.append(Q(student__school_class_id__in=scope.manage_class_ids))
            if scope.party_room_ids:
                parts.append(
                    Q(
                        student__bed__room__party_room__small_grid_id__in=_held_posts(
                            scope, PostKind.SMALL_GRID_LEADER, "small_grid_id"
                        )
                    )
                )
                parts.append(
                    Q(
                        stage=Stage.APPLICANT,
                        student__bed__room_id__in=_held_posts(scope, PostKind.ACTIVIST, "room_id"),
                    )
                )
            if scope.self_student_id:
                parts.append(Q(student_id=scope.self_student_id))
        return _or(parts)

    scope_distinct = False


class Step(models.Model):
    """发展党员步骤: one dated step of a file (what it needs is in `data`, checked by the rules)."""

    file = models.ForeignKey(
        DevelopmentFile, verbose_name="档案", on_delete=models.CASCADE, related_name="steps"
    )
    code = models.CharField("步骤", max_length=24, choices=StepCode.choices)
    on = models.DateField("日期")
    data = models.JSONField("详情", default=dict, blank=True)
    note = models.TextField("说明", blank=True)
    recorded_by = user_ref("记录人")
    recorded_at = models.DateTimeField("记录时间", default=clock.now)

    class Meta:
        verbose_name = "发展党员步骤"
        verbose_name_plural = "发展党员步骤"
        ordering = ["file", "on", "id"]
        constraints = [
            choices_check("code", StepCode, "party_step_code_valid"),
            # A step done once cannot be recorded twice (two secretaries at once: one wins).
            models.UniqueConstraint(
                fields=["file", "code"],
                condition=~Q(code__in=REPEATABLE_STEPS),
                name="party_step_once",
            ),
        ]

    def __str__(self):
        return f"{self.get_code_display()} {self.on}"


class MentorRole(models.TextChoices):
    MENTOR = "mentor", "培养联系人"
    SPONSOR = "sponsor", "入党介绍人"


class Mentor(models.Model):
    """培养联系人 / 入党介绍人: a full member named on a file (student or staff)."""

    Role = MentorRole

    file = models.ForeignKey(
        DevelopmentFile, verbose_name="档案", on_delete=models.CASCADE, related_name="mentors"
    )
    role = models.CharField("角色", max_length=16, choices=MentorRole.choices)
    student, staff = person_keys(on_delete=models.PROTECT, labels=("学生党员", "教工党员"))
    start = models.DateField("起始日期")
    end = models.DateField("结束日期", null=True, blank=True)

    class Meta:
        verbose_name = "培养联系人/入党介绍人"
        verbose_name_plural = "培养联系人/入党介绍人"
        ordering = ["file", "role", "start", "id"]
        constraints = [
            choices_check("role", MentorRole, "party_mentor_role_valid"),
            exactly_one("student", "staff", "party_mentor_one_person"),
        ]

    def __str__(self):
        return f"{self.get_role_display()} {self.person.name}"

    @property
    def person(self):
        return self.student or self.staff


class DisciplineKind(models.TextChoices):
    WARNING = "warning", "警告"
    SERIOUS_WARNING = "serious_warning", "严重警告"
    REMOVAL = "removal", "撤销党内职务"
    PROBATION = "probation", "留党察看"


class MemberDiscipline(models.Model):
    """党纪处分: a member's 警告/严重警告/撤销党内职务/留党察看 period (sponsors are checked against it)."""

    Kind = DisciplineKind

    student, staff = person_keys(on_delete=models.CASCADE, labels=("学生党员", "教工党员"))
    kind = models.CharField("处分", max_length=16, choices=DisciplineKind.choices)
    start = models.DateField("起始日期")
    end = models.DateField("期满日期", null=True, blank=True)

    class Meta:
        verbose_name = "党纪处分"
        verbose_name_plural = "党纪处分"
        constraints = [
            choices_check("kind", DisciplineKind, "party_discipline_kind_valid"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.start}"


class MaterialKind(models.TextChoices):
    APPLICATION = "application", "入党申请书"
    TALK = "talk", "谈话记录"
    REGISTER = "register", "入党积极分子培养考察登记表"
    REPORT = "report", "思想汇报"
    PUBLICITY = "publicity", "公示材料"
    POLITICAL = "political", "政审材料"
    TRAINING = "training", "培训证明"
    VOLUNTEER = "volunteer", "入党志愿书"
    RESOLUTION = "resolution", "支部大会决议"
    APPROVAL = "approval", "审批材料"
    OATH = "oath", "宣誓记录"
    FULL_APPLICATION = "full_application", "转正申请书"
    OTHER = "other", "其他"


SENSITIVE_MATERIALS = [MaterialKind.POLITICAL]


def _material_path(instance, filename):
    import uuid

    now = clock.now()
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"party/{now:%Y/%m}/{uuid.uuid4().hex}.{suffix}"


class Material(models.Model):
    """发展材料: an uploaded document of a file, in the data folder, served by a scoped view only."""

    file = models.ForeignKey(
        DevelopmentFile, verbose_name="档案", on_delete=models.CASCADE, related_name="materials"
    )
    kind = models.CharField("材料", max_length=24, choices=MaterialKind.choices)
    upload = models.FileField("文件", upload_to=_material_path)
    name = models.CharField("文件名", max_length=200)
    content_type = models.CharField("类型", max_length=100)
    size = models.PositiveIntegerField("大小")
    uploaded_by = user_ref("上传人")
    uploaded_at = models.DateTimeField("上传时间", default=clock.now)

    class Meta:
        verbose_name = "发展材料"
        verbose_name_plural = "发展材料"
        ordering = ["file", "uploaded_at", "id"]
        constraints = [
            choices_check("kind", MaterialKind, "party_material_kind_valid"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.name}"


class MeetingPurpose(models.TextChoices):
    ADMISSION = "admission", "接收预备党员"
    FULL = "full", "预备党员转正"


@badge_colours(scheduled="warning", held="success")
class MeetingState(models.TextChoices):
    SCHEDULED = "scheduled", "已安排"
    HELD = "held", "已召开"


class BranchMeetingQuerySet(ScopedQuerySet):
    pass


class BranchMeeting(models.Model):
    """支部党员大会 (admission or 转正): scheduled, then held with its tallies."""

    branch = models.ForeignKey(
        "grid.PartyBranch", verbose_name="党支部", on_delete=models.PROTECT, related_name="party_meetings"
    )
    purpose = models.CharField("议题", max_length=16, choices=MeetingPurpose.choices)
    state = models.CharField(
        "状态", max_length=16, choices=MeetingState.choices, default=MeetingState.SCHEDULED
    )
    scheduled_for = models.DateField("计划日期")
    held_on = models.DateField("召开日期", null=True, blank=True)
    members_due = models.PositiveIntegerField("应到有表决权党员", null=True, blank=True)
    present = models.PositiveIntegerField("实到有表决权党员", null=True, blank=True)
    written_opinions = models.PositiveIntegerField("缺席党员书面意见", null=True, blank=True)
    ballots_issued = models.PositiveIntegerField("发出选票", null=True, blank=True)
    ballots_returned = models.PositiveIntegerField("收回选票", null=True, blank=True)
    # Attendance is a session of the one attendance mechanism (service.Session, kind party_meeting).
    session = models.OneToOneField(
        "service.Session",
        verbose_name="考勤",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="party_meeting",
    )
    created_by = user_ref("安排人")
    created_at = models.DateTimeField("安排时间", default=clock.now)

    objects = BranchMeetingQuerySet.as_manager()

    class Meta:
        verbose_name = "支部党员大会"
        verbose_name_plural = "支部党员大会"
        ordering = ["-scheduled_for", "-id"]
        constraints = [
            choices_check("purpose", MeetingPurpose, "party_meeting_purpose_valid"),
            choices_check("state", MeetingState, "party_meeting_state_valid"),
        ]

    def __str__(self):
        return f"{self.branch.name} {self.scheduled_for} {self.get_purpose_display()}"

    @classmethod
    def scope_q(cls, scope, action):
        if scope.user_id is None:
            return MATCH_NOTHING
        return _or(_branch_and_college(scope, action, "branch__college_id"))


class MeetingVote(models.Model):
    """One candidate's vote at a 支部党员大会 (one candidate at a time), with the resolution."""

    meeting = models.ForeignKey(
        BranchMeeting, verbose_name="大会", on_delete=models.CASCADE, related_name="votes"
    )
    file = models.ForeignKey(
        DevelopmentFile, verbose_name="档案", on_delete=models.PROTECT, related_name="meeting_votes"
    )
    yes = models.PositiveIntegerField("赞成", null=True, blank=True)
    no = models.PositiveIntegerField("反对", null=True, blank=True)
    abstain = models.PositiveIntegerField("弃权", null=True, blank=True)
    passed = models.BooleanField("通过", null=True)
    resolution = models.TextField("决议", blank=True)

    class Meta:
        verbose_name = "大会表决"
        verbose_name_plural = "大会表决"
        ordering = ["meeting", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "file"], name="party_vote_once_per_meeting"),
        ]

    def __str__(self):
        return f"{self.meeting} #{self.file_id}"


class WarningSent(models.Model):
    """A warning already raised for a file (by `tick`): each fires once, by (file, code, key)."""

    file = models.ForeignKey(DevelopmentFile, verbose_name="档案", on_delete=models.CASCADE, related_name="+")
    code = models.CharField("预警", max_length=32)
    key = models.CharField("依据", max_length=64, blank=True)
    raised_at = models.DateTimeField("提醒时间", default=clock.now)

    class Meta:
        verbose_name = "发展党员预警记录"
        verbose_name_plural = "发展党员预警记录"
        constraints = [
            models.UniqueConstraint(fields=["file", "code", "key"], name="party_warning_once"),
        ]

    def __str__(self):
        return f"{self.code} {self.key}"
