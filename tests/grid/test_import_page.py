"""The upload page /grid/import/ (issue 3 §6): level 3 and above only, a
preview of what will change, confirmation writes, errors in Chinese with row
and column, and the templates to download."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from campusgrid.core.models import AuditEvent
from campusgrid.grid.imports import ROSTER_COLUMNS, STAFF_COLUMNS
from campusgrid.grid.models import Post, PostKind
from campusgrid.people.models import Staff, Student

from . import rosters as r

pytestmark = pytest.mark.django_db

URL = "/grid/import/"


def upload(client, path, kind="roster"):
    with open(path, "rb") as handle:
        data = SimpleUploadedFile(path.name, handle.read())
    return client.post(URL, {"kind": kind, "file": data})


def token_of(response) -> str:
    return response.context["token"]


def counselor_roster(tmp_path, **changes):
    """Two rows for the world's counselor: 张三 unchanged, a new student in 化工2402."""
    rows = [
        r.student("A1002", "张三", 学院="化工学院", 班级="化工2401", 楼栋="东1", 寝室号="301"),
        r.student("A2009", "新同学", 学院="化工学院", 班级="化工2402", 楼栋="东1", 寝室号="303"),
    ]
    for row in rows:
        row.update(changes)
    headers = ["学号", "姓名", "性别", "学院", "班级", "楼栋", "寝室号"]
    return r.write_csv(tmp_path / "counselor.csv", rows, headers=headers)


def test_import_page_needs_level_three(world, login, client):
    for persona in ["counselor", "class_teacher", "leader", "office", "leader_b", "counselor_b"]:
        page = login(world[persona]).get(URL)
        assert page.status_code == 200, persona
        assert "导入名册" in page.content.decode()
    for persona in ["dorm_head", "monitor", "student", "activist", "small_grid_leader", "branch_secretary"]:
        assert login(world[persona]).get(URL).status_code == 404, persona
        assert login(world[persona]).post(URL, {"kind": "roster"}).status_code == 404, persona
    client.logout()
    assert client.get(URL).status_code == 302


def test_the_import_link_shows_only_to_level_three(world, login):
    assert 'href="/grid/import/"' in login(world.counselor).get("/").content.decode()
    assert 'href="/grid/import/"' not in login(world.monitor).get("/").content.decode()


def test_preview_counts_and_writes_nothing(world, login, tmp_path):
    client = login(world.counselor)
    response = upload(client, counselor_roster(tmp_path))
    assert response.status_code == 200
    result = response.context["result"]
    assert (result.new, result.updated, result.unchanged, result.rejected) == (1, 0, 1, 0)
    text = response.content.decode()
    assert 'id="count-new">1<' in text and 'id="count-unchanged">1<' in text
    assert "可导入：新增1，更新0，无变化1" in text and "确认导入" in text
    assert not Student.objects.filter(student_no="A2009").exists()


def test_confirm_writes_and_lands_on_the_coverage_page(world, login, tmp_path):
    client = login(world.counselor)
    token = token_of(upload(client, counselor_roster(tmp_path)))
    response = client.post(URL, {"token": token, "kind": "roster"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("grid:coverage")
    assert "已导入：新增1" in response.content.decode()
    new = Student.objects.get(student_no="A2009")
    assert new.bed.room == world.room_a2 and new.school_class == world.class_a2
    assert AuditEvent.objects.get(verb="import.roster").actor == world.counselor.user
    # The file is used once: confirming again is refused.
    again = client.post(URL, {"token": token, "kind": "roster"}, follow=True)
    assert "导入文件已过期" in again.content.decode()


def test_a_token_belongs_to_the_user_who_uploaded(world, login, tmp_path):
    token = token_of(upload(login(world.counselor), counselor_roster(tmp_path)))
    response = login(world.leader).post(URL, {"token": token, "kind": "roster"}, follow=True)
    assert "导入文件已过期" in response.content.decode()
    for forged in ["../../etc/passwd", f"{world.leader.user.pk}-../x.csv"]:
        response = login(world.leader).post(URL, {"token": forged, "kind": "roster"}, follow=True)
        assert "导入文件已过期" in response.content.decode()
    assert not Student.objects.filter(student_no="A2009").exists()


def test_errors_are_shown_in_chinese_with_row_and_column(world, login, tmp_path):
    rows = [
        r.student("A2009", "新同学", 学院="化工学院", 班级="化工2402", 性别="M"),
        r.student("A2010", "", 学院="化工学院", 班级="化工2402", 手机号="12345"),
    ]
    headers = ["学号", "姓名", "性别", "学院", "班级", "手机号"]
    client = login(world.counselor)
    response = upload(client, r.write_xlsx(tmp_path / "bad.xlsx", rows, headers=headers))
    text = response.content.decode()
    assert "有错误" in text and "未写入任何数据" in text and "确认导入" not in text
    assert 'id="count-rejected">2<' in text
    assert "<td>2</td><td>性别</td><td>性别应为“男”或“女”，而不是“M”</td>" in text
    assert "<td>3</td><td>姓名</td><td>姓名不能为空</td>" in text
    assert "<td>3</td><td>手机号</td>" in text
    assert not Student.objects.filter(student_no__in=["A2009", "A2010"]).exists()


def test_a_counselor_sees_students_outside_their_classes_refused(world, login, tmp_path):
    rows = [r.student("B1002", "王五", 学院="机械学院", 班级="机械2401")]
    headers = ["学号", "姓名", "性别", "学院", "班级"]
    response = upload(login(world.counselor), r.write_csv(tmp_path / "b.csv", rows, headers=headers))
    assert "不在您管理的班级或学院内" in response.content.decode()
    assert response.context["token"] == ""


def test_only_xlsx_and_csv_are_accepted(world, login):
    data = SimpleUploadedFile("名册.xls", b"not really")
    response = login(world.counselor).post(URL, {"kind": "roster", "file": data})
    assert "只支持 .xlsx 或 .csv 文件" in response.content.decode()


def test_staff_import_through_the_page(world, login, tmp_path):
    rows = [
        {
            "工号": "C0009",
            "姓名": "新辅导员",
            "角色": "辅导员",
            "学院": "化工学院",
            "负责班级": "化工2402",
            "手机号": "",
        }
    ]
    client = login(world.leader)
    preview = upload(client, r.write_xlsx(tmp_path / "staff.xlsx", rows), kind="staff")
    assert preview.context["result"].new == 1
    response = client.post(URL, {"token": token_of(preview), "kind": "staff"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("grid:posts")
    assert (
        Post.objects.current().get(kind=PostKind.COUNSELOR, school_class=world.class_a2).staff.staff_no
        == "C0009"
    )
    assert not Staff.objects.get(staff_no="C0009").user.has_usable_password()


@pytest.mark.parametrize("kind,columns", [("roster", ROSTER_COLUMNS), ("staff", STAFF_COLUMNS)])
def test_template_download(world, login, kind, columns):
    response = login(world.counselor).get(reverse("grid:import-template", args=[kind]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == [c.header for c in columns]
    assert len(rows) >= 2  # an example row


def test_the_roster_template_imports_as_it_is(world, login, tmp_path):
    response = login(world.office).get(reverse("grid:import-template", args=["roster"]))
    path = tmp_path / "template.xlsx"
    path.write_bytes(response.content)
    preview = upload(login(world.office), path)
    assert preview.context["result"].ok, preview.context["result"].errors
    assert preview.context["result"].new == 1


def test_unknown_template_is_404(world, login):
    assert login(world.counselor).get("/grid/import/template/other.xlsx").status_code == 404
