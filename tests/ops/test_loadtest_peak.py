"""`campusgrid loadtest --profile evening-peak`: the arrival curve, and the same answer at
any hour (the server runs on a clock pinned to the night's opening time)."""

import datetime as dt
import random
import time

import pytest
from django.urls import reverse
from django.utils import timezone

from campusgrid.core import clock
from campusgrid.demo import peak
from campusgrid.demo.loadtest_wsgi import running_clock
from campusgrid.ledgers import services
from campusgrid.ledgers.models import NightCheck

pytestmark = pytest.mark.django_db


def university(**kw) -> peak.Plan:
    """The 50,000-student demo's figures: 11,538 occupied rooms, 348 counselors, 88 leaders."""
    values = {
        "night": dt.date(2026, 12, 1),
        "start": timezone.make_aware(dt.datetime(2026, 12, 1, 21, 0)),
        "seconds": 20 * 60,
        "rooms_total": 11538,
        "counselors": 348,
        "leaders": 88,
        "students": 150,
    }
    values.update(kw)
    return peak.Plan(**values)


def test_the_curve_checks_every_room_once_in_twenty_minutes_peaking_near_40_per_second(world):
    p = university()
    assert sum(peak.CURVE) == pytest.approx(1.0, abs=0.001)
    rooms = sum(p.room_rate(s + 0.5) for s in range(p.seconds))
    assert rooms == pytest.approx(11538, rel=0.01)  # ~23,000 requests from dorm heads
    per_minute = [p.planned_rps(m * 60 + 30) for m in range(20)]
    assert max(per_minute) == pytest.approx(40, abs=3)  # the issue's ~40/s at the peak minute
    assert per_minute.index(max(per_minute)) in (3, 4)
    mean_dorm_heads = rooms * peak.REQUESTS_PER_ROOM / p.seconds
    assert mean_dorm_heads == pytest.approx(19, abs=1)
    assert per_minute[19] < per_minute[0] < per_minute[3]  # a steep rise and a long tail


def test_arrivals_follow_the_curve_and_a_steady_rate(world):
    p = university(seconds=10 * 60)
    times = peak.arrival_times(p, random.Random(1))
    for minute in range(10):
        got = sum(1 for t in times if minute * 60 <= t < (minute + 1) * 60)
        want = 11538 * peak.CURVE[minute]
        assert got == pytest.approx(want, rel=0.12), minute
    steady = university(seconds=300, rate=40)
    # 40 req/s in all: the watchers' share, the rest in rooms of two requests each
    assert steady.watcher_rate() == pytest.approx(348 / 45 + 88 / 210 + 150 / 120)
    n = len(peak.arrival_times(steady, random.Random(2)))
    assert n == pytest.approx((40 - steady.watcher_rate()) / 2 * 300, rel=0.05)


def test_a_run_later_in_the_curve_starts_further_along_it(world):
    p = university(start=timezone.make_aware(dt.datetime(2026, 12, 1, 21, 10)), seconds=60)
    assert p.start_minute == 10
    assert p.room_rate(0) == pytest.approx(11538 * peak.CURVE[10] / 60)


@pytest.mark.parametrize(
    "now,night",
    [
        ((2026, 12, 2, 3, 47), dt.date(2026, 12, 1)),  # after midnight: still last night
        ((2026, 12, 2, 7, 59), dt.date(2026, 12, 1)),  # a run that crosses the 08:00 cut-off
        ((2026, 12, 2, 12, 0), dt.date(2026, 12, 2)),  # daytime: the check has not opened
        ((2026, 12, 1, 21, 30), dt.date(2026, 12, 1)),
    ],
)
def test_the_same_answer_at_any_hour(world, travel, login, now, night):
    travel(timezone.make_aware(dt.datetime(*now)))
    p = peak.plan(seconds=300)
    assert p.night == night
    assert clock.local(p.start) == timezone.make_aware(dt.datetime.combine(night, dt.time(21, 0)))
    # The load test's server: its clock is the night's opening time plus the seconds
    # since the run began: here 4 min 50 s into the run.
    travel(None)
    server_now = running_clock(f"{p.start.isoformat()}@{time.time() - 290}")
    real_now = clock.now
    clock.now = server_now
    try:
        assert clock.local(clock.now()).strftime("%H:%M") == "21:04"
        client = login(world.dorm_head)
        url = reverse("ledgers:night-check", args=[world.room_a1.pk])
        page = client.get(url).content.decode()
        assert "开始。</div>" not in page and "已过更正截止时间" not in page
        response = client.post(url, {}, HTTP_HX_REQUEST="true")
        assert 'id="night-saved"' in response.content.decode()
        # and through the service the API uses, with the submission's date as the load test sends it
        check = services.night_check_submit(actor=world.dorm_head.user, room=world.room_a1, date=p.night)
    finally:
        clock.now = real_now
    assert NightCheck.objects.get(pk=check.pk).date == night


def test_without_the_pinned_clock_those_hours_refuse_a_dorm_head(world, travel):
    """What the pinned clock avoids: at noon tonight's check has not opened."""
    travel(timezone.make_aware(dt.datetime(2026, 12, 2, 12, 0)))
    p = peak.plan(seconds=300)
    from campusgrid.core.errors import ServiceError

    with pytest.raises(ServiceError, match="21:00开始"):
        services.night_check_submit(actor=world.dorm_head.user, room=world.room_a1, date=p.night)


def test_a_frozen_clock_still_wins_over_the_running_one(world):
    moment = timezone.make_aware(dt.datetime(2026, 12, 1, 21, 0))
    now = running_clock(f"{moment.isoformat()}@{time.time()}")
    assert abs((now() - moment).total_seconds()) < 5
    other = timezone.make_aware(dt.datetime(2030, 1, 1, 12, 0))
    with clock.frozen_at(other):
        assert now() == other


class _Response:
    def __init__(self, status, text="", headers=None):
        self.status_code, self.text, self.headers = status, text, headers or {}


def test_errors_are_counted_by_kind(world):
    assert peak.error_kind(_Response(200, "ok")) is None
    assert (
        peak.error_kind(
            _Response(400, '<div class="alert" id="night-error">不能提前登记以后日期的查寝</div>')
        )
        == "400 不能提前登记以后日期的查寝"
    )
    assert peak.error_kind(_Response(302, headers={"Location": "/accounts/login/"})).startswith("302 跳转")
    assert (
        peak._submitted(_Response(200, '<div id="night-error">今晚查寝21:00开始</div>'))
        == "200 今晚查寝21:00开始"
    )
    tally = peak.Tally()
    tally.add("提交查寝", 1.0, 0.2, "400 不能提前登记以后日期的查寝")
    tally.add("提交查寝", 2.0, 0.2, "400 不能提前登记以后日期的查寝")
    tally.add("提交查寝", 3.0, 0.2, "ReadTimeout")
    tally.add("查寝页面", 3.0, 0.1, None)
    assert tally.kinds == {"提交查寝: 400 不能提前登记以后日期的查寝": 2, "提交查寝: ReadTimeout": 1}
    assert tally.errors == {"提交查寝": 3}


def test_sessions_are_written_on_the_pinned_clock_and_removed_after(world, client):
    from django.contrib.sessions.models import Session

    start = timezone.make_aware(dt.datetime(2026, 12, 1, 21, 0))
    person = peak.Person("dorm_head", world.dorm_head.user.pk, world.room_a1.pk)
    keys = peak.sign_in([person], start)
    clock.set_now(start + dt.timedelta(minutes=3))
    for name, value in person.cookies.items():
        client.cookies[name] = value
    assert client.get(reverse("ledgers:night-check", args=[world.room_a1.pk])).status_code == 200
    peak.sign_out(keys)
    assert not Session.objects.filter(session_key__in=keys).exists()


def test_cpu_per_request_counts_the_servers_process_group(world):
    import subprocess
    import sys

    burner = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import time\nt=time.process_time()\nwhile time.process_time()-t<0.4: pass\ntime.sleep(30)",
        ],
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 20
        while peak.group_cpu_seconds(burner.pid) < 0.35 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert peak.group_cpu_seconds(burner.pid) >= 0.35
    finally:
        burner.kill()
        burner.wait()
    tally = peak.Tally()
    for i in range(10):
        tally.add("查寝页面", i, 0.1, None if i else "ReadTimeout")
    figures = peak.cpu_figures({"app": 0.9, "postgresql": 0.45, "load_generator": 0.45}, 10, tally)
    assert figures["ms_per_answered_request"] == {"app": 100.0, "postgresql": 50.0, "load_generator": 50.0}
    assert figures["two_idle_cores_rps"] == 10.0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_run_folds_the_change_counters_every_minute_as_tick_does(monkeypatch):
    from django.db.models import Sum

    from campusgrid.core import fingerprint
    from campusgrid.core.models import TableChange

    monkeypatch.setattr(fingerprint, "COMPACT_FROM", 10)
    TableChange.objects.bulk_create(TableChange(table="ledgers_nightcheck") for _ in range(40))
    before = TableChange.objects.filter(table="ledgers_nightcheck").aggregate(n=Sum("weight"))["n"]
    with peak.compacting(every=0.05):
        time.sleep(0.6)  # no reads while the fold runs: SQLite's shared test database locks the table
    rows = TableChange.objects.filter(table="ledgers_nightcheck")
    assert rows.count() == 1
    assert rows.aggregate(n=Sum("weight"))["n"] == before


@pytest.mark.postgres
def test_the_database_cpu_counts_a_backend_that_has_closed_in_postgresql():
    """The run's PostgreSQL CPU is the whole server's, read before and after: a connection that
    burned CPU and closed during the run (CONN_MAX_AGE) is still counted, by its postmaster."""
    import psycopg
    from django.db import connection

    before = peak.database_cpu_seconds()
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    with psycopg.connect(**params) as other:
        deadline = time.monotonic() + 20
        while peak.database_cpu_seconds() - before < 0.3 and time.monotonic() < deadline:
            other.execute("SELECT sum(g) FROM generate_series(1, 2000000) g").fetchone()
    time.sleep(0.5)  # the postmaster reaps the closed backend
    assert peak.database_cpu_seconds() - before >= 0.3
    busy, total = peak.machine_busy()
    time.sleep(0.2)
    busy2, total2 = peak.machine_busy()
    assert busy2 >= busy and total2 > total


def test_the_peak_warns_when_the_database_server_does_not_vacuum():
    """A server with autovacuum = off (these machines' PostgreSQL) keeps the peak's dead rows:
    the load test says so before it starts. SQLite has nothing to say."""
    from django.db import connection

    from campusgrid.demo.management.commands.loadtest import autovacuum_warning

    warning = autovacuum_warning()
    if connection.vendor != "postgresql":
        assert warning == ""
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT setting FROM pg_settings WHERE name = 'autovacuum'")
        (setting,) = cursor.fetchone()
    assert ("autovacuum" in warning and "VACUUM (ANALYZE)" in warning) == (setting == "off")
