import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from campusgrid.core.crypto import digest
from campusgrid.core.validators import id_number_problem, mask_id_number, mask_phone, mobile_problem
from campusgrid.people.models import Student

pytestmark = pytest.mark.django_db


def test_id_number_check_digit_follows_gb11643():
    assert id_number_problem("11010519491231002X") is None
    assert id_number_problem("110101200501011239") is None
    assert "校验位" in id_number_problem("110101200501011238")
    assert "出生日期" in id_number_problem("110101200513011239")
    assert "18位" in id_number_problem("1101012005")


def test_mobile_and_masks():
    assert mobile_problem("13812345678") is None
    assert mobile_problem("23812345678")
    assert mask_id_number("110101200501011239") == "110***********1239"
    assert mask_phone("13812345678") == "138****5678"


def test_login_page_is_chinese(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    text = response.content.decode()
    assert 'lang="zh-hans"' in text
    assert "学号 / 工号" in text and "登录" in text


def test_pages_require_login(client):
    response = client.get(reverse("people:students"))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_login_with_password_lands_on_home(client, world):
    from tests.factories import PASSWORD

    response = client.post("/accounts/login/", {"username": "C0001", "password": PASSWORD}, follow=True)
    assert response.status_code == 200
    assert "我的工作台" in response.content.decode()


def test_wrong_password_is_refused_in_chinese(client, world):
    response = client.post("/accounts/login/", {"username": "C0001", "password": "nope"})
    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode()


def test_admin_is_chinese(client, world):
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("root", password="x-y-z-123456")
    client.force_login(admin)
    text = client.get("/admin/").content.decode()
    assert "学生" in text and "网格职务" in text


def test_healthz(client):
    from campusgrid.core.tick import run_due

    run_due()
    assert client.get("/healthz").json()["status"] == "ok"


def test_id_number_is_ciphertext_in_the_database(world):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number FROM people_student WHERE student_no = %s", ["A1002"])
        raw = cursor.fetchone()[0]
    assert raw.startswith("enc1:") and "110101" not in raw
    student = Student.objects.get(student_no="A1002")
    assert student.id_number == "110101200501011239"
    assert student.id_number_digest == digest("110101200501011239")


def test_schema_and_docs_are_served_without_a_cdn(client, world):
    client.force_login(world.counselor.user)
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/students/" in schema.content
    docs = client.get("/api/docs/").content.decode()
    assert "cdn" not in docs.lower() and "jsdelivr" not in docs.lower()


def test_static_vendor_files_are_served(client, world):
    client.force_login(world.counselor.user)
    page = client.get("/students/").content.decode()
    for path in ["vendor/bootstrap/css/bootstrap.min.css", "vendor/htmx/htmx.min.js"]:
        assert f"/static/{path}" in page
    assert "http://" not in page.split("<body")[0] and "https://" not in page.split("<body")[0]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_demo_is_deterministic_and_complete(tmp_path):  # transactional: --replace flushes the database
    call_command("demo", "--students", "120", "--seed", "5", stdout=io.StringIO())
    first = list(
        Student.objects.order_by("student_no").values_list("student_no", "name", "bed__room__number")
    )
    assert len(first) == 120
    buffer = io.StringIO()
    call_command("demo", "--students", "120", "--seed", "5", "--replace", stdout=buffer)
    second = list(
        Student.objects.order_by("student_no").values_list("student_no", "name", "bed__room__number")
    )
    assert first == second
    out = buffer.getvalue()
    assert "demo1234" in out and "辅导员" in out
    # the build's change-counter rows are folded: one row a table, as after the first tick
    from campusgrid.core.models import TableChange

    tables = TableChange.objects.values("table").distinct().count()
    assert 0 < TableChange.objects.count() == tables


def test_coverage_command_json(tmp_path, capsys):
    call_command("demo", "--students", "120", stdout=io.StringIO())
    with pytest.raises(SystemExit) as exit_info:
        call_command("coverage", "--json")
    assert exit_info.value.code == 1  # the demo has a few true holes
    data = json.loads(capsys.readouterr().out)
    assert data["students_total"] > 100
    kinds = {g["kind"] for g in data["gaps"]}
    assert {"student_without_room", "class_without_monitor", "room_without_dorm_head"} <= kinds


def test_check_deploy_passes_with_the_production_settings(tmp_path):
    import os
    import secrets
    import subprocess
    import sys

    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="campusgrid.settings.production",
        SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="grid.example.edu.cn",
        CAMPUSGRID_DATA_DIR=str(tmp_path),
    )
    env.pop("DEBUG", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser tests in this process
    done = subprocess.run(
        [sys.executable, "-m", "campusgrid", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout
