"""`campusgrid loadtest --profile evening-peak`: 21:00–21:20 at a university.

At a 50,000-student university about 11,500 rooms are checked in the twenty minutes
after the night check opens: each dorm head opens the room's page and submits it
(two requests), most of them in the first minutes. Meanwhile counselors keep
tonight's progress open and refresh it every 30–60 s, leaders look every few
minutes, and some students are on their leave and holiday pages.

The run is open-loop for the dorm heads (rooms arrive on the curve whatever the
server's speed, as people do) and closed-loop for the watchers. The server it starts
runs on a pinned clock: `night`'s opening time plus the seconds since the run began
(see loadtest_wsgi), so the run gives the same answer at any hour of the real day.
The night is the server's own "tonight" by its rule unless `--night` names one.

Everyone is signed in before the run by writing their sessions (with the pinned
clock's times) instead of posting the login form: 5,000 password hashes are no part
of 21:00, and would take the two cores several minutes.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import math
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import F

from campusgrid.core import clock
from campusgrid.demo.bench import percentile

PROFILE = "evening-peak"

# Share of the night's rooms checked in each minute after the opening time (21:00,
# 21:01, …, 21:19; they add up to every room): a steep rise as dorm heads come back, the
# peak at 21:03–21:05 and a long tail. At 11,538 rooms the peak minute is ~990 rooms,
# ~33 req/s from dorm heads, ~42 req/s with the watchers; the dorm heads' mean over the
# twenty minutes is ~19 req/s (23,000 requests).
CURVE = (
    0.045,
    0.075,
    0.084,
    0.086,
    0.086,
    0.083,
    0.078,
    0.072,
    0.066,
    0.060,
    0.054,
    0.048,
    0.042,
    0.036,
    0.030,
    0.024,
    0.012,
    0.009,
    0.006,
    0.004,
)
CURVE_MINUTES = len(CURVE)

# Seconds between two looks, by kind of watcher.
WATCH = {
    "counselor": (30.0, 60.0),  # tonight's progress, refreshed
    "leader": (120.0, 300.0),  # every few minutes
    "student": (60.0, 180.0),  # their leave and holiday pages
}
MARKING = (5.0, 20.0)  # a dorm head between opening the page and tapping 提交
STUDENT_SHARE = 0.003  # of enrolled students on their leave/holiday pages during the peak
REQUESTS_PER_ROOM = 2  # the page and its submit

SAVED_RE = re.compile(r'id="night-saved"')
ERROR_RE = re.compile(r'id="night-error">([^<]*)<')
VERSION_RE = re.compile(r'name="version" value="([^"]*)"')
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def curve_share(minute: float) -> float:
    """Share of the night's rooms checked per minute at `minute` after opening."""
    if minute < 0 or minute >= CURVE_MINUTES:
        return 0.0
    return CURVE[int(minute)]


@dataclass
class Plan:
    night: dt.date
    start: dt.datetime  # the pinned clock's moment when the run begins (aware)
    seconds: int
    rooms_total: int  # occupied rooms of the university: the curve's 100 %
    counselors: int
    leaders: int
    students: int
    rate: float | None = None  # total req/s held steady instead of the curve

    @property
    def start_minute(self) -> float:
        from campusgrid.ledgers.models import LedgerSettings

        opened = LedgerSettings.get().open_moment(self.night)
        return (self.start - opened).total_seconds() / 60

    def watcher_rate(self) -> float:
        """Requests per second the watchers make at the server's ideal speed."""
        return sum(
            n * 2 / (WATCH[kind][0] + WATCH[kind][1])
            for kind, n in (
                ("counselor", self.counselors),
                ("leader", self.leaders),
                ("student", self.students),
            )
        )

    def room_rate(self, elapsed: float) -> float:
        """Rooms per second arriving `elapsed` seconds into the run."""
        if self.rate is not None:
            return max(self.rate - self.watcher_rate(), 0.0) / REQUESTS_PER_ROOM
        return self.rooms_total * curve_share(self.start_minute + elapsed / 60) / 60

    def expected_rooms(self) -> int:
        return math.ceil(sum(self.room_rate(s + 0.5) for s in range(self.seconds)))

    def planned_rps(self, elapsed: float) -> float:
        return self.room_rate(elapsed) * REQUESTS_PER_ROOM + self.watcher_rate()

    def describe(self) -> str:
        peak = max(self.planned_rps(s) for s in range(0, max(self.seconds, 1), 10))
        how = f"恒定 {self.rate} 次/秒" if self.rate is not None else f"到达曲线，最高约 {peak:.0f} 次/秒"
        return (
            f"晚间高峰：{self.night} 晚，服务器时钟固定从 {clock.local(self.start):%H:%M:%S} 起走，"
            f"{self.seconds} 秒，{how}；寝室共 {self.rooms_total} 间，预计查寝 {self.expected_rooms()} 间；"
            f"辅导员 {self.counselors}，学院领导 {self.leaders}，学生 {self.students}"
        )


def plan(
    *,
    seconds: int,
    night: dt.date | None = None,
    start_minute: float = 0.0,
    rate: float | None = None,
    watchers: float = 1.0,
    now: dt.datetime | None = None,
) -> Plan:
    """The run's night, pinned start and population, read from the database.

    `night` defaults to the server's own "tonight" at `now` (after midnight that is
    still yesterday's evening), so the submissions' date is the server's date at any
    hour; the clock starts `start_minute` minutes after that night's opening time.
    """
    from campusgrid.grid.models import Post, PostKind
    from campusgrid.ledgers.models import LedgerSettings
    from campusgrid.people.models import Student, StudentStatus

    settings_row = LedgerSettings.get()
    night = night or settings_row.night_of(now or clock.now())
    start = settings_row.open_moment(night) + dt.timedelta(seconds=round(start_minute * 60))
    current = Post.objects.current().filter(end_date__isnull=True)
    occupied = Student.objects.filter(status=StudentStatus.ENROLLED, bed__isnull=False)
    return Plan(
        night=night,
        start=start,
        seconds=seconds,
        rooms_total=occupied.values("bed__room_id").distinct().count(),
        counselors=round(
            current.filter(kind=PostKind.COUNSELOR).values("staff_id").distinct().count() * watchers
        ),
        leaders=round(current.filter(kind=PostKind.LEADER).values("staff_id").distinct().count() * watchers),
        students=round(
            Student.objects.filter(status=StudentStatus.ENROLLED).count() * STUDENT_SHARE * watchers
        ),
        rate=rate,
    )


# --- who takes part --------------------------------------------------------------------------


@dataclass
class Person:
    kind: str
    user_id: int
    room_id: int = 0
    cookies: dict = field(default_factory=dict)


def people(p: Plan, seed: int) -> tuple[list[Person], list[Person], int]:
    """(dorm heads in arrival order, watchers, rooms already checked that night among the
    dorm heads'). Rooms not yet checked that night come first, so a run on a fresh
    night submits new checks; a re-run of a night corrects checks instead (counted)."""
    from campusgrid.grid.models import Post, PostKind
    from campusgrid.ledgers.models import NightCheck
    from campusgrid.people.models import Student, StudentStatus

    rng = random.Random(seed)
    current = Post.objects.current().filter(end_date__isnull=True)
    heads = {}
    # The dorm head checks the room they hold the post for and sleep in (the service's rule).
    for room_id, user_id in (
        current.filter(kind=PostKind.DORM_HEAD, student__status=StudentStatus.ENROLLED)
        .filter(student__bed__room_id=F("room_id"))
        .values_list("room_id", "student__user_id")
        .order_by("room_id")
    ):
        heads.setdefault(room_id, user_id)
    checked = set(NightCheck.objects.filter(date=p.night).values_list("room_id", flat=True))
    order = sorted(heads)
    rng.shuffle(order)
    order.sort(key=lambda room_id: room_id in checked)  # stable: unchecked first, shuffled
    wanted = min(len(order), p.expected_rooms() + 20)
    dorm_heads = [Person("dorm_head", heads[r], r) for r in order[:wanted]]
    rechecks = sum(1 for person in dorm_heads if person.room_id in checked)

    watchers = []
    for kind, post_kind, n in (
        ("counselor", PostKind.COUNSELOR, p.counselors),
        ("leader", PostKind.LEADER, p.leaders),
    ):
        ids = sorted(set(current.filter(kind=post_kind).values_list("staff__user_id", flat=True)))
        rng.shuffle(ids)
        watchers += [Person(kind, user_id) for user_id in ids[:n]]
    taken = {person.user_id for person in dorm_heads}
    ids = list(
        Student.objects.filter(status=StudentStatus.ENROLLED)
        .order_by("?")
        .values_list("user_id", flat=True)[: p.students * 2]
    )
    watchers += [Person("student", user_id) for user_id in ids if user_id not in taken][: p.students]
    return dorm_heads, watchers, rechecks


def sign_in(persons: list[Person], at: dt.datetime) -> list[str]:
    """Sessions written straight into the session store, as a sign-in at `at` (the pinned
    clock) would leave them; returns their keys for `sign_out`."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from campusgrid.core.sessions import LAST_ACTIVITY, SIGNED_IN_AT

    users = get_user_model().objects.in_bulk([person.user_id for person in persons])
    backend = "campusgrid.core.auth.Backend"
    store = SessionStore()
    rows = []
    expire = timezone.now() + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    for person in persons:
        user = users[person.user_id]
        key = _new_key()
        data = {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: backend,
            HASH_SESSION_KEY: user.get_session_auth_hash(),
            SIGNED_IN_AT: at.timestamp(),
            LAST_ACTIVITY: at.timestamp(),
        }
        rows.append(Session(session_key=key, session_data=store.encode(data), expire_date=expire))
        person.cookies = {settings.SESSION_COOKIE_NAME: key}
    Session.objects.bulk_create(rows, batch_size=1000)
    return [row.session_key for row in rows]


def _new_key() -> str:
    from django.utils.crypto import get_random_string

    return get_random_string(32, "abcdefghijklmnopqrstuvwxyz0123456789")


def sign_out(keys: list[str]) -> None:
    from django.contrib.sessions.models import Session

    for i in range(0, len(keys), 1000):
        Session.objects.filter(session_key__in=keys[i : i + 1000]).delete()


# --- the server on the pinned clock ----------------------------------------------------------


def server_env(**extra: str) -> dict:
    """The environment of a server run to be measured (this run and the load test's): on
    127.0.0.1 over plain HTTP, no tick, warnings only."""
    return dict(
        os.environ,
        DEBUG="0",
        ALLOWED_HOSTS="127.0.0.1",
        CAMPUSGRID_SECURE_COOKIES="0",
        CAMPUSGRID_TICK_SECONDS="0",
        CAMPUSGRID_LOG_LEVEL="WARNING",
        **extra,
    )


def start_server(port: int, workers: int, threads: int, start: dt.datetime) -> subprocess.Popen:
    from campusgrid.core.management.commands.serve import gunicorn_args

    env = server_env(CAMPUSGRID_LOADTEST_CLOCK=f"{start.isoformat()}@{time.time():.3f}")
    args = gunicorn_args(bind=f"127.0.0.1:{port}", workers=workers, threads=threads, access_log=False)
    # The server's own log goes to a file, never to a pipe nobody reads: a full pipe blocks
    # every worker that writes a line.
    from django.conf import settings

    log = open(settings.DATA_DIR / "loadtest-server.log", "ab")  # noqa: SIM115  (the child keeps it)
    try:
        return subprocess.Popen(
            [sys.executable, "-m", "gunicorn", *args, "campusgrid.demo.loadtest_wsgi:application"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log,
            start_new_session=True,
        )
    finally:
        log.close()


# --- the run ---------------------------------------------------------------------------------


@contextlib.contextmanager
def compacting(every: float = 60.0):
    """Fold the change counters once a minute during the run, as the served app's `tick` does
    (core.compact_change_counters): every submit appends counter rows, and a run without the
    fold would measure a table no server lets grow. The other tick jobs are due at fixed times,
    not at 21:00, and are not run."""
    from campusgrid.core import fingerprint

    stop = threading.Event()

    def loop():
        while not stop.wait(every):
            try:
                fingerprint.compact()
            finally:
                connection.close()

    thread = threading.Thread(target=loop, name="compact", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=30)


class Tally:
    """Latencies by request, and errors by request and by kind (status and message)."""

    def __init__(self):
        self.latencies: dict[str, list[float]] = {}
        self.errors: dict[str, int] = {}
        self.kinds: dict[str, int] = {}
        self.started: list[float] = []  # seconds into the run, for the per-minute rate

    def add(self, label: str, began: float, seconds: float, error: str | None) -> None:
        self.latencies.setdefault(label, []).append(seconds * 1000)
        self.started.append(began)
        if error:
            self.errors[label] = self.errors.get(label, 0) + 1
            kind = f"{label}: {error}"
            self.kinds[kind] = self.kinds.get(kind, 0) + 1


_SSL = []


def client_options() -> dict:
    """One TLS context for every client: httpx builds a new one per client otherwise,
    ~0.1 s of CPU each, which would block the event loop for a minute at 600 clients
    (the server is plain HTTP on 127.0.0.1; the context is never used)."""
    import ssl

    if not _SSL:
        _SSL.append(ssl.create_default_context())
    return {"verify": _SSL[0], "trust_env": False}


def error_kind(response) -> str | None:
    """None for a good answer; otherwise a short kind: the status and its Chinese message."""
    if response.status_code >= 400:
        message = ERROR_RE.search(response.text)
        text = message.group(1).strip() if message else response.text[:60].replace("\n", " ")
        return f"{response.status_code} {text}"
    if response.status_code in (301, 302) or response.headers.get("HX-Redirect"):
        return f"{response.status_code} 跳转到 {response.headers.get('Location') or response.headers.get('HX-Redirect')}"
    return None


async def timed(client, tally: Tally, t0: float, label: str, method: str, url: str, check=None, **kw):
    began = time.monotonic()
    try:
        response = await client.request(method, url, **kw)
    except Exception as exc:  # a refused, broken or timed-out connection is an error of the run
        tally.add(label, began - t0, time.monotonic() - began, type(exc).__name__)
        return None
    error = error_kind(response)
    if error is None and check is not None:
        error = check(response)
    tally.add(label, began - t0, time.monotonic() - began, error)
    return response if error is None else None


def _submitted(response) -> str | None:
    if SAVED_RE.search(response.text):
        return None
    message = ERROR_RE.search(response.text)
    return f"{response.status_code} {message.group(1).strip() if message else '未显示“已提交”'}"


async def dorm_head(person: Person, base: str, tally: Tally, t0: float, rng: random.Random, limits) -> None:
    import httpx

    url = f"{base}/ledgers/night/rooms/{person.room_id}/"
    async with httpx.AsyncClient(
        timeout=30, limits=limits, cookies=person.cookies, **client_options()
    ) as client:
        page = await timed(client, tally, t0, "查寝页面", "GET", url)
        if page is None:
            return
        await asyncio.sleep(rng.uniform(*MARKING))
        token = CSRF_RE.search(page.text)
        version = VERSION_RE.search(page.text)
        data = {
            "csrfmiddlewaretoken": token.group(1) if token else "",
            "version": version.group(1) if version else "",
        }
        if rng.random() < 0.1:
            late = re.findall(r'name="s-([^"]+)" id="s-[^"]+-late"', page.text)
            if late:
                data[f"s-{late[-1]}"] = "late"  # back late, just now (the server fills the time)
        await timed(
            client,
            tally,
            t0,
            "提交查寝",
            "POST",
            url,
            check=_submitted,
            data=data,
            headers={"HX-Request": "true", "Referer": url},
        )


async def watcher(
    person: Person, base: str, tally: Tally, t0: float, until: float, rng: random.Random, limits
):
    import httpx

    pause = WATCH[person.kind]
    async with httpx.AsyncClient(
        timeout=30, limits=limits, cookies=person.cookies, **client_options()
    ) as client:
        # Already on the page, refreshing at their own time; none waits past the end.
        await asyncio.sleep(min(rng.uniform(0, pause[1]), max(until - time.monotonic(), 0)))
        while time.monotonic() < until:
            if person.kind == "student":
                if rng.random() < 0.5:
                    await timed(client, tally, t0, "我的请假", "GET", f"{base}/ledgers/leave/")
                else:
                    await timed(client, tally, t0, "节假日", "GET", f"{base}/ledgers/holiday/")
            else:
                await timed(client, tally, t0, "今晚查寝进度", "GET", f"{base}/ledgers/night/progress/")
            await asyncio.sleep(min(rng.uniform(*pause), max(until - time.monotonic(), 0)))


def arrival_times(p: Plan, rng: random.Random) -> list[float]:
    """Seconds into the run at which rooms arrive: a Poisson process of the plan's rate
    (the curve's, or the steady one), drawn at the peak rate and thinned."""
    peak = max((p.room_rate(s) for s in range(p.seconds + 1)), default=0.0)
    times, elapsed = [], 0.0
    while peak > 0:
        elapsed += rng.expovariate(peak)
        if elapsed >= p.seconds:
            break
        if rng.random() * peak <= p.room_rate(elapsed):
            times.append(elapsed)
    return times


async def drive(
    p: Plan, heads: list[Person], watchers: list[Person], base: str, seed: int
) -> tuple[Tally, float, int]:
    import httpx

    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    tally = Tally()
    rng = random.Random(seed)
    t0 = time.monotonic()
    until = t0 + p.seconds
    tasks = [
        asyncio.create_task(watcher(w, base, tally, t0, until, random.Random(seed * 7919 + i), limits))
        for i, w in enumerate(watchers)
    ]
    arrived = 0
    for elapsed in arrival_times(p, rng)[: len(heads)]:
        delay = t0 + elapsed - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        person = heads[arrived]
        tasks.append(
            asyncio.create_task(dorm_head(person, base, tally, t0, random.Random(seed + arrived), limits))
        )
        arrived += 1
    await asyncio.sleep(max(until - time.monotonic(), 0))
    await asyncio.gather(*tasks)  # submits started before the end finish; counted
    return tally, time.monotonic() - t0, arrived


def run(
    *,
    seconds: int,
    workers: int,
    threads: int,
    seed: int,
    out,
    night: dt.date | None = None,
    start_minute: float = 0.0,
    rate: float | None = None,
    watchers: float = 1.0,
) -> dict:
    from campusgrid.demo.loadtest import free_port, wait_ready

    if connection.vendor != "postgresql":
        out.write("提示：负载测试应在 PostgreSQL 上运行（设置 DATABASE_URL）；SQLite 只允许一个写入者。")
    p = plan(seconds=seconds, night=night, start_minute=start_minute, rate=rate, watchers=watchers)
    out.write(p.describe())
    heads, audience, rechecks = people(p, seed)
    if len(heads) < p.expected_rooms():
        out.write(f"注意：只有 {len(heads)} 间寝室有舍长，少于预计的 {p.expected_rooms()} 间")
    if rechecks:
        out.write(f"注意：其中 {rechecks} 间寝室当晚已查过，提交将是更正（可用 --night 换一个晚上）")
    keys = sign_in(heads + audience, p.start)
    connection.close()
    port = free_port()
    server = start_server(port, workers, threads, p.start)
    base = f"http://127.0.0.1:{port}"
    try:
        asyncio.run(wait_ready(base))
        out.write(f"gunicorn 已启动：{base}（{workers} 个进程 × {threads} 个线程）")
        time.sleep(3)  # every worker has loaded the app: its start-up is not the run's CPU
        app_cpu, db_cpu, own_cpu = group_cpu_seconds(server.pid), database_cpu_seconds(), own_cpu_seconds()
        busy_before = machine_busy()
        with compacting():
            tally, elapsed, arrived = asyncio.run(drive(p, heads, audience, base, seed))
        cpu = {
            "app": group_cpu_seconds(server.pid) - app_cpu,
            "postgresql": database_cpu_seconds() - db_cpu,
            "load_generator": own_cpu_seconds() - own_cpu,
        }
        busy = [after - before for after, before in zip(machine_busy(), busy_before, strict=True)]
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        sign_out(keys)
    result = summary(p, tally, elapsed, arrived, rechecks, workers, threads)
    result["cpu"] = cpu_figures(cpu, result["requests"], tally)
    result["cpu"]["machine_busy_share"] = round(busy[0] / busy[1], 3) if busy[1] else None
    return result


# --- CPU per request: what the figures mean on a busy machine ---------------------------------
# Latency on a shared machine measures the other users' load too; CPU time per request
# does much less so. On 2 idle cores the app, PostgreSQL and the load generator together
# could serve about 2 / (their CPU seconds per request) requests per second.

_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _proc_cpu(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / _TICK  # utime + stime


def group_cpu_seconds(pgid: int) -> float:
    """CPU seconds used so far by the processes of a process group (gunicorn and its workers)."""
    total = 0.0
    for name in os.listdir("/proc") if os.path.isdir("/proc") else []:
        if name.isdigit():
            try:
                if os.getpgid(int(name)) == pgid:
                    total += _proc_cpu(int(name))
            except OSError:
                continue
    return total


def database_cpu_seconds() -> float:
    """CPU seconds used so far by the PostgreSQL server on this machine: every postgres process's
    own, and the postmaster's reaped children's, so that a backend which closed during the run
    (a persistent connection past its CONN_MAX_AGE) and autovacuum still count. Read before and
    after the run: reading only the backends connected at the end missed most of it (issue 17:
    0.4 ms a request where the submits' writes cost several). 0 when it is not on this machine."""
    if connection.vendor != "postgresql":
        return 0.0
    stats = {}
    for name in os.listdir("/proc") if os.path.isdir("/proc") else []:
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat") as f:
                    head, _, rest = f.read().rpartition(")")
            except OSError:
                continue
            if head.endswith("(postgres"):
                stats[int(name)] = rest.split()
    total = 0.0
    for fields in stats.values():
        total += (int(fields[11]) + int(fields[12])) / _TICK  # utime + stime
        if int(fields[1]) not in stats:  # the postmaster: the CPU of its children that have exited
            total += (int(fields[13]) + int(fields[14])) / _TICK  # cutime + cstime
    return total


def machine_busy() -> tuple[float, float]:
    """(busy, all) CPU seconds of the whole machine so far, from /proc/stat: the share of the cores
    the run used, whoever used them."""
    try:
        with open("/proc/stat") as f:
            values = [int(v) for v in f.readline().split()[1:]]
    except OSError:
        return 0.0, 0.0
    idle = values[3] + (values[4] if len(values) > 4 else 0)  # idle + iowait
    return (sum(values) - idle) / _TICK, sum(values) / _TICK


def own_cpu_seconds() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def cpu_figures(cpu: dict, requests: int, tally: Tally) -> dict:
    done = max(requests - sum(tally.errors.values()), 1)
    per_request = {k: round(v * 1000 / done, 1) for k, v in cpu.items()}
    total = sum(per_request.values())
    return {
        "seconds": {k: round(v, 1) for k, v in cpu.items()},
        "ms_per_answered_request": per_request,
        "two_idle_cores_rps": round(2000 / total, 1) if total else None,
    }


def summary(
    p: Plan, tally: Tally, elapsed: float, arrived: int, rechecks: int, workers: int, threads: int
) -> dict:
    everything = [v for values in tally.latencies.values() for v in values]
    per_minute = {}
    for began in tally.started:
        minute = int(began // 60)
        per_minute[minute] = per_minute.get(minute, 0) + 1
    return {
        "profile": PROFILE,
        "night": p.night.isoformat(),
        "clock_from": clock.local(p.start).isoformat(timespec="seconds"),
        "rate": p.rate,
        "rooms_total": p.rooms_total,
        "rooms_checked": arrived,
        "rooms_rechecked": min(rechecks, arrived),
        "watchers": {"counselor": p.counselors, "leader": p.leaders, "student": p.students},
        "seconds": round(elapsed, 1),
        "requests": len(everything),
        "throughput_rps": round(len(everything) / min(elapsed, p.seconds), 1) if elapsed else 0,
        "per_minute_rps": {f"{m}": round(n / 60, 1) for m, n in sorted(per_minute.items())},
        "p50_ms": round(statistics.median(everything), 1) if everything else 0,
        "p95_ms": round(percentile(everything, 0.95), 1),
        "p99_ms": round(percentile(everything, 0.99), 1),
        "errors": sum(tally.errors.values()),
        "errors_by_kind": dict(sorted(tally.kinds.items(), key=lambda kv: -kv[1])),
        "by_request": {
            k: {
                "n": len(v),
                "p50_ms": round(statistics.median(v), 1),
                "p95_ms": round(percentile(v, 0.95), 1),
                "p99_ms": round(percentile(v, 0.99), 1),
                "errors": tally.errors.get(k, 0),
            }
            for k, v in tally.latencies.items()
        },
        "at": dt.datetime.now().isoformat(timespec="seconds"),
        "load_average": list(os.getloadavg()),
        "engine": connection.vendor,
        "workers": workers,
        "threads": threads,
    }
