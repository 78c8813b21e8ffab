"""/healthz in its healthy and unhealthy states, the request log, and `tick` running
once at a time across processes (servers)."""

import datetime as dt
import fcntl
import json
import logging
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection, connections
from django.utils import timezone

from campusgrid.core.models import TickRun
from campusgrid.core.requestlog import JsonFormatter
from campusgrid.core.tick import run_due
from campusgrid.notifications.models import Delivery
from campusgrid.reports import services
from campusgrid.reports.models import ReportEvent
from tests import world as world_module

pytestmark = pytest.mark.django_db


def test_healthz_needs_a_recent_tick(client):
    body = client.get("/healthz")
    assert body.status_code == 503
    assert body.json()["checks"]["tick"]["ok"] is False
    run_due()
    healthy = client.get("/healthz")
    assert healthy.status_code == 200, healthy.json()
    assert healthy.json()["status"] == "ok"
    assert set(healthy.json()["checks"]) == {"database", "tick", "outbox", "disk"}
    TickRun.objects.update(finished_at=timezone.now() - dt.timedelta(minutes=6))
    stale = client.get("/healthz")
    assert stale.status_code == 503 and stale.json()["checks"]["tick"]["age_seconds"] >= 360


def test_healthz_flags_a_stuck_outbox_and_a_full_disk(client, settings):
    run_due()
    Delivery.objects.create(
        channel=Delivery.Channel.EMAIL,
        email="x@example.edu.cn",
        title="t",
        text="t",
        next_attempt_at=timezone.now() - dt.timedelta(hours=1),
    )
    stuck = client.get("/healthz")
    assert stuck.status_code == 503
    assert stuck.json()["checks"]["outbox"] == {
        "ok": False,
        "pending": 1,
        "oldest_due_seconds": pytest.approx(3600, abs=5),
        "failed_last_day": 0,
    }
    Delivery.objects.all().delete()
    settings.CAMPUSGRID_HEALTH_MIN_FREE_BYTES = 10**18
    full = client.get("/healthz")
    assert full.status_code == 503 and full.json()["checks"]["disk"]["ok"] is False


def test_healthz_carries_no_personal_data(client, world):
    run_due()
    text = client.get("/healthz").content.decode()
    for person in (world.student, world.counselor):
        assert person.name not in text and person.user.username not in text


def test_every_response_has_a_request_id_and_one_log_line(client, world, caplog):
    client.force_login(world.counselor.user)
    with caplog.at_level(logging.INFO, logger="campusgrid.request"):
        response = client.get("/students/", HTTP_X_REQUEST_ID="abcdef123456")
        bad = client.get("/students/", HTTP_X_REQUEST_ID="<script>")
    assert response["X-Request-ID"] == "abcdef123456"
    assert bad["X-Request-ID"] != "<script>" and len(bad["X-Request-ID"]) == 32
    records = [r for r in caplog.records if r.name == "campusgrid.request"]
    assert len(records) == 2
    line = json.loads(JsonFormatter().format(records[0]))
    assert line["request_id"] == "abcdef123456"
    assert line["user_id"] == world.counselor.user.pk
    assert line["status"] == 200 and line["path"] == "/students/" and line["queries"] > 0
    # the user's name and 工号 never reach the log
    assert world.counselor.name not in json.dumps(line, ensure_ascii=False)
    assert world.counselor.user.username not in json.dumps(line, ensure_ascii=False)


class _HeldElsewhere:
    """Hold the tick lock as another process (server) would."""

    def __enter__(self):
        if connection.vendor == "postgresql":
            from campusgrid.core.locks import _key

            self.other = connections.create_connection("default")
            with self.other.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_lock(%s)", [_key("campusgrid-tick")])
        else:
            self.handle = open(settings.DATA_DIR / ".campusgrid-tick.lock", "a+")  # noqa: SIM115
            fcntl.flock(self.handle, fcntl.LOCK_EX)
        return self

    def __exit__(self, *exc):
        if connection.vendor == "postgresql":
            from campusgrid.core.locks import _key

            with self.other.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [_key("campusgrid-tick")])
            self.other.close()
        else:
            fcntl.flock(self.handle, fcntl.LOCK_UN)
            self.handle.close()


def test_tick_skips_while_another_server_runs_it():
    with _HeldElsewhere():
        assert run_due() is None
        assert not TickRun.objects.exists()
    assert run_due() is not None
    assert TickRun.objects.count() == 1


def _tick_process(now: str):
    env = dict(os.environ)
    db = settings.DATABASES["default"]
    env["DATABASE_URL"] = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    env["DJANGO_SETTINGS_MODULE"] = "campusgrid.settings.test"
    env["CAMPUSGRID_DATA_DIR"] = str(settings.DATA_DIR)
    env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
    return subprocess.Popen(
        [sys.executable, "-m", "campusgrid", "tick", "--now", now],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_tick_processes_at_once_run_each_job_once():
    world = world_module.build()
    report = services.report_create(
        actor=world.monitor.user,
        category="安全隐患",
        severity="normal",
        description="两台服务器同时执行定时任务",
        students=[world.student],
    )
    moment = (timezone.localtime(report.created_at) + dt.timedelta(days=2)).isoformat()
    # while a third holds the lock, both skip
    with _HeldElsewhere():
        held = [_tick_process(moment), _tick_process(moment)]
        outputs = [p.communicate(timeout=120) for p in held]
    assert all(p.returncode == 0 for p in held), outputs
    assert all("本次跳过" in out for out, _ in outputs), outputs
    assert not ReportEvent.objects.filter(report=report, action="auto_escalate").exists()
    # two at once: the jobs run once — one escalation, and the runs never overlap
    both = [_tick_process(moment), _tick_process(moment)]
    outputs = [p.communicate(timeout=120) for p in both]
    assert all(p.returncode == 0 for p in both), outputs
    assert ReportEvent.objects.filter(report=report, action="auto_escalate").count() == 1
    runs = list(TickRun.objects.order_by("started_at"))
    assert 1 <= len(runs) <= 2
    if len(runs) == 2:
        assert runs[0].finished_at <= runs[1].started_at
