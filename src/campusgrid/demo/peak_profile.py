"""`campusgrid loadtest --profile evening-peak --profile-requests N`: the peak's requests
replayed in this process, for the CPU each costs the server.

The load test measures a whole server on a shared machine; this measures one request
kind at a time with `time.process_time` (this process's CPU: the middleware, the view,
the template and the database client, without the wait for the database or for a busy
machine's cores), so that a change to the code can be judged on any machine at any hour.

Each kind is played N times through Django's test client (the full middleware stack,
DEBUG off, the sessions written as the load test writes them, CSRF enforced), on the
load test's running clock pinned to the night's opening time: the night-check page of a
dorm head's room, its submit (one fresh, unchecked room per submit), tonight's progress
as a counselor and as a leader, a student's leave and holiday pages, and the HTML floor
(/bench/floor/, the base layout without content) as the same dorm heads. Then each kind
is played again under cProfile and its top entries printed.
"""

from __future__ import annotations

import contextlib
import cProfile
import datetime as dt
import io
import pstats
import re
import statistics
import time

from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from campusgrid.core import clock

from . import peak
from .bench import percentile

KINDS = (
    "floor",
    "night_get",
    "night_post",
    "progress_counselor",
    "progress_leader",
    "student_leave",
    "student_holiday",
)
LABELS = {
    "floor": "HTML 底线（舍长）",
    "night_get": "查寝页面",
    "night_post": "提交查寝",
    "progress_counselor": "查寝进度（辅导员）",
    "progress_leader": "查寝进度（学院领导）",
    "student_leave": "我的请假",
    "student_holiday": "节假日",
}
CURVE_SECONDS = peak.CURVE_MINUTES * 60
LATE_RE = re.compile(r'name="s-([^"]+)" id="s-[^"]+-late"')


def _submit_data(page_html: str, rng_index: int) -> dict:
    token = peak.CSRF_RE.search(page_html)
    version = peak.VERSION_RE.search(page_html)
    data = {
        "csrfmiddlewaretoken": token.group(1) if token else "",
        "version": version.group(1) if version else "",
    }
    if rng_index % 10 == 0:  # as the load test: one in ten rooms has someone back late
        late = LATE_RE.findall(page_html)
        if late:
            data[f"s-{late[-1]}"] = "late"
    return data


class Plays:
    """The requests of each kind, ready to replay: (kind) -> list of callables."""

    def __init__(self, heads, counselors, leaders, students):
        self.heads, self.counselors, self.leaders, self.students = heads, counselors, leaders, students
        self.pages: dict[int, str] = {}

    def url(self, client) -> str:
        return f"/ledgers/night/rooms/{client.person.room_id}/"

    def request(self, kind: str, i: int):
        """Make request i of `kind`; returns the response."""
        if kind == "floor":
            c = self.heads[i % len(self.heads)]
            return c.get("/bench/floor/")
        if kind == "night_get":
            c = self.heads[i % len(self.heads)]
            response = c.get(self.url(c))
            self.pages[id(c)] = response.content.decode()
            return response
        if kind == "night_post":
            c = self.heads[i]  # one fresh room per submit
            html = self.pages.get(id(c)) or c.get(self.url(c)).content.decode()
            url = self.url(c)
            return c.post(url, _submit_data(html, i), headers={"HX-Request": "true", "Referer": url})
        if kind.startswith("progress_"):
            group = self.counselors if kind == "progress_counselor" else self.leaders
            return group[i % len(group)].get("/ledgers/night/progress/")
        c = self.students[i % len(self.students)]
        return c.get("/ledgers/leave/" if kind == "student_leave" else "/ledgers/holiday/")


def _check(kind: str, response) -> str | None:
    error = peak.error_kind(response)
    if error is None and kind == "night_post":
        error = peak._submitted(response)
    return error


def run(*, requests: int, night: dt.date | None, seed: int, top: int, out, kinds=KINDS) -> dict:
    """Replay `requests` of each kind; returns {kind: figures} and writes a table and the profiles."""
    import logging

    from campusgrid.demo.loadtest_wsgi import running_clock
    from campusgrid.ledgers.models import NightCheck

    logging.getLogger("campusgrid.request").setLevel(logging.WARNING)  # as the load test's server
    p = peak.plan(seconds=CURVE_SECONDS, night=night)  # the whole curve: every room
    heads, audience, _ = peak.people(p, seed)
    checked = set(NightCheck.objects.filter(date=p.night).values_list("room_id", flat=True))
    # Fresh rooms for the submits of two passes (measured, profiled).
    fresh = [h for h in heads if h.room_id not in checked][: 2 * requests]
    if len(fresh) < 2 * requests:
        out.write(
            f"注意：{p.night} 晚只剩 {len(fresh)} 间未查的寝室，少于需要的 {2 * requests} 间（可用 --night）"
        )
    counselors = [w for w in audience if w.kind == "counselor"][:20]
    leaders = [w for w in audience if w.kind == "leader"][:20]
    students = [w for w in audience if w.kind == "student"][:40]
    persons = fresh + counselors + leaders + students
    saved_now = clock.now
    # The load test's server clock: the night's opening time and the seconds since, a few
    # minutes in (the peak).
    start = p.start + dt.timedelta(minutes=4)
    clock.now = running_clock(f"{start.isoformat()}@{time.time():.3f}")
    keys = peak.sign_in(persons, start)
    try:
        with override_settings(DEBUG=False, CAMPUSGRID_BENCH_FLOOR=True):
            clients = {kind: [] for kind in ("dorm_head", "counselor", "leader", "student")}
            # One handler for every client, as one server process serves everyone: a client's
            # own handler would load the middleware (WhiteNoise scans the static files) on its
            # first request.
            handler = Client(enforce_csrf_checks=True).handler
            for person in persons:
                client = Client(HTTP_HOST="127.0.0.1", enforce_csrf_checks=True)
                client.handler = handler
                for name, value in person.cookies.items():
                    client.cookies[name] = value
                client.person = person
                clients[person.kind].append(client)
            out.write(
                f"{p.night} 晚，服务器时钟从 {clock.local(start):%H:%M:%S} 起走；舍长 {len(fresh)}，"
                f"辅导员 {len(counselors)}，学院领导 {len(leaders)}，学生 {len(students)}；每类 {requests} 次"
            )
            plays = Plays(clients["dorm_head"], clients["counselor"], clients["leader"], clients["student"])
            half = len(clients["dorm_head"]) // 2
            measured_heads, profiled_heads = clients["dorm_head"][:half], clients["dorm_head"][half:]
            results = _measure(plays, measured_heads, kinds, requests)
            out.write(f"\n{'请求':<16}{'CPU ms 中位':>11}{'平均':>7}{'p95':>7}{'墙钟 ms':>9}{'SQL':>5}  错误")
            for kind in kinds:
                r = results[kind]
                out.write(
                    f"{LABELS[kind]:<16}{r['cpu_p50_ms']:>11}{r['cpu_mean_ms']:>7}{r['cpu_p95_ms']:>7}"
                    f"{r['wall_p50_ms']:>9}{r['queries']:>5}  {r['errors'] or ''}"
                )
            floor = results.get("floor", {}).get("cpu_p50_ms")
            if floor and "night_get" in results:
                out.write(
                    f"\n查寝页面 / HTML 底线（CPU 中位）：{results['night_get']['cpu_p50_ms']} / {floor} = "
                    f"{results['night_get']['cpu_p50_ms'] / floor:.2f}×（预算 ≤ 2×）"
                )
            if top:
                for kind in kinds:
                    out.write(f"\n== cProfile：{LABELS[kind]}（{requests} 次）")
                    out.write(_profile(plays, profiled_heads, kind, requests, top))
    finally:
        clock.now = saved_now
        peak.sign_out(keys)
    return results


def _measure(plays: Plays, heads, kinds, n: int) -> dict:
    """n rounds of one request of each kind (so that a busy machine's ups and downs fall on
    every kind alike); CPU and wall milliseconds, the first request's SQL count, errors."""
    plays.heads = heads
    n = min(n, len(heads))  # a fresh room per submit
    for kind in kinds:
        if kind != "night_post":
            for i in range(2):  # warm: templates, caches
                plays.request(kind, i + n)
    cpu = {kind: [] for kind in kinds}
    wall = {kind: [] for kind in kinds}
    queries, errors, first_error = {}, dict.fromkeys(kinds, 0), {}
    for i in range(n):
        for kind in kinds:
            # The SQL is counted in the first round only: capturing it costs CPU of its own.
            with CaptureQueriesContext(connection) if i == 0 else contextlib.nullcontext() as ctx:
                started, cpu_started = time.perf_counter(), time.process_time()
                response = plays.request(kind, i)
                cpu[kind].append((time.process_time() - cpu_started) * 1000)
                wall[kind].append((time.perf_counter() - started) * 1000)
            if i == 0:
                queries[kind] = len(ctx.captured_queries)
            error = _check(kind, response)
            if error:
                errors[kind] += 1
                first_error.setdefault(kind, error)
    return {
        kind: {
            "n": n,
            "cpu_p50_ms": round(statistics.median(cpu[kind]), 1),
            "cpu_mean_ms": round(statistics.fmean(cpu[kind]), 1),
            "cpu_p95_ms": round(percentile(cpu[kind], 0.95), 1),
            "wall_p50_ms": round(statistics.median(wall[kind]), 1),
            "queries": queries[kind],
            "errors": f"{errors[kind]} × {first_error[kind]}" if errors[kind] else 0,
        }
        for kind in kinds
    }


def _profile(plays: Plays, heads, kind: str, n: int, top: int) -> str:
    plays.heads = heads
    if kind == "night_post":
        n = min(n, len(heads))
        for i in range(n):
            plays.request("night_get", i)  # the page each submit follows, outside the profile
    profiler = cProfile.Profile()
    profiler.enable()
    for i in range(n):
        plays.request(kind, i)
    profiler.disable()
    buffer = io.StringIO()
    stats = pstats.Stats(profiler, stream=buffer)
    stats.sort_stats("tottime").print_stats(top)
    # The project's own functions by cumulative time: where in CampusGrid the time goes.
    stats.sort_stats("cumulative").print_stats(r"src/campusgrid/(?!demo/)", top)
    return buffer.getvalue()
