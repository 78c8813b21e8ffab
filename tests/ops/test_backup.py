"""The backup/restore drill on both engines: build a demo college, back it up while a
writer is active, restore into a fresh database, compare every table's row count and a
sample of decrypted fields, and log in. Runs the real commands in their own processes."""

import json
import os
import shutil
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import pytest
from django.conf import settings

WRITER = """
import time
from campusgrid.core.models import AuditEvent
deadline = time.monotonic() + 60
while time.monotonic() < deadline:
    AuditEvent.objects.create(verb="drill.write", target_type="drill", target_id="1")
    time.sleep(0.01)
"""

CHECK = """
from django.contrib.auth import authenticate
from django.test import RequestFactory
from campusgrid.people.models import Student
request = RequestFactory().post("/accounts/login/", HTTP_HOST="127.0.0.1")  # axes wants the request
user = authenticate(request=request, username="T01001", password="demo1234")
assert user is not None, "demo login failed"
sample = [s.id_number for s in Student.objects.exclude(id_number="")[:50]]
assert sample and all(len(n) == 18 for n in sample), sample[:3]
print("login ok", len(sample))
"""


def _env(data_dir: Path, database_url: str | None) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env["CAMPUSGRID_DATA_DIR"] = str(data_dir)
    env["CAMPUSGRID_TICK_SECONDS"] = "0"
    env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
    env["DJANGO_SETTINGS_MODULE"] = "campusgrid.settings.base"
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def _cg(env: dict, *args: str, check=True) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "-m", "campusgrid", *args], env=env, capture_output=True, text=True, timeout=300
    )
    if check:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


def _drill(tmp_path: Path, source_url: str | None, target_url: str | None):
    source_dir, target_dir = tmp_path / "source", tmp_path / "target"
    source = _env(source_dir, source_url)
    _cg(source, "migrate", "--noinput")
    _cg(source, "demo", "--students", "300")
    (source_dir / "uploads" / "reports").mkdir(parents=True, exist_ok=True)
    (source_dir / "uploads" / "reports" / "photo.jpg").write_bytes(b"\xff\xd8 not really a photo")
    archive = tmp_path / "drill.tar.gz"
    writer = subprocess.Popen(
        [sys.executable, "-m", "campusgrid", "shell", "-c", WRITER],
        env=source,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        out = _cg(source, "backup", "--out", str(archive))
    finally:
        writer.terminate()
        writer.wait(timeout=30)
    assert "已备份到" in out.stdout
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.loads(tar.extractfile("manifest.json").read())
    assert "uploads/reports/photo.jpg" in names
    assert not any("field_key" in n or "secret_key" in n for n in names)  # keys never in the archive
    assert manifest["tables"]["people_student"] == 300
    assert manifest["schema"]["people"]

    # a fresh server: the keys are restored separately (as the README says), not from the archive
    target_dir.mkdir()
    target = _env(target_dir, target_url)
    for key_file in ("field_key", "secret_key"):
        shutil.copy(source_dir / key_file, target_dir / key_file)
    restored = _cg(target, "restore", str(archive))
    assert "已恢复" in restored.stdout, restored.stdout + restored.stderr
    assert (target_dir / "uploads" / "reports" / "photo.jpg").exists()
    assert "login ok" in _cg(target, "shell", "-c", CHECK).stdout
    # restoring again into the now non-empty database is refused, and changes nothing
    again = _cg(target, "restore", str(archive), check=False)
    assert again.returncode != 0 and "不是空的" in again.stderr

    # without the keys the restore is refused before it writes anything
    other_dir = tmp_path / "other"
    other = _env(other_dir, None if target_url is None else target_url.rsplit("/", 1)[0] + "/" + _other_db())
    if target_url is not None:
        _createdb(other["DATABASE_URL"])
    refused = _cg(other, "restore", str(archive), check=False)
    assert refused.returncode != 0 and "无法解密" in refused.stderr
    return other.get("DATABASE_URL")


@pytest.mark.engine_free  # its own SQLite databases, whatever the suite runs on
def test_backup_and_restore_drill_on_sqlite(tmp_path):
    _drill(tmp_path, None, None)


def _other_db() -> str:
    return f"cg_drill_{uuid.uuid4().hex[:8]}"


def _psql(sql: str) -> None:
    db = settings.DATABASES["default"]
    subprocess.run(
        ["psql", "-h", db["HOST"], "-p", str(db["PORT"]), "-U", db["USER"], "-d", "postgres", "-qc", sql],
        check=True,
        capture_output=True,
    )


def _createdb(url: str) -> None:
    _psql(f'CREATE DATABASE "{url.rsplit("/", 1)[1]}"')


@pytest.mark.postgres
def test_backup_and_restore_drill_on_postgresql(tmp_path):
    db = settings.DATABASES["default"]
    base = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}"
    names = [_other_db(), _other_db()]
    for name in names:
        _psql(f'CREATE DATABASE "{name}"')
    extra = None
    try:
        extra = _drill(tmp_path, f"{base}/{names[0]}", f"{base}/{names[1]}")
    finally:
        if extra:
            names.append(extra.rsplit("/", 1)[1])
        for name in names:
            _psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_scheduled_backup_runs_once_a_day_and_keeps_the_newest(settings, tmp_path):
    import datetime as dt

    from django.utils import timezone

    from campusgrid.core.backup import scheduled_backup

    settings.CAMPUSGRID_BACKUP_TIME = "03:30"
    settings.CAMPUSGRID_BACKUP_KEEP = 2
    settings.CAMPUSGRID_BACKUP_DIR = tmp_path
    day = timezone.make_aware(dt.datetime(2026, 12, 1, 3, 0))
    assert scheduled_backup(day) == 0
    assert scheduled_backup(day + dt.timedelta(minutes=31)) == 1
    assert scheduled_backup(day + dt.timedelta(hours=5)) == 0  # once a day
    for days in (1, 2, 3):
        assert scheduled_backup(day + dt.timedelta(days=days, minutes=40)) == 1
    kept = sorted(p.name for p in tmp_path.glob("campusgrid-*.tar.gz"))
    assert kept == ["campusgrid-20261203-034000.tar.gz", "campusgrid-20261204-034000.tar.gz"]
