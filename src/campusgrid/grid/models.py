"""The two grids (SPEC §3): posts with terms, party branches, small grids and
micro-grids, and explicit grants of access to sensitive data."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q

from campusgrid.core import clock
from campusgrid.core.models import choices_check, exactly_one, user_ref
from campusgrid.core.scoping import MATCH_NOTHING, ScopedQuerySet, _or, room_q
from campusgrid.people.models import person_keys


class PostKind(models.TextChoices):
    DORM_HEAD = "dorm_head", "舍长"
    MONITOR = "monitor", "班长"
    LEAGUE_SECRETARY = "league_secretary", "团支书"
    COUNSELOR = "counselor", "辅导员"
    CLASS_TEACHER = "class_teacher", "班主任"
    LEADER = "leader", "学院领导"
    OFFICE = "office", "学校学工部"
    BRANCH_SECRETARY = "branch_secretary", "支部书记"
    SMALL_GRID_LEADER = "small_grid_leader", "网格党员"
    ACTIVIST = "activist", "微网格负责人（入党积极分子）"


# Which place each kind of post sits on, who may hold it, its grid level, and
# whether the place has a single holder at a time (a successor ends the term).
POST_RULES = {
    PostKind.DORM_HEAD: {"place": "room", "holder": "student", "level": 1, "single": True},
    PostKind.MONITOR: {"place": "school_class", "holder": "student", "level": 2, "single": True},
    PostKind.LEAGUE_SECRETARY: {"place": "school_class", "holder": "student", "level": 2, "single": True},
    PostKind.COUNSELOR: {"place": "school_class", "holder": "staff", "level": 3, "single": True},
    PostKind.CLASS_TEACHER: {"place": "school_class", "holder": "staff", "level": 3, "single": True},
    PostKind.LEADER: {"place": "college", "holder": "staff", "level": 4, "single": False},
    PostKind.OFFICE: {"place": None, "holder": "staff", "level": 5, "single": False},
    PostKind.BRANCH_SECRETARY: {"place": "branch", "holder": "any", "level": None, "single": True},
    PostKind.SMALL_GRID_LEADER: {"place": "small_grid", "holder": "student", "level": None, "single": True},
    PostKind.ACTIVIST: {"place": "room", "holder": "student", "level": None, "single": True},
}
MANAGEMENT_KINDS = [k for k, r in POST_RULES.items() if r["level"]]
PARTY_KINDS = [PostKind.BRANCH_SECRETARY, PostKind.SMALL_GRID_LEADER, PostKind.ACTIVIST]
STUDENT_KINDS = [k for k, r in POST_RULES.items() if r["holder"] == "student"]
CADRE_KINDS = [PostKind.DORM_HEAD, PostKind.MONITOR, PostKind.LEAGUE_SECRETARY]


class PartyBranch(models.Model):
    """党支部 (大网格), led by its secretary; its area is a set of rooms."""

    class Kind(models.TextChoices):
        STUDENT = "student", "学生党支部"
        STAFF = "staff", "教工党支部"

    college = models.ForeignKey(
        "org.College", verbose_name="学院", on_delete=models.PROTECT, related_name="branches"
    )
    name = models.CharField("支部名称", max_length=100, unique=True)
    kind = models.CharField("类型", max_length=16, choices=Kind.choices, default=Kind.STUDENT)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "党支部"
        verbose_name_plural = "党支部"
        ordering = ["college", "name"]

    def __str__(self):
        return self.name

    @classmethod
    def scope_q(cls, scope, action):
        """A branch is seen by its college (leaders; changed by them only) and by those
        who reach one of its rooms: its secretary, small-grid leaders, activists, the
        dorm heads and counselors of the students living there."""
        return _party_area_q(scope, action, college="college_id", rooms="rooms__room_id")


class SmallGrid(models.Model):
    """功能小网格: several rooms of a branch, led by one student party member."""

    branch = models.ForeignKey(
        PartyBranch, verbose_name="党支部", on_delete=models.CASCADE, related_name="small_grids"
    )
    name = models.CharField("小网格名称", max_length=100)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "党建小网格"
        verbose_name_plural = "党建小网格"
        ordering = ["branch", "name"]
        constraints = [models.UniqueConstraint(fields=["branch", "name"], name="small_grid_unique_name")]

    def __str__(self):
        return f"{self.branch.name}·{self.name}"

    @classmethod
    def scope_q(cls, scope, action):
        """As its branch: its college, and whoever reaches one of its rooms."""
        return _party_area_q(scope, action, college="branch__college_id", rooms="rooms__room_id")


def _party_area_q(scope, action, *, college: str, rooms: str) -> Q:
    colleges = scope.college_ids if action == "view" else scope.manage_college_ids
    parts = [Q(**{f"{college}__in": colleges})] if colleges else []
    if action == "view":
        parts.append(Q(**{f"{rooms}__in": _rooms(scope, action)}))
    return _or(parts)


class PartyRoom(models.Model):
    """A room in a branch's area (微网格 when an activist leads it) and its small grid."""

    room = models.OneToOneField(
        "org.Room", verbose_name="寝室", on_delete=models.CASCADE, related_name="party_room"
    )
    branch = models.ForeignKey(
        PartyBranch, verbose_name="党支部", on_delete=models.CASCADE, related_name="rooms"
    )
    small_grid = models.ForeignKey(
        SmallGrid,
        verbose_name="小网格",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="rooms",
    )

    class Meta:
        verbose_name = "党建网格寝室"
        verbose_name_plural = "党建网格寝室"

    def __str__(self):
        return f"{self.branch.name} {self.room}"


class PostQuerySet(ScopedQuerySet):
    def current(self, on=None):
        on = on or clock.today()
        return self.filter(Q(end_date__isnull=True) | Q(end_date__gt=on), start_date__lte=on)

    def held_by(self, user):
        conditions = Q()
        student = getattr(user, "student", None)
        staff = getattr(user, "staff", None)
        if student is None and staff is None:
            return self.none()
        if student is not None:
            conditions |= Q(student=student)
        if staff is not None:
            conditions |= Q(staff=staff)
        return self.filter(conditions)


class Post(models.Model):
    """网格员任职: who holds which grid post, where, and for which term."""

    kind = models.CharField("职务", max_length=24, choices=PostKind.choices)
    student, staff = person_keys(on_delete=models.PROTECT, related_name="posts")
    room = models.ForeignKey(
        "org.Room", verbose_name="寝室", null=True, blank=True, on_delete=models.PROTECT, related_name="posts"
    )
    school_class = models.ForeignKey(
        "org.SchoolClass",
        verbose_name="班级",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="posts",
    )
    college = models.ForeignKey(
        "org.College",
        verbose_name="学院",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="posts",
    )
    branch = models.ForeignKey(
        PartyBranch,
        verbose_name="党支部",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="posts",
    )
    small_grid = models.ForeignKey(
        SmallGrid,
        verbose_name="小网格",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="posts",
    )
    start_date = models.DateField("任职开始")
    end_date = models.DateField("任职结束", null=True, blank=True)
    end_reason = models.CharField("离任原因", max_length=100, blank=True)
    appointed_by = user_ref("任命人", blank=True)
    created_at = models.DateTimeField("记录时间", default=clock.now, editable=False)

    objects = PostQuerySet.as_manager()

    class Meta:
        verbose_name = "网格职务"
        verbose_name_plural = "网格职务"
        ordering = ["kind", "-start_date"]
        constraints = [
            choices_check("kind", PostKind, "post_kind_valid"),
            exactly_one("student", "staff", "post_has_one_holder"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="post_end_after_start",
            ),
            # One open term per single-holder place: two simultaneous appointments cannot both win.
            models.UniqueConstraint(
                fields=["kind", "room"],
                condition=Q(end_date__isnull=True, room__isnull=False),
                name="post_one_open_per_room",
            ),
            models.UniqueConstraint(
                fields=["kind", "school_class"],
                condition=Q(end_date__isnull=True, school_class__isnull=False),
                name="post_one_open_per_class",
            ),
            models.UniqueConstraint(
                fields=["kind", "branch"],
                condition=Q(end_date__isnull=True, branch__isnull=False),
                name="post_one_open_per_branch",
            ),
            models.UniqueConstraint(
                fields=["kind", "small_grid"],
                condition=Q(end_date__isnull=True, small_grid__isnull=False),
                name="post_one_open_per_small_grid",
            ),
        ]
        indexes = [
            models.Index(fields=["student", "end_date"]),
            models.Index(fields=["staff", "end_date"]),
            models.Index(fields=["kind", "end_date"]),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.place_label} {self.holder_name}"

    @classmethod
    def scope_q(cls, scope, action):
        # A post is visible where its place is: the room, the class, the college.
        if scope.is_empty:
            return MATCH_NOTHING
        parts = [Q(room__in=_rooms(scope, action)), Q(school_class__in=_classes(scope, action))]
        colleges = scope.college_ids if action == "view" else scope.manage_college_ids
        if colleges:
            parts += [
                Q(college_id__in=colleges),
                Q(branch__college_id__in=colleges),
                Q(small_grid__branch__college_id__in=colleges),
            ]
        if action == "view" and scope.party_room_ids:
            parts.append(Q(small_grid__rooms__room_id__in=scope.party_room_ids))
            parts.append(Q(branch__rooms__room_id__in=scope.party_room_ids))
        result = parts[0]
        for part in parts[1:]:
            result |= part
        return result

    scope_distinct = True

    @property
    def rule(self) -> dict:
        return POST_RULES[self.kind]

    @property
    def level(self) -> int | None:
        return self.rule["level"]

    @property
    def holder(self):
        return self.student or self.staff

    @property
    def holder_name(self) -> str:
        holder = self.holder
        return holder.name if holder else ""

    @property
    def place(self):
        place = self.rule["place"]
        return getattr(self, place) if place else None

    @property
    def place_label(self) -> str:
        place = self.place
        if place is None:
            return "全校"
        return getattr(place, "label", None) or str(place)

    def is_current(self, on=None) -> bool:
        on = on or clock.today()
        return self.start_date <= on and (self.end_date is None or self.end_date > on)

    def term_window(self, semester) -> tuple[dt.date, dt.date] | None:
        """The days of the semester the post was held, up to today: (first, last) or None. A
        post ending on a day is no longer held that day (unless it began and ended the same
        day). The appraisal's figures and every registered semester metric judge by it."""
        first = max(self.start_date, semester.start)
        last = min(semester.end, clock.today())
        if self.end_date is not None:
            last = min(
                last,
                self.end_date - dt.timedelta(days=1) if self.end_date > self.start_date else self.end_date,
            )
        return (first, last) if first <= last else None


def term_windows(posts, semester) -> tuple[dict, dt.date | None, dt.date | None]:
    """Each post's `term_window` by post id, and the first and last day of them all (None, None
    when no post was held in the semester): what a metric computing all posts at once reads."""
    windows = {p.pk: p.term_window(semester) for p in posts}
    present = [w for w in windows.values() if w]
    if not present:
        return windows, None, None
    return windows, min(w[0] for w in present), max(w[1] for w in present)


def _rooms(scope, action):
    from campusgrid.org.models import Room

    return Room.objects.filter(room_q(scope, "", action)).values("id")


def _classes(scope, action):
    from campusgrid.org.models import SchoolClass

    return SchoolClass.objects.filter(SchoolClass.scope_q(scope, action)).values("id")


class AccessGrant(models.Model):
    """敏感信息授权: explicit, time-limited access to one student's sensitive data."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="被授权人", on_delete=models.CASCADE, related_name="+"
    )
    student = models.ForeignKey(
        "people.Student", verbose_name="学生", on_delete=models.CASCADE, related_name="+"
    )
    until = models.DateField("截止日期")
    reason = models.CharField("事由", max_length=255)
    granted_by = user_ref("授权人")
    granted_at = models.DateTimeField("授权时间", default=clock.now)

    class Meta:
        verbose_name = "敏感信息授权"
        verbose_name_plural = "敏感信息授权"
        ordering = ["-granted_at"]

    def __str__(self):
        return f"{self.user} → {self.student}（至{self.until}）"
