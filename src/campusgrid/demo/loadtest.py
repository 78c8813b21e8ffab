"""`campusgrid loadtest`: an evening at a university, against 127.0.0.1 only.

Starts CampusGrid under gunicorn (several workers; use PostgreSQL through
DATABASE_URL), logs 200 distinct users of different kinds in through the login
form, then for a bounded time drives an evening mix: dorm heads open their home
page and submit tonight's night check, counselors and leaders watch tonight's
progress, the report lists and their dashboard, students look at their home page
and notifications. Prints throughput, p50/p95/p99 latency and the error count.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field

from django.db import connection

from campusgrid.core import clock
from campusgrid.demo.bench import percentile
from campusgrid.demo.peak import client_options, server_env

CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Actor:
    kind: str
    username: str
    room_label: str = ""
    room_id: int = 0
    members: list[str] = field(default_factory=list)


def cast(users: int, seed: int) -> list[Actor]:
    """`users` distinct people: ~55% dorm heads, 20% plain students, 15% counselors,
    5% monitors, 5% leaders, spread over the colleges."""
    from campusgrid.grid.models import Post, PostKind
    from campusgrid.people.models import Student

    rng = random.Random(seed)
    current = Post.objects.current().filter(end_date__isnull=True)
    share = {"dorm_head": 0.55, "student": 0.20, "counselor": 0.15, "monitor": 0.05, "leader": 0.05}
    want = {k: max(1, round(users * v)) for k, v in share.items()}
    want["dorm_head"] += users - sum(want.values())
    heads = list(
        current.filter(kind=PostKind.DORM_HEAD, student__status="enrolled")
        .select_related("student__user", "room__building")
        .order_by("?")[: want["dorm_head"] * 2]
    )
    actors = []
    members = {}
    room_ids = [p.room_id for p in heads if p.student.bed_id and p.student.bed.room_id == p.room_id]
    for room_id, student_no in Student.objects.filter(
        bed__room_id__in=room_ids, status="enrolled"
    ).values_list("bed__room_id", "student_no"):
        members.setdefault(room_id, []).append(student_no)
    for post in heads:
        if len([a for a in actors if a.kind == "dorm_head"]) >= want["dorm_head"]:
            break
        if post.room_id in members:
            actors.append(
                Actor(
                    "dorm_head", post.student.student_no, post.room.label, post.room_id, members[post.room_id]
                )
            )
    staff_kinds = {"counselor": PostKind.COUNSELOR, "leader": PostKind.LEADER}
    for kind, post_kind in staff_kinds.items():
        numbers = list(current.filter(kind=post_kind).values_list("staff__staff_no", flat=True).distinct())
        rng.shuffle(numbers)
        actors += [Actor(kind, n) for n in numbers[: want[kind]]]
    monitors = list(current.filter(kind=PostKind.MONITOR).values_list("student__student_no", flat=True))
    rng.shuffle(monitors)
    actors += [Actor("monitor", n) for n in monitors[: want["monitor"]]]
    taken = {a.username for a in actors}
    plain = [
        n
        for n in Student.objects.filter(status="enrolled")
        .order_by("?")
        .values_list("student_no", flat=True)[: want["student"] * 3]
        if n not in taken
    ]
    actors += [Actor("student", n) for n in plain[: want["student"]]]
    return actors[:users]


def _evening_open(out):
    """Night checks open in the evening (LedgerSettings.check_open_time); a run in the
    daytime opens them from midnight for its duration and puts the time back after."""
    try:
        from campusgrid.ledgers.models import LedgerSettings
    except ImportError:
        return None
    settings_row = LedgerSettings.get()
    original = settings_row.check_open_time
    now = clock.local(clock.now()).time()
    if now >= original:
        return None
    settings_row.check_open_time = dt.time(0, 0)
    settings_row.save(update_fields=["check_open_time"])
    out.write(f"白天运行：查寝开始时间临时设为 00:00（结束后恢复为 {original:%H:%M}）")
    return original


def _tonight() -> str:
    """The night the server checks now, by its own rule (after midnight that may be
    yesterday's evening): the submissions must carry the same date."""
    try:
        from campusgrid.ledgers.selectors.night import tonight
    except ImportError:
        return clock.today().isoformat()
    return tonight().isoformat()


def _evening_close(original) -> None:
    if original is None:
        return
    from campusgrid.ledgers.models import LedgerSettings

    settings_row = LedgerSettings.get()
    settings_row.check_open_time = original
    settings_row.save(update_fields=["check_open_time"])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int, workers: int) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "campusgrid",
            "serve",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            "1",
            "--no-tick",
            "--quiet",
        ],
        env=server_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


async def wait_ready(base: str, timeout: float = 60) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    async with httpx.AsyncClient() as client:
        while time.monotonic() < deadline:
            try:
                # 503 is an answer too: the server is up, its scheduler (--no-tick here) is not
                if (await client.get(f"{base}/healthz")).status_code in (200, 503):
                    return
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.3)
    raise RuntimeError("服务器未能在60秒内启动")


class Stats:
    def __init__(self):
        self.latencies: dict[str, list[float]] = {}
        self.errors: dict[str, int] = {}
        self.samples: list[str] = []

    def add(self, label: str, seconds: float, ok: bool, detail: str = "") -> None:
        self.latencies.setdefault(label, []).append(seconds * 1000)
        if not ok:
            self.errors[label] = self.errors.get(label, 0) + 1
            if len(self.samples) < 10:
                self.samples.append(f"{label}: {detail}")


async def login(client, base: str, actor: Actor, password: str) -> None:
    page = await client.get(f"{base}/accounts/login/")
    token = CSRF_RE.search(page.text).group(1)
    response = await client.post(
        f"{base}/accounts/login/",
        data={"username": actor.username, "password": password, "csrfmiddlewaretoken": token},
        headers={"Referer": f"{base}/accounts/login/"},
    )
    if response.status_code != 302:
        raise RuntimeError(f"{actor.username} 登录失败（{response.status_code}）")


async def request(client, stats: Stats, label: str, method: str, url: str, **kwargs) -> None:
    started = time.perf_counter()
    try:
        response = await client.request(method, url, **kwargs)
        ok = response.status_code < 400
        detail = f"{response.status_code} {response.text[:120]}" if not ok else ""
    except Exception as exc:  # a refused or broken connection is an error of the run
        ok, detail = False, f"{type(exc).__name__}: {exc}"
    stats.add(label, time.perf_counter() - started, ok, detail)


# Seconds a person spends on a page before the next tap, by kind of user: a dorm head
# fills in the night check once and then glances at the home page; counselors and
# leaders watch tonight's progress and the reports; students look in now and then.
PACE = {
    "dorm_head": (20.0, 40.0),
    "counselor": (5.0, 15.0),
    "leader": (5.0, 15.0),
    "monitor": (10.0, 20.0),
    "student": (15.0, 30.0),
}


async def evening(
    actor: Actor,
    client,
    base: str,
    stats: Stats,
    until: float,
    rng: random.Random,
    think: tuple[float, float] | None,
    night: str,
) -> None:
    pace = think or PACE[actor.kind]
    await asyncio.sleep(rng.uniform(0, pace[1]))  # people arrive over time, not all at once
    if actor.kind == "dorm_head" and time.monotonic() < until:
        await request(client, stats, "工作台", "GET", f"{base}/")
        await request(client, stats, "查寝页面", "GET", f"{base}/ledgers/night/rooms/{actor.room_id}/")
        await asyncio.sleep(rng.uniform(*(think or (10.0, 30.0))))  # marking the members
        entries = [{"student_no": n, "status": "present"} for n in actor.members]
        if rng.random() < 0.1 and len(entries) > 1:
            entries[-1]["status"] = "late"
            entries[-1]["time"] = "23:10"
        await request(
            client,
            stats,
            "提交查寝",
            "POST",
            f"{base}/api/v1/night-checks/",
            json={"room": actor.room_label, "date": night, "entries": entries},
            headers={"X-CSRFToken": client.cookies.get("csrftoken", "")},
        )
    while time.monotonic() < until:
        await asyncio.sleep(rng.uniform(*pace))
        if time.monotonic() >= until:
            break
        roll = rng.random()
        if actor.kind in ("counselor", "leader"):
            if roll < 0.45:
                await request(client, stats, "今晚查寝进度", "GET", f"{base}/ledgers/night/progress/")
            elif roll < 0.7:
                await request(client, stats, "上报列表", "GET", f"{base}/reports/")
            else:
                await request(client, stats, "工作台", "GET", f"{base}/")
        elif actor.kind == "monitor":
            url = f"{base}/reports/todo/" if roll < 0.5 else f"{base}/"
            await request(client, stats, "待我处理" if roll < 0.5 else "工作台", "GET", url)
        elif roll < {"dorm_head": 0.2, "student": 0.4}.get(actor.kind, 0):
            await request(client, stats, "通知", "GET", f"{base}/notifications/")
        else:
            await request(client, stats, "工作台", "GET", f"{base}/")


async def drive(
    actors: list[Actor], base: str, seconds: int, password: str, seed: int, out, think=None, night=None
) -> tuple[Stats, float]:
    import httpx

    clients = []
    limits = httpx.Limits(max_connections=2, max_keepalive_connections=2)
    semaphore = asyncio.Semaphore(8)  # logins hash passwords: don't let them time each other out

    async def open_session(actor):
        client = httpx.AsyncClient(timeout=60, limits=limits, follow_redirects=False, **client_options())
        async with semaphore:
            await login(client, base, actor, password)
        clients.append(client)
        return client

    started = time.monotonic()
    sessions = await asyncio.gather(*(open_session(a) for a in actors))
    out.write(f"  {len(sessions)} 名用户已登录（{time.monotonic() - started:.1f} 秒）")
    stats = Stats()
    begin = time.monotonic()
    until = begin + seconds
    night = night or _tonight()
    await asyncio.gather(
        *(
            evening(a, c, base, stats, until, random.Random(seed + i), think, night)
            for i, (a, c) in enumerate(zip(actors, sessions, strict=True))
        )
    )
    elapsed = time.monotonic() - begin
    for client in clients:
        await client.aclose()
    return stats, elapsed


def run(
    *,
    users: int,
    seconds: int,
    workers: int,
    seed: int,
    password: str,
    out,
    think: tuple[float, float] | None = None,
) -> dict:
    if connection.vendor != "postgresql":
        out.write("提示：负载测试应在 PostgreSQL 上运行（设置 DATABASE_URL）；SQLite 只允许一个写入者。")
    actors = cast(users, seed)
    kinds = {}
    for a in actors:
        kinds[a.kind] = kinds.get(a.kind, 0) + 1
    out.write(f"用户：{len(actors)} 人 " + "，".join(f"{k} {v}" for k, v in kinds.items()))
    opened = _evening_open(out)
    night = _tonight()
    out.write(f"查寝日期（服务器的“今晚”）：{night}")
    connection.close()
    port = free_port()
    server = start_server(port, workers)
    base = f"http://127.0.0.1:{port}"
    try:
        asyncio.run(wait_ready(base))
        out.write(f"gunicorn 已启动：{base}（{workers} 个进程）")
        stats, elapsed = asyncio.run(drive(actors, base, seconds, password, seed, out, think, night))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        _evening_close(opened)
    everything = [v for values in stats.latencies.values() for v in values]
    result = {
        "users": len(actors),
        "seconds": round(elapsed, 1),
        "requests": len(everything),
        "throughput_rps": round(len(everything) / elapsed, 1) if elapsed else 0,
        "p50_ms": round(statistics.median(everything), 1) if everything else 0,
        "p95_ms": round(percentile(everything, 0.95), 1),
        "p99_ms": round(percentile(everything, 0.99), 1),
        "errors": sum(stats.errors.values()),
        "by_request": {
            k: {
                "n": len(v),
                "p50_ms": round(statistics.median(v), 1),
                "p95_ms": round(percentile(v, 0.95), 1),
                "errors": stats.errors.get(k, 0),
            }
            for k, v in stats.latencies.items()
        },
        "error_samples": stats.samples,
        "at": dt.datetime.now().isoformat(timespec="seconds"),
        "engine": connection.vendor,
        "workers": workers,
        "think_seconds": list(think) if think else "evening pace (see PACE)",
    }
    return result
