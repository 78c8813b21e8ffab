"""The named cast of the test suite: a small college with every kind of user,
and the same roles in a second college, so access rules read like sentences.

College A (化工学院): classes 化工2401 (A1) and 化工2402 (A2)
  rooms 东1/301 (A1 only), 东1/302 (mixed A1+A2), 东1/303 (A2 only)
  counselor: A1 and A2; class teacher: A1; monitors; dorm heads of each room;
  party branch over 301 and 302 with a small grid and an activist per room.
College B (机械学院): class 机械2401, room 西1/101, the same roles.
"""

import dataclasses
import datetime as dt

from campusgrid.grid.models import PostKind
from campusgrid.people.models import PoliticalStatus

from . import factories as f

START = dt.date(2025, 9, 1)


@dataclasses.dataclass
class World:
    def __getitem__(self, key):
        return getattr(self, key)


def post(kind, *, student=None, staff=None, **place):
    return f.PostFactory(kind=kind, student=student, staff=staff, start_date=START, **place)


def build() -> World:
    w = World()
    w.university = f.UniversityFactory()
    w.college_a = f.CollegeFactory(university=w.university, name="化工学院")
    w.college_b = f.CollegeFactory(university=w.university, name="机械学院")
    w.class_a1 = f.SchoolClassFactory(name="化工2401", college=w.college_a)
    w.class_a2 = f.SchoolClassFactory(name="化工2402", college=w.college_a)
    w.class_b1 = f.SchoolClassFactory(
        name="机械2401", college=w.college_b, major=f.MajorFactory(college=w.college_b, name="机械工程")
    )
    east = f.BuildingFactory(name="东1")
    west = f.BuildingFactory(name="西1")
    w.room_a1 = f.RoomFactory(building=east, number="301")
    w.room_mixed = f.RoomFactory(building=east, number="302")
    w.room_a2 = f.RoomFactory(building=east, number="303")
    w.room_b1 = f.RoomFactory(building=west, number="101")

    S = f.StudentFactory
    # Room 301: class A1.
    w.dorm_head = S(
        student_no="A1001",
        name="舍长甲",
        school_class=w.class_a1,
        room=w.room_a1,
        political_status=PoliticalStatus.ACTIVIST,
    )
    w.student = S(
        student_no="A1002",
        name="张三",
        school_class=w.class_a1,
        room=w.room_a1,
        id_number="110101200501011239",
        phone="13812345678",
    )
    w.activist = S(
        student_no="A1003",
        name="积极分子乙",
        school_class=w.class_a1,
        room=w.room_a1,
        political_status=PoliticalStatus.ACTIVIST,
    )
    w.monitor = S(
        student_no="A1004",
        name="班长丙",
        school_class=w.class_a1,
        room=w.room_a1,
        political_status=PoliticalStatus.PROBATIONARY,
    )
    # Room 302: mixed A1 and A2.
    w.dorm_head_mixed = S(student_no="A1005", name="舍长丁", school_class=w.class_a1, room=w.room_mixed)
    w.mixed_a2 = S(student_no="A2001", name="李四", school_class=w.class_a2, room=w.room_mixed)
    w.small_grid_leader = S(
        student_no="A2002",
        name="党员戊",
        school_class=w.class_a2,
        room=w.room_mixed,
        political_status=PoliticalStatus.MEMBER,
    )
    # Room 303: class A2.
    w.dorm_head_a2 = S(student_no="A2003", name="舍长己", school_class=w.class_a2, room=w.room_a2)
    w.monitor_a2 = S(student_no="A2004", name="班长庚", school_class=w.class_a2, room=w.room_a2)
    w.branch_secretary = S(
        student_no="A2005",
        name="书记辛",
        school_class=w.class_a2,
        room=w.room_a2,
        political_status=PoliticalStatus.MEMBER,
    )
    # College B.
    w.dorm_head_b = S(student_no="B1001", name="舍长壬", school_class=w.class_b1, room=w.room_b1)
    w.student_b = S(
        student_no="B1002",
        name="王五",
        school_class=w.class_b1,
        room=w.room_b1,
        id_number="110101200502022239",
        phone="13987654321",
    )
    w.monitor_b = S(student_no="B1003", name="班长癸", school_class=w.class_b1, room=w.room_b1)

    F = f.StaffFactory
    w.counselor = F(staff_no="C0001", name="辅导员甲", college=w.college_a)
    w.class_teacher = F(staff_no="C0002", name="班主任乙", college=w.college_a, roles="class_teacher")
    w.counselor_b = F(staff_no="C0003", name="辅导员丙", college=w.college_b)
    w.leader = F(staff_no="L0001", name="院领导甲", college=w.college_a, roles="leader")
    w.leader_b = F(staff_no="L0002", name="院领导乙", college=w.college_b, roles="leader")
    w.office = F(staff_no="X0001", name="学工部甲", college=None, roles="office")

    post(PostKind.DORM_HEAD, student=w.dorm_head, room=w.room_a1)
    post(PostKind.DORM_HEAD, student=w.dorm_head_mixed, room=w.room_mixed)
    post(PostKind.DORM_HEAD, student=w.dorm_head_a2, room=w.room_a2)
    post(PostKind.DORM_HEAD, student=w.dorm_head_b, room=w.room_b1)
    post(PostKind.MONITOR, student=w.monitor, school_class=w.class_a1)
    post(PostKind.MONITOR, student=w.monitor_a2, school_class=w.class_a2)
    post(PostKind.MONITOR, student=w.monitor_b, school_class=w.class_b1)
    post(PostKind.COUNSELOR, staff=w.counselor, school_class=w.class_a1)
    post(PostKind.COUNSELOR, staff=w.counselor, school_class=w.class_a2)
    post(PostKind.CLASS_TEACHER, staff=w.class_teacher, school_class=w.class_a1)
    post(PostKind.COUNSELOR, staff=w.counselor_b, school_class=w.class_b1)
    post(PostKind.LEADER, staff=w.leader, college=w.college_a)
    post(PostKind.LEADER, staff=w.leader_b, college=w.college_b)
    post(PostKind.OFFICE, staff=w.office)

    w.branch = f.BranchFactory(college=w.college_a, name="化工学院学生第一党支部")
    w.small_grid = f.SmallGridFactory(branch=w.branch, name="第一小网格")
    f.PartyRoomFactory(room=w.room_a1, branch=w.branch, small_grid=w.small_grid)
    f.PartyRoomFactory(room=w.room_mixed, branch=w.branch, small_grid=w.small_grid)
    post(PostKind.BRANCH_SECRETARY, student=w.branch_secretary, branch=w.branch)
    post(PostKind.SMALL_GRID_LEADER, student=w.small_grid_leader, small_grid=w.small_grid)
    post(PostKind.ACTIVIST, student=w.activist, room=w.room_a1)
    w.activist_mixed = S(
        student_no="A1006",
        name="积极分子子",
        school_class=w.class_a1,
        room=w.room_mixed,
        political_status=PoliticalStatus.ACTIVIST,
    )
    post(PostKind.ACTIVIST, student=w.activist_mixed, room=w.room_mixed)
    return w


# Personas by role, for parametrised access tests.
PERSONAS = [
    "dorm_head",
    "monitor",
    "counselor",
    "class_teacher",
    "leader",
    "activist",
    "small_grid_leader",
    "branch_secretary",
    "student",
    "office",
    "leader_b",
    "counselor_b",
    "dorm_head_b",
    "student_b",
]


def user_of(w: World, persona: str):
    return w[persona].user
