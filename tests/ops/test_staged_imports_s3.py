"""Staged imports on shared storage: with CAMPUSGRID_STORAGE=s3 the file waiting between
preview and confirmation is an object in the bucket (moto's S3 server on a loopback
port), so the preview made on one app server is confirmed on another — each server
with its own data folder and its own storage client."""

import datetime as dt

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from campusgrid.core import clock
from campusgrid.core.tick import run_due
from campusgrid.people.models import Student
from tests.grid import rosters as r
from tests.ops.test_storage import s3_server  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db

URL = "/grid/import/"


def s3_storages(settings, endpoint: str) -> dict:
    return {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": "campusgrid",
                "endpoint_url": endpoint,
                "access_key": "k",
                "secret_key": "s",
                "region_name": "us-east-1",
                "location": "campusgrid",
                "default_acl": "private",
                "file_overwrite": False,
                "addressing_style": "path",
            },
        },
    }


@pytest.fixture
def servers(settings, s3_server, tmp_path):  # noqa: F811
    """server(name) makes this process act as app server `name`: its own data folder and a
    new storage client (settings.STORAGES reassigned: Django builds the storage anew)."""
    endpoint, client = s3_server

    def server(name):
        (tmp_path / name).mkdir(exist_ok=True)
        settings.DATA_DIR = tmp_path / name
        settings.MEDIA_ROOT = tmp_path / name / "uploads"
        settings.STORAGES = s3_storages(settings, endpoint)
        return default_storage._wrapped if hasattr(default_storage, "_wrapped") else default_storage

    def keys():
        return [o["Key"] for o in client.list_objects_v2(Bucket="campusgrid").get("Contents", [])]

    server.keys = keys
    server.root = tmp_path
    yield server
    for key in keys():  # moto keeps its buckets for the whole process
        client.delete_object(Bucket="campusgrid", Key=key)


def roster(tmp_path, number="A2009"):
    rows = [r.student(number, "新同学", 学院="化工学院", 班级="化工2402", 楼栋="东1", 寝室号="303")]
    path = r.write_csv(
        tmp_path / f"{number}.csv", rows, headers=["学号", "姓名", "性别", "学院", "班级", "楼栋", "寝室号"]
    )
    return SimpleUploadedFile(path.name, path.read_bytes())


def preview(client, tmp_path, number="A2009"):
    response = client.post(URL, {"kind": "roster", "file": roster(tmp_path, number)})
    assert response.status_code == 200 and response.context["token"], response.content.decode()[:500]
    return response.context["token"]


def test_a_preview_on_one_server_is_confirmed_on_another(world, login, servers, tmp_path):
    servers("a")
    client = login(world.counselor)
    token = preview(client, tmp_path)
    assert servers.keys() == [f"campusgrid/imports/{token}"]
    assert (servers.root / "a" / "import-work" / token).is_file()  # server a's working copy
    assert not Student.objects.filter(student_no="A2009").exists()

    servers("b")  # the load balancer sends the confirmation to the other server
    assert not (servers.root / "b" / "import-work" / token).exists()
    response = client.post(URL, {"token": token, "kind": "roster"})
    assert response.status_code == 302, response.content.decode()[:500]
    assert Student.objects.filter(student_no="A2009").exists()
    assert servers.keys() == []  # confirmed: gone from the bucket
    assert not (servers.root / "b" / "import-work" / token).exists()

    servers("a")  # a's working copy goes as soon as a is asked for the token again
    again = client.post(URL, {"token": token, "kind": "roster"}, follow=True)
    assert "导入文件已过期" in again.content.decode()
    assert not (servers.root / "a" / "import-work" / token).exists()


def test_cancel_on_another_server_and_another_users_token(world, login, servers, tmp_path):
    servers("a")
    token = preview(login(world.counselor), tmp_path)
    servers("b")
    login(world.leader).post(URL, {"token": token, "kind": "roster", "cancel": "1"})
    assert servers.keys() == [f"campusgrid/imports/{token}"]  # not the leader's to cancel
    stolen = login(world.leader).post(URL, {"token": token, "kind": "roster"}, follow=True)
    assert "导入文件已过期" in stolen.content.decode()
    assert not Student.objects.filter(student_no="A2009").exists()
    page = login(world.counselor).post(URL, {"token": token, "kind": "roster", "cancel": "1"}, follow=True)
    assert "已取消导入" in page.content.decode() and servers.keys() == []


def test_tick_on_any_server_expires_the_bucket_files(world, login, servers, tmp_path, travel):
    start = travel(clock.now())
    servers("a")
    client = login(world.counselor)
    token = preview(client, tmp_path)
    servers("b")
    assert run_due(start + dt.timedelta(minutes=59))["core.expire_staged_imports"] == 0
    assert servers.keys() == [f"campusgrid/imports/{token}"]
    assert run_due(start + dt.timedelta(minutes=61))["core.expire_staged_imports"] == 1
    assert servers.keys() == []
    servers("a")
    run_due(start + dt.timedelta(minutes=62))  # a's own tick removes its working copy
    assert not (servers.root / "a" / "import-work" / token).exists()


def test_a_refused_preview_leaves_nothing_in_the_bucket(world, login, servers, tmp_path):
    servers("a")
    bad = SimpleUploadedFile("bad.csv", "学号,姓名\n,\n".encode())
    response = login(world.counselor).post(URL, {"kind": "roster", "file": bad})
    assert response.status_code == 200 and not response.context.get("token")
    assert servers.keys() == []
    assert list((servers.root / "a" / "import-work").iterdir()) == []
