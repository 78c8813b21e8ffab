"""Roster and staff imports (SPEC §13, §14; issue 3 §6): header aliases in any
order, .xlsx and CSV in UTF-8, UTF-8 with BOM and GB18030, all or nothing with
every error named, idempotent re-import, updates by 学号, nothing deleted,
posts from 职务 and 负责班级, accounts without a usable password, the
importer's reach, and 10,000 rows."""

import datetime as dt
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import RequestFactory

from campusgrid.core.actors import SYSTEM
from campusgrid.core.models import AuditEvent
from campusgrid.grid.imports import import_roster, import_staff
from campusgrid.grid.models import Post, PostKind
from campusgrid.org.models import Bed, Building, College, Room, SchoolClass
from campusgrid.people.models import PoliticalStatus, PoliticalStatusChange, Staff, Student

from . import rosters as r

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 2)


@pytest.fixture(autouse=True)
def _today(travel):
    travel(dt.datetime(2026, 3, 2, 9, 0))


def roster_file(tmp_path, rows=None, name="roster.xlsx", **kwargs):
    rows = r.small_roster() if rows is None else rows
    path = tmp_path / name
    if name.endswith(".xlsx"):
        return r.write_xlsx(path, rows, **kwargs)
    return r.write_csv(path, rows, **kwargs)


def holders(kind) -> dict:
    """Current holders of a kind of post, by place."""
    result = {}
    for p in (
        Post.objects.current()
        .filter(kind=kind)
        .select_related("student", "staff", "room__building", "school_class", "college")
    ):
        result[p.place_label] = p.student.student_no if p.student_id else p.staff.staff_no
    return result


def snapshot() -> dict:
    """Everything an import could write, to prove that nothing was."""
    return {
        "students": sorted(
            Student.objects.values_list(
                "student_no",
                "name",
                "gender",
                "status",
                "college_id",
                "school_class_id",
                "bed_id",
                "political_status",
                "phone",
                "id_number_digest",
                "version",
                "updated_at",
            )
        ),
        "users": sorted(get_user_model().objects.values_list("username", "password")),
        "posts": sorted(Post.objects.values_list("id", "kind", "student_id", "staff_id", "end_date")),
        "staff": sorted(Staff.objects.values_list("staff_no", "name", "roles", "phone", "version")),
        "audit": AuditEvent.objects.count(),
        "history": PoliticalStatusChange.objects.count(),
        "org": (
            College.objects.count(),
            SchoolClass.objects.count(),
            Building.objects.count(),
            Room.objects.count(),
            Bed.objects.count(),
        ),
    }


def command(name, *args) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(name, *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


# --- a first import ------------------------------------------------------------------------------


def test_roster_import_creates_students_classes_rooms_and_posts(tmp_path):
    result = import_roster(roster_file(tmp_path), actor=SYSTEM)
    assert result.ok and result.applied, result.errors
    assert (result.new, result.updated, result.unchanged) == (6, 0, 0)
    college = College.objects.get(name="化学学院")
    assert set(college.classes.values_list("name", flat=True)) == {"应化2401", "应化2402"}
    one = Student.objects.select_related("bed__room__building", "school_class").get(student_no="S2401001")
    assert one.name == "赵一" and one.name_initials == "zy"
    assert one.bed.room.label == "南苑1栋/101" and one.bed.number == 1
    assert one.school_class.name == "应化2401" and one.school_class.grade.year == 2024
    assert one.id_number == r.id_number(1) and one.phone == "13800000001"
    assert Student.objects.get(student_no="S2401003").political_status == PoliticalStatus.PROBATIONARY
    # Beds are given in the order of the file where none is named.
    assert Student.objects.get(student_no="S2402002").bed.number == 2
    assert holders(PostKind.DORM_HEAD) == {"南苑1栋/101": "S2401001", "南苑2栋/201": "S2402001"}
    assert holders(PostKind.MONITOR) == {"应化2401": "S2401001", "应化2402": "S2402001"}
    assert holders(PostKind.LEAGUE_SECRETARY) == {"应化2401": "S2401003"}
    assert PoliticalStatusChange.objects.filter(student=one).count() == 1


def test_imported_accounts_cannot_log_in_with_a_password(tmp_path, client):
    import_roster(roster_file(tmp_path), actor=SYSTEM)
    users = get_user_model().objects.filter(username__startswith="S24")
    assert users.count() == 6
    for user in users:
        assert not user.has_usable_password()
        assert user.student.student_no == user.username
    # django-axes (first backend) needs the request to count the failure.
    assert not client.login(
        request=RequestFactory().post("/accounts/login/"), username="S2401001", password=""
    )
    assert client.post("/accounts/login/", {"username": "S2401001", "password": ""}).status_code == 200


@pytest.mark.parametrize(
    "aliases",
    [
        {},
        {
            "学号": "学生编号",
            "学院": "院系",
            "楼栋": "宿舍楼",
            "寝室号": "宿舍号",
            "床位": "床号",
            "手机号": "联系电话",
            "身份证号": "身份证",
        },
        {"楼栋": "公寓楼", "寝室号": "房间号", "手机号": "手机", "身份证号": "证件号码"},
    ],
    ids=["canonical", "aliases-1", "aliases-2"],
)
@pytest.mark.parametrize("order", ["as-is", "reversed", "shuffled"])
def test_header_aliases_in_any_order(tmp_path, aliases, order):
    headers = [aliases.get(h, h) for h in r.ROSTER_HEADERS]
    if order == "reversed":
        headers.reverse()
    elif order == "shuffled":
        headers = headers[1::2] + headers[0::2]
    rows = r.renamed(r.small_roster(), aliases)
    result = import_roster(roster_file(tmp_path, rows, name="roster.csv", headers=headers), actor=SYSTEM)
    assert result.ok, result.errors
    one = Student.objects.select_related("bed__room__building").get(student_no="S2401001")
    assert (one.name, one.bed.room.label, one.bed.number, one.phone, one.id_number) == (
        "赵一",
        "南苑1栋/101",
        1,
        "13800000001",
        r.id_number(1),
    )
    assert holders(PostKind.MONITOR) == {"应化2401": "S2401001", "应化2402": "S2402001"}


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_encodings(tmp_path, encoding):
    rows = r.small_roster()
    rows[3]["姓名"] = "欧阳娜娜"
    rows[4]["姓名"] = "买买提·艾力"
    rows[5]["生源地"] = "新疆喀什"
    path = roster_file(tmp_path, rows, name="roster.csv", encoding=encoding)
    if encoding == "gb18030":
        with pytest.raises(UnicodeDecodeError):
            path.read_bytes().decode("utf-8")
    result = import_roster(path, actor=SYSTEM)
    assert result.ok, result.errors
    names = dict(Student.objects.values_list("student_no", "name"))
    assert names["S2401004"] == "欧阳娜娜" and names["S2402001"] == "买买提·艾力"
    assert Student.objects.get(student_no="S2402002").origin == "新疆喀什"
    assert College.objects.get().name == "化学学院"  # a BOM never sticks to the first header


def test_xlsx_with_numbers_as_excel_stores_them(tmp_path):
    # Excel users type 学号, 年级, 床位 and phones as numbers; they must read as text.
    rows = r.small_roster()
    for row in rows:
        row["学号"] = int(row["学号"][1:])
        row["年级"] = 2024
        row["床位"] = int(row["床位"]) if row["床位"] else None
        row["手机号"] = int(row["手机号"]) if row["手机号"] else None
    result = import_roster(roster_file(tmp_path, rows), actor=SYSTEM)
    assert result.ok, result.errors
    one = Student.objects.get(student_no="2401001")
    assert one.phone == "13800000001" and one.bed.number == 1


def test_an_id_number_stored_as_a_number_is_explained(tmp_path):
    rows = r.small_roster()
    rows[0]["身份证号"] = 1.10101200501011e17
    result = import_roster(roster_file(tmp_path, rows), actor=SYSTEM)
    assert not result.ok
    assert [(e.row, e.column) for e in result.errors] == [(2, "身份证号")]
    assert "文本" in result.errors[0].reason


# --- all or nothing ---------------------------------------------------------------------------


def test_a_file_with_errors_writes_nothing_and_names_every_error(tmp_path):
    rows = r.small_roster()
    rows[0]["性别"] = "M"  # row 2
    rows[1]["身份证号"] = r.id_number(2)[:17] + ("0" if r.id_number(2)[17] != "0" else "1")  # row 3
    rows[2]["学号"] = "S2401001"  # row 4: duplicate of row 2
    rows[3]["手机号"] = "12345"  # row 5
    rows[4]["职务"] = "宿管"  # row 6
    rows[5]["床位"] = "13"  # row 7: beds are numbered 1 to 12
    rows.append(r.student("S2409001", "", 政治面貌="党员积极", 年级="二四级"))  # row 8
    before = snapshot()
    result = import_roster(roster_file(tmp_path, rows), actor=SYSTEM)
    assert not result.ok and not result.applied
    found = {(e.row, e.column) for e in result.errors}
    assert found == {
        (2, "性别"),
        (3, "身份证号"),
        (4, "学号"),
        (5, "手机号"),
        (6, "职务"),
        (7, "床位"),
        (8, "姓名"),
        (8, "政治面貌"),
        (8, "年级"),
    }
    reasons = {(e.row, e.column): e.reason for e in result.errors}
    assert "校验位" in reasons[(3, "身份证号")]
    assert "第2行重复" in reasons[(4, "学号")]
    assert "宿管" in reasons[(6, "职务")]
    assert result.rejected == 7
    assert snapshot() == before
    assert Student.objects.count() == 0 and College.objects.count() == 0


def test_errors_against_the_database_are_caught_before_writing(tmp_path, world):
    rows = [
        # 东1/301 bed 1 is taken by 舍长甲 who is not in this file.
        r.student(
            "N001", "新生甲", 学院="化工学院", 班级="化工2401", 专业="", 楼栋="东1", 寝室号="301", 床位="1"
        ),
        # The class exists in another college.
        r.student("N002", "新生乙", 学院="机械学院", 班级="化工2401", 专业="", 楼栋="", 寝室号=""),
        # 张三's ID number.
        r.student("N003", "新生丙", 学院="化工学院", 班级="化工2402", 专业="", 身份证号="110101200501011239"),
    ]
    before = snapshot()
    result = import_roster(roster_file(tmp_path, rows), actor=SYSTEM)
    assert {(e.row, e.column) for e in result.errors} == {(2, "床位"), (3, "班级"), (4, "身份证号")}
    assert "A1001" in next(e.reason for e in result.errors if e.row == 2)
    assert snapshot() == before


def test_a_missing_required_column_is_named(tmp_path):
    rows = [{k: v for k, v in row.items() if k != "性别"} for row in r.small_roster()]
    result = import_roster(roster_file(tmp_path, rows), actor=SYSTEM)
    assert [(e.row, e.column) for e in result.errors] == [(1, "性别")]
    assert Student.objects.count() == 0


def test_dry_run_checks_and_writes_nothing(tmp_path):
    path = roster_file(tmp_path)
    before = snapshot()
    result = import_roster(path, dry_run=True, actor=SYSTEM)
    assert result.ok and not result.applied and result.new == 6
    assert snapshot() == before
    assert import_roster(path, actor=SYSTEM).new == 6


# --- re-import and later files -------------------------------------------------------------------


def test_importing_the_same_file_twice_changes_nothing(tmp_path, travel):
    path = roster_file(tmp_path)
    import_roster(path, actor=SYSTEM)
    travel(dt.datetime(2026, 3, 5, 9, 0))
    before = snapshot()
    result = import_roster(path, actor=SYSTEM)
    assert result.ok and (result.new, result.updated, result.unchanged) == (0, 0, 6)
    assert result.changes == []
    assert snapshot() == before  # no write at all: no audit row, no updated_at, no version


def test_same_file_twice_as_csv_too(tmp_path):
    path = roster_file(tmp_path, name="roster.csv", encoding="gb18030")
    import_roster(path, actor=SYSTEM)
    before = snapshot()
    result = import_roster(path, actor=SYSTEM)
    assert (result.new, result.updated, result.unchanged) == (0, 0, 6)
    assert snapshot() == before


def test_a_later_file_updates_students_by_student_no(tmp_path, travel):
    import_roster(roster_file(tmp_path), actor=SYSTEM)
    travel(dt.datetime(2026, 3, 9, 9, 0))
    rows = r.small_roster()
    rows[1].update(
        {"姓名": "钱贰", "政治面貌": "发展对象", "手机号": "13900000002", "寝室号": "102", "床位": ""}
    )
    version = Student.objects.get(student_no="S2401002").version
    result = import_roster(roster_file(tmp_path, rows, name="later.xlsx"), actor=SYSTEM)
    assert result.ok and (result.new, result.updated, result.unchanged) == (0, 1, 5)
    assert result.changes[0]["key"] == "S2401002"
    assert set(result.changes[0]["fields"].split("、")) == {"姓名", "政治面貌", "手机号", "床位"}
    two = Student.objects.select_related("bed__room__building").get(student_no="S2401002")
    assert (two.name, two.political_status, two.phone) == ("钱贰", PoliticalStatus.CANDIDATE, "13900000002")
    assert two.bed.room.label == "南苑1栋/102" and two.name_initials == "qe"
    assert two.version == version + 1 and two.updated_at.date() == dt.date(2026, 3, 9)
    assert list(two.political_history.values_list("status", flat=True)) == ["activist", "candidate"]
    assert Student.objects.count() == 6


def test_students_missing_from_a_later_file_are_not_deleted(tmp_path):
    import_roster(roster_file(tmp_path), actor=SYSTEM)
    before = {s.student_no: (s.status, s.bed_id, s.school_class_id) for s in Student.objects.all()}
    rows = r.small_roster()[:2] + [r.student("S2401005", "郑七", 寝室号="102")]
    result = import_roster(roster_file(tmp_path, rows, name="later.xlsx"), actor=SYSTEM)
    assert (result.new, result.updated, result.unchanged) == (1, 0, 2)
    after = {s.student_no: (s.status, s.bed_id, s.school_class_id) for s in Student.objects.all()}
    assert set(after) == set(before) | {"S2401005"}
    assert all(after[no] == before[no] for no in before)


def test_students_can_swap_beds_within_one_file(tmp_path):
    import_roster(roster_file(tmp_path), actor=SYSTEM)
    rows = r.small_roster()
    rows[2]["床位"], rows[3]["床位"] = "4", "3"
    result = import_roster(roster_file(tmp_path, rows, name="swap.xlsx"), actor=SYSTEM)
    assert result.ok and result.updated == 2, result.errors
    assert Student.objects.get(student_no="S2401003").bed.number == 4
    assert Student.objects.get(student_no="S2401004").bed.number == 3


def test_post_column_appoints_and_ends_posts_no_longer_listed(tmp_path):
    import_roster(roster_file(tmp_path), actor=SYSTEM)
    rows = r.small_roster()
    rows[0]["职务"] = "班长"  # no longer dorm head of 101
    rows[3]["职务"] = "舍长"  # 李四 takes 101
    rows[2]["职务"] = ""  # no more league secretary
    result = import_roster(roster_file(tmp_path, rows, name="posts.xlsx"), actor=SYSTEM)
    assert result.ok, result.errors
    assert holders(PostKind.DORM_HEAD) == {"南苑1栋/101": "S2401004", "南苑2栋/201": "S2402001"}
    assert holders(PostKind.MONITOR) == {"应化2401": "S2401001", "应化2402": "S2402001"}
    assert holders(PostKind.LEAGUE_SECRETARY) == {}
    ended = Post.objects.filter(end_date__isnull=False).select_related("student")
    assert sorted((p.kind, p.student.student_no) for p in ended) == [
        ("dorm_head", "S2401001"),
        ("league_secretary", "S2401003"),
    ]
    assert all(p.end_date == TODAY for p in ended)


def test_a_file_without_the_post_column_leaves_posts_alone(tmp_path):
    import_roster(roster_file(tmp_path), actor=SYSTEM)
    headers = [h for h in r.ROSTER_HEADERS if h != "职务"]
    result = import_roster(roster_file(tmp_path, name="no-posts.xlsx", headers=headers), actor=SYSTEM)
    assert (result.new, result.updated) == (0, 0)
    assert len(holders(PostKind.DORM_HEAD)) == 2 and len(holders(PostKind.MONITOR)) == 2


def test_a_post_named_twice_for_one_place_is_an_error(tmp_path):
    rows = r.small_roster()
    rows[1]["职务"] = "舍长"  # 101 already has 赵一
    result = import_roster(roster_file(tmp_path, rows), actor=SYSTEM)
    assert [(e.row, e.column) for e in result.errors] == [(3, "职务")]
    assert "第2行" in result.errors[0].reason


def test_the_roster_command_exit_codes(tmp_path):
    good = roster_file(tmp_path)
    code, out, _ = command("import_roster", str(good), "--dry-run")
    assert code == 0 and "可导入" in out and Student.objects.count() == 0
    code, out, _ = command("import_roster", str(good))
    assert code == 0 and "新增6" in out and Student.objects.count() == 6
    code, out, _ = command("import_roster", str(good))
    assert code == 0 and "无变化6" in out
    rows = r.small_roster()
    rows[2]["性别"] = "未知"
    bad = roster_file(tmp_path, rows, name="bad.csv")
    code, _, err = command("import_roster", str(bad))
    assert code == 1 and "第4行 [性别]" in err
    code, _, err = command("import_roster", str(bad), "--dry-run")
    assert code == 1
    code, _, err = command("import_roster", str(tmp_path / "missing.xlsx"))
    assert code == 1


# --- the importer's reach ----------------------------------------------------------------------------


def test_a_counselor_imports_within_their_classes(tmp_path, world):
    rows = [
        r.student(
            "A1002", "张三", 学院="化工学院", 班级="化工2401", 专业="", 年级="", 楼栋="东1", 寝室号="301"
        ),
        r.student(
            "A2009", "新同学", 学院="化工学院", 班级="化工2402", 专业="", 年级="", 楼栋="东1", 寝室号="303"
        ),
    ]
    headers = ["学号", "姓名", "性别", "学院", "班级", "楼栋", "寝室号"]
    result = import_roster(roster_file(tmp_path, rows, headers=headers), actor=world.counselor.user)
    assert result.ok, result.errors
    assert (result.new, result.updated, result.unchanged) == (1, 0, 1)
    assert Student.objects.get(student_no="A2009").bed.room == world.room_a2


def test_a_counselor_cannot_touch_students_outside_their_classes(tmp_path, world):
    rows = [
        r.student(
            "A1002", "张三", 学院="化工学院", 班级="化工2401", 专业="", 年级="", 楼栋="东1", 寝室号="301"
        ),
        # An existing student of college B, renamed.
        r.student(
            "B1002", "王五五", 学院="机械学院", 班级="机械2401", 专业="", 年级="", 楼栋="西1", 寝室号="101"
        ),
        # A new student placed in college B.
        r.student("B1009", "新生", 学院="机械学院", 班级="机械2401", 专业="", 年级="", 楼栋="", 寝室号=""),
        # Moving a student of college B into the counselor's class.
        r.student("B1003", "班长癸", 学院="化工学院", 班级="化工2401", 专业="", 年级="", 楼栋="", 寝室号=""),
        # A new class is for leaders to create.
        r.student(
            "A2010",
            "新生二",
            学院="化工学院",
            班级="化工2403",
            专业="化学工程",
            年级="2024",
            楼栋="",
            寝室号="",
        ),
    ]
    headers = ["学号", "姓名", "性别", "学院", "专业", "年级", "班级", "楼栋", "寝室号"]
    before = snapshot()
    result = import_roster(roster_file(tmp_path, rows, headers=headers), actor=world.counselor.user)
    assert not result.ok
    assert {e.row for e in result.errors} == {3, 4, 5, 6}
    assert snapshot() == before
    assert Student.objects.get(student_no="B1002").name == "王五"


def test_a_student_cannot_import_at_all(tmp_path, world):
    rows = [
        r.student("A1002", "张三", 学院="化工学院", 班级="化工2401", 专业="", 年级="", 楼栋="", 寝室号="")
    ]
    headers = ["学号", "姓名", "性别", "学院", "班级"]
    result = import_roster(roster_file(tmp_path, rows, headers=headers), actor=world.monitor.user)
    assert not result.ok
    result = import_staff(
        r.write_csv(tmp_path / "s.csv", [{"工号": "T1", "姓名": "甲", "角色": "辅导员"}]),
        actor=world.counselor.user,
    )
    assert not result.ok and Staff.objects.filter(staff_no="T1").count() == 0


# --- staff ---------------------------------------------------------------------------------------------


def staff_rows() -> list[dict]:
    return [
        {
            "工号": "T2001",
            "姓名": "李老师",
            "角色": "辅导员",
            "学院": "化学学院",
            "负责班级": "应化2401、应化2402",
            "手机号": "13700000001",
        },
        {
            "工号": "T2002",
            "姓名": "王老师",
            "角色": "班主任",
            "学院": "化学学院",
            "负责班级": "应化2401",
            "手机号": "",
        },
        {
            "工号": "T2003",
            "姓名": "陈院长",
            "角色": "学院领导",
            "学院": "化学学院",
            "负责班级": "",
            "手机号": "13700000003",
        },
    ]


def test_staff_import_appoints_counselors_class_teachers_and_leaders(tmp_path):
    import_roster(roster_file(tmp_path), actor=SYSTEM)
    result = import_staff(r.write_xlsx(tmp_path / "staff.xlsx", staff_rows()), actor=SYSTEM)
    assert result.ok and (result.new, result.updated, result.unchanged) == (3, 0, 0), result.errors
    assert holders(PostKind.COUNSELOR) == {"应化2401": "T2001", "应化2402": "T2001"}
    assert holders(PostKind.CLASS_TEACHER) == {"应化2401": "T2002"}
    assert holders(PostKind.LEADER) == {"化学学院": "T2003"}
    for staff in Staff.objects.select_related("user"):
        assert staff.user.username == staff.staff_no and not staff.user.has_usable_password()
    assert Staff.objects.get(staff_no="T2001").roles == "counselor"
    from campusgrid.grid import coverage

    assert coverage.compute().gaps == []


def test_staff_import_twice_changes_nothing_and_a_later_file_hands_over_classes(tmp_path, travel):
    import_roster(roster_file(tmp_path), actor=SYSTEM)
    path = r.write_csv(tmp_path / "staff.csv", staff_rows(), encoding="gb18030")
    import_staff(path, actor=SYSTEM)
    before = snapshot()
    result = import_staff(path, actor=SYSTEM)
    assert (result.new, result.updated, result.unchanged) == (0, 0, 3)
    assert snapshot() == before
    travel(dt.datetime(2026, 3, 9, 9, 0))
    rows = staff_rows()
    rows[0]["负责班级"] = "应化2401"
    rows.append(
        {
            "工号": "T2004",
            "姓名": "赵老师",
            "角色": "辅导员",
            "学院": "化学学院",
            "负责班级": "应化2402",
            "手机号": "",
        }
    )
    result = import_staff(r.write_csv(tmp_path / "later.csv", rows), actor=SYSTEM)
    assert result.ok and result.new == 1, result.errors
    # T2001 lost a class: an update, not "unchanged".
    assert (result.updated, result.unchanged) == (1, 2)
    assert holders(PostKind.COUNSELOR) == {"应化2401": "T2001", "应化2402": "T2004"}
    old = Post.objects.get(kind=PostKind.COUNSELOR, staff__staff_no="T2001", school_class__name="应化2402")
    assert old.end_date == dt.date(2026, 3, 9)


def test_staff_file_with_errors_writes_nothing(tmp_path):
    import_roster(roster_file(tmp_path), actor=SYSTEM)
    rows = staff_rows()
    rows[0]["角色"] = "辅导员、宿管"
    rows[1]["负责班级"] = "应化2499"
    rows[2]["学院"] = ""
    before = snapshot()
    result = import_staff(r.write_xlsx(tmp_path / "staff.xlsx", rows), actor=SYSTEM)
    assert {(e.row, e.column) for e in result.errors} == {(2, "角色"), (3, "负责班级"), (4, "学院")}
    assert snapshot() == before


def test_the_staff_command_exit_codes(tmp_path):
    import_roster(roster_file(tmp_path), actor=SYSTEM)
    good = r.write_csv(tmp_path / "staff.csv", staff_rows(), encoding="utf-8-sig")
    code, out, _ = command("import_staff", str(good), "--dry-run")
    assert code == 0 and Staff.objects.count() == 0
    code, out, _ = command("import_staff", str(good))
    assert code == 0 and Staff.objects.count() == 3
    rows = staff_rows()
    rows[0]["手机号"] = "123"
    code, _, err = command("import_staff", str(r.write_csv(tmp_path / "bad.csv", rows)))
    assert code == 1 and "第2行 [手机号]" in err


# --- 10,000 rows ---------------------------------------------------------------------------------------


BIRTH = dt.date(2005, 1, 1)


def big_roster(count: int) -> list[dict]:
    """`count` students of one college: 40 classes, 6-bed rooms filled in order,
    the first of each room its dorm head, the first of each class its monitor."""
    rows = []
    for i in range(count):
        class_index = i // 250
        room_index = i // 6
        rows.append(
            r.student(
                f"B{2024000000 + i}",
                "赵钱孙李周吴郑王冯陈"[i % 10] + "明华强伟芳娜秀英"[i % 8] + "同学"[i % 2],
                性别="男" if room_index % 2 == 0 else "女",
                班级=f"大化{class_index:03d}",
                楼栋=f"北{room_index // 200 + 1}栋",
                寝室号=str(100 + room_index % 200),
                床位=str(i % 6 + 1),
                职务="、".join(t for t, first in (("舍长", i % 6 == 0), ("班长", i % 250 == 0)) if first),
                手机号=f"139{i:08d}",
                身份证号=r.id_number(i, birthday=f"{BIRTH + dt.timedelta(days=i // 1000):%Y%m%d}")
                if i % 3 == 0
                else "",
            )
        )
    return rows


def test_ten_thousand_rows_import_and_reimport_unchanged(tmp_path):
    """Speed is measured by `make bench`; here the budget is the number of queries,
    which must not grow row by row (bulk reads and writes only)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    path = r.write_xlsx(tmp_path / "big.xlsx", big_roster(10_000))
    with CaptureQueriesContext(connection) as first:
        result = import_roster(path, actor=SYSTEM)
    assert result.ok, result.errors[:5]
    assert result.new == 10_000 and Student.objects.count() == 10_000
    assert Post.objects.filter(kind=PostKind.DORM_HEAD).count() == 10_000 // 6 + 1
    assert Post.objects.filter(kind=PostKind.MONITOR).count() == 40
    audit = AuditEvent.objects.count()
    latest = Student.objects.order_by("-updated_at").values_list("updated_at", flat=True)[0]
    with CaptureQueriesContext(connection) as second:
        again = import_roster(path, actor=SYSTEM)
    assert (again.new, again.updated, again.unchanged) == (0, 0, 10_000)
    assert AuditEvent.objects.count() == audit
    assert Student.objects.order_by("-updated_at").values_list("updated_at", flat=True)[0] == latest
    print(f"\n10,000-row roster: {len(first)} queries to import, {len(second)} to re-import")
    # Bulk batches (SQLite caps a statement at 999 parameters, about 45 students): the
    # import costs a small fraction of a query per row, the unchanged re-import a constant.
    assert len(first) < 10_000 / 15 and len(second) < 40, (len(first), len(second))
