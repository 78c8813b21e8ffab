"""Screening import: all or nothing with every bad row named, idempotent, the
threshold per instrument, the follow-up list, and a crisis flag that reports to
levels 3 and 4 at once; the command, the upload page and the API."""

import csv
import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from campusgrid.core.actors import SYSTEM
from campusgrid.dossiers import selectors, services
from campusgrid.dossiers.imports import import_screening
from campusgrid.dossiers.models import ScreeningInstrument, ScreeningResult, ScreeningRound
from campusgrid.notifications.models import Notification
from campusgrid.reports.models import Report

pytestmark = pytest.mark.django_db
HEADERS = ["学号", "姓名", "量表", "总分", "标记", "危机"]
SEMESTER = "2026-2027学年第一学期"


@pytest.fixture(autouse=True)
def _time(travel):
    travel(timezone.make_aware(dt.datetime(2026, 11, 2, 9, 0)))


def write_csv(path, rows, headers=HEADERS, encoding="utf-8-sig"):
    with open(path, "w", newline="", encoding=encoding) as out:
        writer = csv.writer(out)
        writer.writerow(headers)
        writer.writerows(rows)
    return path


def write_xlsx(path, rows, headers=HEADERS):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


GOOD = [
    ["A1002", "张三", "UPI", "32", "第25题阳性", "否"],
    ["A1004", "班长丙", "UPI", "12", "", ""],
    ["A2001", "李四", "SCL-90", "171.5", "抑郁、焦虑", "否"],
    ["A1001", "舍长甲", "SCL-90", "90", "", "否"],
]


def test_a_good_file_is_imported_and_the_same_file_again_changes_nothing(world, semester, tmp_path):
    path = write_xlsx(tmp_path / "筛查.xlsx", GOOD)
    dry = import_screening(path, semester=SEMESTER, dry_run=True, actor=SYSTEM)
    assert dry.ok and (dry.new, dry.updated) == (4, 0) and not ScreeningResult.objects.exists()
    assert dry.notes == ["达到阈值需跟进 2 人次；有危机标记 0 人次"]
    result = import_screening(path, semester=SEMESTER, actor=SYSTEM)
    assert result.ok and result.applied and result.new == 4
    rows = {r.student.student_no: r for r in ScreeningResult.objects.select_related("student", "instrument")}
    assert rows["A1002"].over_threshold and rows["A1002"].follow_up == "pending"
    assert rows["A2001"].over_threshold and str(rows["A2001"].total_score) == "171.50"
    assert not rows["A1004"].over_threshold and rows["A1004"].follow_up == "none"
    assert rows["A1002"].flags == "第25题阳性" and rows["A1002"].semester.name == SEMESTER
    again = import_screening(path, semester=SEMESTER, actor=SYSTEM)
    assert again.ok and (again.new, again.updated, again.unchanged) == (0, 0, 4)
    assert ScreeningRound.objects.count() == 1  # nothing written the second time
    changed = write_csv(tmp_path / "更正.csv", [["A1004", "班长丙", "UPI", "27", "", "否"]])
    fixed = import_screening(changed, semester=SEMESTER, actor=SYSTEM)
    assert (fixed.new, fixed.updated) == (0, 1)
    assert ScreeningResult.objects.get(student=world.monitor).follow_up == "pending"


def test_every_bad_row_is_named_and_nothing_is_written(world, semester, tmp_path):
    rows = [
        ["A1002", "张三", "UPI", "32", "", "否"],
        ["NOPE", "某某", "UPI", "10", "", ""],  # unknown student
        ["A1004", "李四", "UPI", "10", "", ""],  # name does not match
        ["A1001", "舍长甲", "MMPI", "10", "", ""],  # instrument not configured
        ["A1003", "", "UPI", "abc", "", ""],  # score not a number
        ["A1005", "", "UPI", "61", "", ""],  # over the instrument's maximum
        ["A1006", "", "UPI", "-1", "", ""],  # negative
        ["A2001", "", "UPI", "10", "", "也许"],  # crisis unreadable
        ["A1002", "张三", "UPI", "33", "", ""],  # duplicate of row 2
        ["A2002", "", "", "", "", ""],  # instrument and score empty
    ]
    result = import_screening(write_csv(tmp_path / "错.csv", rows), semester=SEMESTER, actor=SYSTEM)
    assert not result.ok and not result.applied
    found = {(e.row, e.column) for e in result.errors}
    assert found == {
        (3, "学号"),
        (4, "姓名"),
        (5, "量表"),
        (6, "总分"),
        (7, "总分"),
        (8, "总分"),
        (9, "危机"),
        (10, "学号"),
        (11, "量表"),
        (11, "总分"),
    }
    reasons = {e.row: e.reason for e in result.errors}
    assert reasons[3] == "在您的管理范围内找不到学号“NOPE”"
    assert "MMPI" in reasons[5] and "UPI" in reasons[5]
    assert "最高分60" in reasons[7] and "与第2行重复" in reasons[10]
    assert result.rejected == 9 and "未写入任何数据" in result.summary()
    assert not ScreeningResult.objects.exists() and not ScreeningRound.objects.exists()


def test_file_level_problems(world, semester, tmp_path):
    missing = import_screening(
        write_csv(tmp_path / "a.csv", [["A1002", "32"]], headers=["学号", "总分"]),
        semester=SEMESTER,
        actor=SYSTEM,
    )
    assert [str(e) for e in missing.errors] == ["第1行 [量表]：缺少必需的列“量表”"]
    unknown = import_screening(write_csv(tmp_path / "b.csv", GOOD), semester="2099学年", actor=SYSTEM)
    assert "学期“2099学年”不存在" in unknown.errors[0].reason and SEMESTER in unknown.errors[0].reason
    gbk = import_screening(
        write_csv(tmp_path / "c.csv", GOOD, encoding="gb18030"), semester=SEMESTER, actor=SYSTEM
    )
    assert gbk.ok and gbk.new == 4
    other = tmp_path / "d.txt"
    other.write_text("x")
    assert "只支持" in import_screening(other, semester=SEMESTER, actor=SYSTEM).errors[0].reason
    aliases = ["学生编号", "测评量表", "得分", "flags", "危机标记"]
    alias_file = write_csv(tmp_path / "e.csv", [["A1003", "SDS", "60", "", "是"]], headers=aliases)
    assert import_screening(alias_file, semester=SEMESTER, dry_run=True, actor=SYSTEM).ok


def test_threshold_is_configured_per_instrument(world, semester, tmp_path):
    ScreeningInstrument.objects.filter(name="UPI").update(threshold=35)
    import_screening(write_csv(tmp_path / "a.csv", GOOD[:1]), semester=SEMESTER, actor=SYSTEM)
    assert not ScreeningResult.objects.get().over_threshold
    ScreeningInstrument.objects.create(name="自编量表", threshold=5)
    result = import_screening(
        write_csv(tmp_path / "b.csv", [["A1004", "", "自编量表", "5", "", ""]]),
        semester=SEMESTER,
        actor=SYSTEM,
    )
    assert result.ok and ScreeningResult.objects.get(student=world.monitor).over_threshold


def test_crisis_sends_a_mental_health_report_to_levels_three_and_four_at_once(world, semester, tmp_path):
    path = write_csv(tmp_path / "危机.csv", [["A1002", "张三", "UPI", "45", "第25题阳性", "是"]])
    result = import_screening(path, semester=SEMESTER, actor=world.counselor.user)
    assert result.ok and "危机标记 1 人次" in result.notes[0]
    screening = ScreeningResult.objects.get()
    report = screening.report
    assert report.category.name == "心理健康" and report.severity == "urgent" and report.urgent
    assert (
        report.level == 3
        and report.source == "screening"
        and report.source_key == f"screening:{screening.pk}"
    )
    assert list(report.students.values_list("student_no", flat=True)) == ["A1002"]
    assert "第25题阳性" not in report.description  # the flags stay encrypted in the screening row
    notified = set(
        Notification.objects.filter(url=f"/reports/{report.pk}/").values_list("user__username", flat=True)
    )
    assert {"C0001", "C0002", "L0001"} <= notified  # counselor and class teacher (level 3), leader (level 4)
    assert not notified & {"A1001", "A1004"}  # never the dorm head or the monitor
    # The same file again: no second report.
    import_screening(path, semester=SEMESTER, actor=world.counselor.user)
    assert Report.objects.count() == 1
    # Not visible to the monitor, even though it concerns a student of their class.
    assert not Report.objects.visible_to(world.monitor.user).exists()


def test_command_line_import(world, semester, tmp_path):
    path = write_csv(tmp_path / "ok.csv", GOOD + [["A2002", "党员戊", "UPI", "40", "", "是"]])
    out = io.StringIO()
    call_command("import_screening", str(path), "--semester", SEMESTER, "--dry-run", stdout=out)
    assert "可导入：新增5" in out.getvalue() and not ScreeningResult.objects.exists()
    call_command("import_screening", str(path), "--semester", SEMESTER, stdout=out)
    assert ScreeningResult.objects.count() == 5
    report = Report.objects.get()
    assert report.reporter.username == "campusgrid-system" and not report.reporter.is_active
    bad = write_csv(tmp_path / "bad.csv", [["NOPE", "", "UPI", "1", "", ""]])
    err = io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_screening", str(bad), "--semester", SEMESTER, stdout=io.StringIO(), stderr=err)
    assert exit_info.value.code == 1 and "第2行 [学号]" in err.getvalue()
    as_json = io.StringIO()
    call_command("import_screening", str(path), "--semester", SEMESTER, "--json", stdout=as_json)
    assert json.loads(as_json.getvalue())["unchanged"] == 5


def test_counselor_imports_only_their_students(world, semester, tmp_path):
    path = write_csv(tmp_path / "混合.csv", [GOOD[0], ["B1002", "王五", "UPI", "40", "", ""]])
    result = import_screening(path, semester=SEMESTER, actor=world.counselor.user)
    assert [(e.row, e.reason) for e in result.errors] == [(3, "在您的管理范围内找不到学号“B1002”")]
    # The class teacher of 化工2401 reaches 张三 but not 李四 (化工2402).
    result = import_screening(
        write_csv(tmp_path / "b.csv", GOOD[2:3]), semester=SEMESTER, actor=world.class_teacher.user
    )
    assert not result.ok


def test_follow_up_list_for_the_counselor(world, semester, tmp_path, login):
    import_screening(write_csv(tmp_path / "a.csv", GOOD), semester=SEMESTER, actor=SYSTEM)
    pending = selectors.screening_result_list(user=world.counselor.user, filters={"follow_up": "pending"})
    assert sorted(r.student.student_no for r in pending) == ["A1002", "A2001"]
    page = (
        login(world.counselor).get(reverse("dossiers:screening")).content.decode()
    )  # opens on the follow-up list
    assert "A1002" in page and "A2001" in page and "A1004" not in page
    # The button names the action, not a state (issue 12 item 11).
    assert "标记为已跟进</button>" in page and ">已跟进</button>" not in page
    result = ScreeningResult.objects.get(student=world.student)
    response = login(world.counselor).post(
        reverse("dossiers:screening-follow-up", args=[result.pk]), {"note": "已约谈"}
    )
    assert response.status_code == 302
    result.refresh_from_db()
    assert result.follow_up == "done" and result.followed_up_by == world.counselor.user
    with pytest.raises(Exception, match="不在待跟进名单"):
        services.screening_follow_up(actor=world.counselor.user, result=result, note="再次")
    page = login(world.class_teacher).get(reverse("dossiers:screening")).content.decode()
    assert "A1002" not in page and "A2001" not in page  # 张三 followed up; 李四 is not in her class


def test_upload_page_needs_level_three_and_previews(world, semester, tmp_path, login):
    for persona in ["monitor", "dorm_head", "student"]:
        assert login(world[persona]).get(reverse("dossiers:screening-import")).status_code == 404
    client = login(world.counselor)
    path = write_xlsx(tmp_path / "筛查.xlsx", GOOD)
    with open(path, "rb") as upload:
        response = client.post(reverse("dossiers:screening-import"), {"semester": SEMESTER, "file": upload})
    text = response.content.decode()
    assert response.status_code == 200 and 'id="count-new">4<' in text and "确认导入" in text
    assert not ScreeningResult.objects.exists()
    token = response.context["token"]
    other = login(world.leader).post(
        reverse("dossiers:screening-import"), {"token": token, "semester": SEMESTER}
    )
    assert (
        other.status_code == 302 and not ScreeningResult.objects.exists()
    )  # a token is bound to its uploader
    client = login(world.counselor)
    confirmed = client.post(
        reverse("dossiers:screening-import"), {"token": token, "semester": SEMESTER, "file_name": "筛查.xlsx"}
    )
    assert confirmed.status_code == 302 and ScreeningResult.objects.count() == 4
    assert ScreeningRound.objects.get().file_name == "筛查.xlsx"
    bad = write_csv(tmp_path / "bad.csv", [["B1002", "", "UPI", "1", "", ""]])
    with open(bad, "rb") as upload:
        response = client.post(reverse("dossiers:screening-import"), {"semester": SEMESTER, "file": upload})
    assert "B1002" in response.content.decode() and "确认导入" not in response.content.decode()
    template = client.get(reverse("dossiers:screening-template"))
    assert template.status_code == 200 and template["Content-Type"].startswith("application/vnd.openxml")


def test_api_import_is_scoped_and_all_or_nothing(world, semester, tmp_path, api):
    path = write_csv(tmp_path / "a.csv", GOOD)
    with open(path, "rb") as upload:
        refused = api(world.monitor).post(
            "/api/v1/screening-results/import/", {"file": upload, "semester": SEMESTER}
        )
    assert refused.status_code == 403
    with open(path, "rb") as upload:
        dry = api(world.counselor).post(
            "/api/v1/screening-results/import/", {"file": upload, "semester": SEMESTER, "dry_run": "true"}
        )
    assert dry.status_code == 200 and dry.json()["new"] == 4 and not ScreeningResult.objects.exists()
    with open(path, "rb") as upload:
        outside = api(world.counselor_b).post(
            "/api/v1/screening-results/import/", {"file": upload, "semester": SEMESTER}
        )
    assert (
        outside.status_code == 400
        and outside.json()["rejected"] == 4
        and not ScreeningResult.objects.exists()
    )
    with open(path, "rb") as upload:
        done = api(world.counselor).post(
            "/api/v1/screening-results/import/", {"file": upload, "semester": SEMESTER}
        )
    assert done.status_code == 200 and done.json()["applied"] and ScreeningResult.objects.count() == 4
    pending = (
        api(world.counselor)
        .get("/api/v1/screening-results/", {"follow_up": "pending", "semester": SEMESTER})
        .json()
    )
    assert sorted(r["student_no"] for r in pending["results"]) == ["A1002", "A2001"]
    result_id = pending["results"][0]["id"]
    followed = api(world.counselor).post(
        f"/api/v1/screening-results/{result_id}/follow-up/", {"note": "已谈话"}
    )
    assert followed.status_code == 200 and followed.json()["follow_up"] == "done"
