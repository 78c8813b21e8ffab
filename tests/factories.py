"""factory_boy factories that keep related objects consistent (a student's bed is
in a room of a building; a class's major and grade are of its college)."""

import datetime as dt

import factory
from django.contrib.auth import get_user_model

from campusgrid.core.crypto import digest
from campusgrid.grid.models import PartyBranch, PartyRoom, Post, SmallGrid
from campusgrid.org.models import Bed, Building, College, Floor, Grade, Major, Room, SchoolClass, University
from campusgrid.people.models import PoliticalStatus, Staff, Student
from campusgrid.people.services import name_initials

PASSWORD = "pass-word-123"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password(PASSWORD)


class UniversityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = University
        django_get_or_create = ("name",)

    name = "测试大学"


class CollegeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = College

    university = factory.SubFactory(UniversityFactory)
    name = factory.Sequence(lambda n: f"第{n}学院")


class GradeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Grade
        django_get_or_create = ("college", "year")

    college = factory.SubFactory(CollegeFactory)
    year = 2024


class MajorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Major
        django_get_or_create = ("college", "name")

    college = factory.SubFactory(CollegeFactory)
    name = "化学工程与工艺"


class SchoolClassFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SchoolClass

    name = factory.Sequence(lambda n: f"测试{2400 + n}")
    college = factory.SubFactory(CollegeFactory)
    major = factory.LazyAttribute(lambda o: MajorFactory(college=o.college))
    grade = factory.LazyAttribute(lambda o: GradeFactory(college=o.college))


class BuildingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Building
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"测试楼{n}栋")


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Room

    building = factory.SubFactory(BuildingFactory)
    number = factory.Sequence(lambda n: f"{3}{n % 100:02d}" if n < 100 else f"{n}")
    floor = factory.LazyAttribute(lambda o: Floor.objects.get_or_create(building=o.building, number=3)[0])
    capacity = 4


def bed_in(room: Room) -> Bed:
    """The first bed of `room` with nobody in it (created if needed)."""
    used = set(Student.objects.filter(bed__room=room).values_list("bed__number", flat=True))
    number = next(n for n in range(1, room.capacity + 1) if n not in used)
    return Bed.objects.get_or_create(room=room, number=number)[0]


class StudentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Student

    class Params:
        room = None

    student_no = factory.Sequence(lambda n: f"2024{n:06d}")
    name = factory.Sequence(lambda n: "张三李四王五赵六钱七孙八周九吴十郑十一"[n % 10] + "同学" + str(n))
    name_initials = factory.LazyAttribute(lambda o: name_initials(o.name))
    gender = "男"
    school_class = factory.SubFactory(SchoolClassFactory)
    college = factory.LazyAttribute(lambda o: o.school_class.college if o.school_class else CollegeFactory())
    political_status = PoliticalStatus.LEAGUE_MEMBER
    phone = factory.Sequence(lambda n: f"138{n:08d}")
    id_number = ""
    id_number_digest = factory.LazyAttribute(lambda o: digest(o.id_number))
    bed = factory.LazyAttribute(lambda o: bed_in(o.room) if o.room is not None else None)
    user = factory.LazyAttribute(lambda o: UserFactory(username=o.student_no))


class StaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Staff

    staff_no = factory.Sequence(lambda n: f"T{n:05d}")
    name = factory.Sequence(lambda n: f"老师{n}")
    college = factory.SubFactory(CollegeFactory)
    roles = "counselor"
    phone = factory.Sequence(lambda n: f"139{n:08d}")
    user = factory.LazyAttribute(lambda o: UserFactory(username=o.staff_no))


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post

    start_date = dt.date(2025, 9, 1)


class BranchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartyBranch

    college = factory.SubFactory(CollegeFactory)
    name = factory.Sequence(lambda n: f"学生第{n}党支部")


class SmallGridFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SmallGrid

    branch = factory.SubFactory(BranchFactory)
    name = factory.Sequence(lambda n: f"第{n}小网格")


class PartyRoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartyRoom
