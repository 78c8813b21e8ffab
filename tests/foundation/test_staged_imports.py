"""Staged import files (issue 11.8): a file waiting between preview and confirmation
holds personal data; it is deleted on confirmation, on cancellation, when the request
fails, and by `tick` once it is older than IMPORT_STAGED_MAX_AGE_SECONDS (1 hour)."""

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from campusgrid.core import clock
from campusgrid.core.tick import run_due
from campusgrid.dossiers.models import ScreeningResult
from campusgrid.org.models import Semester
from campusgrid.people.models import Student
from tests.grid import rosters as r

pytestmark = pytest.mark.django_db

URL = "/grid/import/"
SEMESTER = "2026-2027学年第一学期"


def staged():
    folder = Path(settings.MEDIA_ROOT) / "imports"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def roster(tmp_path):
    rows = [r.student("A2009", "新同学", 学院="化工学院", 班级="化工2402", 楼栋="东1", 寝室号="303")]
    path = r.write_csv(
        tmp_path / "r.csv", rows, headers=["学号", "姓名", "性别", "学院", "班级", "楼栋", "寝室号"]
    )
    return SimpleUploadedFile(path.name, path.read_bytes())


def preview(client, tmp_path):
    response = client.post(URL, {"kind": "roster", "file": roster(tmp_path)})
    assert response.status_code == 200 and response.context["token"], response.content.decode()[:500]
    return response.context["token"]


@pytest.fixture(autouse=True)
def _empty_folder():
    for name in staged():
        (Path(settings.MEDIA_ROOT) / "imports" / name).unlink()


def test_a_preview_left_alone_is_deleted_by_tick_after_an_hour(world, login, tmp_path, travel):
    start = travel(clock.now())
    client = login(world.counselor)
    token = preview(client, tmp_path)
    assert staged() == [token]
    run_due(start + dt.timedelta(minutes=59))
    assert staged() == [token]  # still within the hour: the counselor may confirm
    assert run_due(start + dt.timedelta(minutes=61))["core.expire_staged_imports"] == 1
    assert staged() == []
    travel(start + dt.timedelta(minutes=62))
    client = login(world.counselor)  # an hour idle signed the counselor out
    late = client.post(URL, {"token": token, "kind": "roster"}, follow=True)
    assert "导入文件已过期" in late.content.decode()
    assert not Student.objects.filter(student_no="A2009").exists()


def test_an_expired_file_is_refused_even_before_tick_runs(world, login, tmp_path, travel, settings):
    settings.IMPORT_STAGED_MAX_AGE_SECONDS = 600
    start = travel(clock.now())
    client = login(world.counselor)
    token = preview(client, tmp_path)
    travel(start + dt.timedelta(minutes=11))
    late = client.post(URL, {"token": token, "kind": "roster"}, follow=True)
    assert "导入文件已过期" in late.content.decode() and staged() == []


def test_confirm_and_cancel_delete_the_file(world, login, tmp_path):
    client = login(world.counselor)
    token = preview(client, tmp_path)
    assert client.post(URL, {"token": token, "kind": "roster"}).status_code == 302
    assert Student.objects.filter(student_no="A2009").exists() and staged() == []
    token = preview(client, tmp_path)
    page = client.post(URL, {"token": token, "kind": "roster", "cancel": "1"}, follow=True)
    assert "已取消导入" in page.content.decode() and staged() == []


def test_another_user_cannot_cancel_a_file(world, login, tmp_path):
    token = preview(login(world.counselor), tmp_path)
    login(world.leader).post(URL, {"token": token, "kind": "roster", "cancel": "1"})
    assert staged() == [token]


def test_a_request_that_fails_leaves_no_file(world, login, tmp_path, monkeypatch):
    from campusgrid.grid import imports

    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(imports, "import_roster", broken)
    with pytest.raises(RuntimeError):
        login(world.counselor).post(URL, {"kind": "roster", "file": roster(tmp_path)})
    assert staged() == []


def test_the_screening_import_deletes_its_files_too(world, login, tmp_path, travel):
    Semester.objects.create(name=SEMESTER, start="2026-09-01", end="2027-01-20")
    start = travel(clock.now())
    client = login(world.counselor)
    path = tmp_path / "s.csv"
    path.write_text("学号,姓名,量表,总分,标记,危机\nA1002,张三,UPI,12,,否\n", encoding="utf-8")
    url = reverse("dossiers:screening-import")

    def upload():
        response = client.post(
            url, {"semester": SEMESTER, "file": SimpleUploadedFile("s.csv", path.read_bytes())}
        )
        assert response.context["token"]
        return response.context["token"]

    token = upload()
    assert staged() == [token]
    client.post(url, {"token": token, "semester": SEMESTER, "cancel": "1"})
    assert staged() == [] and not ScreeningResult.objects.exists()
    token = upload()
    run_due(start + dt.timedelta(hours=2))
    assert staged() == []
