"""Organisation (university → college → grade → major → class) and housing
(building → floor → room → bed), semesters and holidays (SPEC §2)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from campusgrid.core.scoping import ScopedQuerySet, class_q, college_q, room_q


class University(models.Model):
    """学校"""

    name = models.CharField("名称", max_length=100, unique=True)

    class Meta:
        verbose_name = "学校"
        verbose_name_plural = "学校"

    def __str__(self):
        return self.name


class CollegeQuerySet(ScopedQuerySet):
    pass


class College(models.Model):
    """学院 (院系): the unit a leadership team answers for."""

    university = models.ForeignKey(
        University, verbose_name="学校", on_delete=models.PROTECT, related_name="colleges"
    )
    name = models.CharField("名称", max_length=100, unique=True)
    code = models.CharField("代码", max_length=20, blank=True)

    objects = CollegeQuerySet.as_manager()

    class Meta:
        verbose_name = "学院"
        verbose_name_plural = "学院"
        ordering = ["name"]

    def __str__(self):
        return self.name

    @classmethod
    def scope_q(cls, scope, action):
        return college_q(scope, "", action)


class Grade(models.Model):
    """年级, e.g. 2024级."""

    college = models.ForeignKey(College, verbose_name="学院", on_delete=models.PROTECT, related_name="grades")
    year = models.PositiveSmallIntegerField("入学年份")

    class Meta:
        verbose_name = "年级"
        verbose_name_plural = "年级"
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["college", "year"], name="grade_unique_per_college")]

    def __str__(self):
        return f"{self.year}级"

    @property
    def name(self):
        return f"{self.year}级"


class Major(models.Model):
    """专业"""

    college = models.ForeignKey(College, verbose_name="学院", on_delete=models.PROTECT, related_name="majors")
    name = models.CharField("名称", max_length=100)

    class Meta:
        verbose_name = "专业"
        verbose_name_plural = "专业"
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["college", "name"], name="major_unique_per_college")]

    def __str__(self):
        return self.name


class SchoolClassQuerySet(ScopedQuerySet):
    pass


class SchoolClass(models.Model):
    """班级: named as in the roster (e.g. 化工2401), unique within the university."""

    name = models.CharField("班级", max_length=64, unique=True)
    college = models.ForeignKey(
        College, verbose_name="学院", on_delete=models.PROTECT, related_name="classes"
    )
    major = models.ForeignKey(Major, verbose_name="专业", on_delete=models.PROTECT, related_name="classes")
    grade = models.ForeignKey(Grade, verbose_name="年级", on_delete=models.PROTECT, related_name="classes")

    objects = SchoolClassQuerySet.as_manager()

    class Meta:
        verbose_name = "班级"
        verbose_name_plural = "班级"
        ordering = ["name"]

    def __str__(self):
        return self.name

    @classmethod
    def scope_q(cls, scope, action):
        return class_q(scope, "", action)

    def clean(self):
        if self.major_id and self.college_id and self.major.college_id != self.college_id:
            raise ValidationError({"major": "专业不属于该学院"})
        if self.grade_id and self.college_id and self.grade.college_id != self.college_id:
            raise ValidationError({"grade": "年级不属于该学院"})


class Building(models.Model):
    """楼栋 (宿舍楼、公寓楼)"""

    class Gender(models.TextChoices):
        MALE = "男", "男生楼"
        FEMALE = "女", "女生楼"
        MIXED = "", "不限"

    name = models.CharField("楼栋", max_length=64, unique=True)
    gender = models.CharField("性别", max_length=2, choices=Gender.choices, blank=True)

    class Meta:
        verbose_name = "楼栋"
        verbose_name_plural = "楼栋"
        ordering = ["name"]

    def __str__(self):
        return self.name


class Floor(models.Model):
    """楼层"""

    building = models.ForeignKey(
        Building, verbose_name="楼栋", on_delete=models.PROTECT, related_name="floors"
    )
    number = models.SmallIntegerField("楼层")

    class Meta:
        verbose_name = "楼层"
        verbose_name_plural = "楼层"
        ordering = ["building__name", "number"]
        constraints = [
            models.UniqueConstraint(fields=["building", "number"], name="floor_unique_per_building")
        ]

    def __str__(self):
        return f"{self.building.name}{self.number}层"


def room_label_q(label: str, path: str = "") -> Q:
    """The room named as `楼栋/寝室号` (SPEC §14), reached through `path` ("room",
    "night_check__room"; "" for rooms themselves); spaces around either part are ignored."""
    building, _, number = (label or "").partition("/")
    prefix = f"{path}__" if path else ""
    return Q(**{f"{prefix}building__name": building.strip(), f"{prefix}number": number.strip()})


class RoomQuerySet(ScopedQuerySet):
    def by_label(self, label: str):
        """A room named as `楼栋/寝室号` (SPEC §14)."""
        return self.filter(room_label_q(label))


class Room(models.Model):
    """寝室: the level-1 grid; named `楼栋/寝室号` in the CLI and the API."""

    building = models.ForeignKey(
        Building, verbose_name="楼栋", on_delete=models.PROTECT, related_name="rooms"
    )
    floor = models.ForeignKey(Floor, verbose_name="楼层", on_delete=models.PROTECT, related_name="rooms")
    number = models.CharField("寝室号", max_length=16)
    capacity = models.PositiveSmallIntegerField("床位数", default=4)

    objects = RoomQuerySet.as_manager()

    class Meta:
        verbose_name = "寝室"
        verbose_name_plural = "寝室"
        ordering = ["building__name", "number"]
        constraints = [
            models.UniqueConstraint(fields=["building", "number"], name="room_unique_per_building"),
            models.CheckConstraint(
                condition=Q(capacity__gte=1) & Q(capacity__lte=12), name="room_capacity_range"
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return f"{self.building.name}/{self.number}"

    @classmethod
    def scope_q(cls, scope, action):
        return room_q(scope, "", action)

    def clean(self):
        if self.floor_id and self.building_id and self.floor.building_id != self.building_id:
            raise ValidationError({"floor": "楼层不属于该楼栋"})


class Bed(models.Model):
    """床位: a student has at most one; a room has at most `capacity`."""

    room = models.ForeignKey(Room, verbose_name="寝室", on_delete=models.PROTECT, related_name="beds")
    number = models.PositiveSmallIntegerField("床号")

    class Meta:
        verbose_name = "床位"
        verbose_name_plural = "床位"
        ordering = ["room", "number"]
        constraints = [models.UniqueConstraint(fields=["room", "number"], name="bed_unique_per_room")]

    def __str__(self):
        return f"{self.room.label} {self.number}号床"

    def clean(self):
        if self.room_id and self.number and self.number > self.room.capacity:
            raise ValidationError({"number": f"床号超出寝室床位数（{self.room.capacity}）"})


class Semester(models.Model):
    """学期, with its holidays; many records belong to one."""

    name = models.CharField("学期", max_length=64, unique=True)
    start = models.DateField("开始日期")
    end = models.DateField("结束日期")

    class Meta:
        verbose_name = "学期"
        verbose_name_plural = "学期"
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="semester_end_after_start")
        ]

    def __str__(self):
        return self.name

    @classmethod
    def current(cls, on=None):
        from campusgrid.core import clock

        on = on or clock.today()
        return (
            cls.objects.filter(start__lte=on, end__gte=on).first()
            or cls.objects.filter(start__lte=on).first()
        )


class Holiday(models.Model):
    """节假日: students register departure and return around it."""

    semester = models.ForeignKey(
        Semester, verbose_name="学期", on_delete=models.CASCADE, related_name="holidays"
    )
    name = models.CharField("名称", max_length=64)
    start = models.DateField("开始日期")
    end = models.DateField("结束日期")

    class Meta:
        verbose_name = "节假日"
        verbose_name_plural = "节假日"
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")), name="holiday_end_not_before_start"
            )
        ]

    def __str__(self):
        return f"{self.semester.name} {self.name}"
