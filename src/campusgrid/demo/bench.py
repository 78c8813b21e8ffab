"""`campusgrid bench`: the university-scale benchmark (issue 7).

Builds (or reuses) a demo university of N students, then measures:
  - a cold import of an N-row roster (.xlsx) into an empty database, and its unchanged re-import;
  - `campusgrid coverage` over all students;
  - the busiest pages and API lists as a leader (the largest college), a counselor and
    a dorm head: median and 95th-percentile server time and SQL query count, each as a
    ratio to the floor of its kind, timed in turn with the page (page, floor, page …) as the
    same user: HTML pages to the HTML floor (/bench/floor/: the base
    layout, navigation and header for the same user, no content), API routes to the API
    floor (/api/v1/bench/floor/: an empty DRF view under the real API's authentication,
    permission, throttle and renderer classes); the trivial login-required Django view
    (`ping`) is still timed, and each row's ratio to it kept so that runs stay comparable;
  - a peer row: the same students in Django admin's changelist (list and search), as the
    same leader in the same run (given is_staff and view permission for the run only), timed
    in turn with our page (ours, admin, ours, admin …) so that the two meet the same moments
    of the machine: their ratio is of that pair, not of two rows timed minutes apart;
  - every Excel export (台账) as the leader of the largest college and as the university
    office (budgets: 3 s and 20 s).
`--only exports,pages` runs only some of the groups (import, coverage, pages, exports);
`--pages 名册,admin` times only the page rows whose label holds one of the words (the floors
are always timed: the ratios need them; an admin peer row goes with its page).
Prints a table and writes JSON to bench-results/ so runs can be compared.

Server time is measured in-process through Django's test client with DEBUG off: the
full middleware stack and view, without network and without the WSGI server.
"""

from __future__ import annotations

import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

RESULTS_DIR = Path(settings.PROJECT_DIR) / "bench-results"


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    k = (len(ordered) - 1) * p
    lower = int(k)
    upper = min(lower + 1, len(ordered) - 1)
    return ordered[lower] + (ordered[upper] - ordered[lower]) * (k - lower)


def _engine() -> str:
    return "postgresql" if connection.vendor == "postgresql" else connection.vendor


def roster_file(path: Path) -> int:
    """Write every student of the database as a roster .xlsx (the columns of SPEC §14)."""
    from campusgrid.core.excel import Sheet, new_workbook
    from campusgrid.grid.imports import ROSTER_COLUMNS
    from campusgrid.grid.models import Post, PostKind
    from campusgrid.people.models import PoliticalStatus, Student

    posts = {}
    # Only posts a roster can express: a dorm head of the room they live in, a monitor of their class.
    for student_id, kind, room_id, lives_in, class_id, in_class in (
        Post.objects.current()
        .filter(
            kind__in=[PostKind.DORM_HEAD, PostKind.MONITOR, PostKind.LEAGUE_SECRETARY],
            student__isnull=False,
            end_date__isnull=True,
        )
        .values_list(
            "student_id",
            "kind",
            "room_id",
            "student__bed__room_id",
            "school_class_id",
            "student__school_class_id",
        )
    ):
        if (kind == PostKind.DORM_HEAD and room_id != lives_in) or (
            kind != PostKind.DORM_HEAD and class_id != in_class
        ):
            continue
        posts.setdefault(student_id, []).append(PostKind(kind).label)
    labels = dict(PoliticalStatus.choices)
    rows = (
        Student.objects.filter(status="enrolled")
        .select_related("college", "school_class__major", "school_class__grade", "bed__room__building")
        .order_by("student_no")
    )
    with new_workbook(str(path)) as workbook:
        sheet = Sheet(workbook, "名册")
        sheet.append([c.header for c in ROSTER_COLUMNS])
        count = 0
        for s in rows.iterator(chunk_size=2000):
            room = s.bed.room if s.bed_id else None
            sheet.append(
                [
                    s.student_no,
                    s.name,
                    s.gender,
                    s.college.name,
                    s.school_class.major.name if s.school_class_id else "",
                    s.school_class.grade.year if s.school_class_id else "",
                    s.school_class.name if s.school_class_id else "",
                    room.building.name if room else "",
                    room.number if room else "",
                    s.bed.number if s.bed_id else "",
                    labels[s.political_status],
                    "、".join(posts.get(s.id, [])),
                    s.phone,
                    s.id_number,
                    s.ethnicity,
                    s.origin,
                    s.parent_phone,
                ]
            )
            count += 1
    return count


def _run(cmd: list[str], env: dict) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return elapsed, done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""


def measure_import(path: Path, out) -> dict:
    """Cold import into a fresh, migrated database of the same engine, then re-import."""
    env = dict(os.environ)
    cleanup = None
    if connection.vendor == "postgresql":
        import psycopg

        base = settings.DATABASES["default"]
        name = f"{base['NAME']}_import"
        params = {
            "host": base.get("HOST") or "127.0.0.1",
            "port": base.get("PORT") or 5432,
            "user": base.get("USER") or "postgres",
            "dbname": "postgres",
            "autocommit": True,
        }
        if base.get("PASSWORD"):
            params["password"] = base["PASSWORD"]
        with psycopg.connect(**params) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
            admin.execute(f'CREATE DATABASE "{name}"')
        user = params["user"] + (f":{params['password']}" if "password" in params else "")
        env["DATABASE_URL"] = f"postgres://{user}@{params['host']}:{params['port']}/{name}"
    else:
        folder = tempfile.mkdtemp(prefix="campusgrid-bench-import-")
        env["CAMPUSGRID_DATA_DIR"] = folder
        env.pop("DATABASE_URL", None)
        cleanup = folder
    command = [sys.executable, "-m", "campusgrid"]
    out.write("  迁移空数据库……")
    _run([*command, "migrate", "--noinput", "-v0"], env)
    startup, _ = _run([*command, "check"], env)
    out.write("  冷导入……")
    cold, cold_summary = _run([*command, "import_roster", str(path)], env)
    out.write(f"  {cold_summary}")
    out.write("  重复导入（无变化）……")
    warm, warm_summary = _run([*command, "import_roster", str(path)], env)
    out.write(f"  {warm_summary}")
    if cleanup:
        import shutil

        shutil.rmtree(cleanup, ignore_errors=True)
    return {
        "cold_s": round(cold, 2),
        "reimport_s": round(warm, 2),
        "command_startup_s": round(startup, 2),
        "cold_summary": cold_summary,
        "reimport_summary": warm_summary,
    }


def measure_coverage(runs: int = 3) -> dict:
    from campusgrid.grid.coverage import compute

    times = []
    result = None
    for _ in range(runs):
        started = time.perf_counter()
        result = compute(None)
        times.append(time.perf_counter() - started)
    return {
        "median_s": round(statistics.median(times), 3),
        "students": result.students_total,
        "gaps": len(result.gaps),
    }


def personas() -> dict:
    """The leader of the largest college, a counselor of it and a dorm head of it."""
    from django.db.models import Count

    from campusgrid.grid.models import Post, PostKind
    from campusgrid.org.models import College

    college = College.objects.annotate(n=Count("students")).order_by("-n").first()
    current = Post.objects.current().filter(end_date__isnull=True)
    leader = current.filter(kind=PostKind.LEADER, college=college).select_related("staff__user").first()
    counselor = (
        current.filter(kind=PostKind.COUNSELOR, school_class__college=college)
        .select_related("staff__user")
        .first()
    )
    dorm_head = (
        current.filter(kind=PostKind.DORM_HEAD, student__college=college, student__status="enrolled")
        .select_related("student__user", "room__building")
        .order_by("id")
        .first()
    )
    office = (
        current.filter(kind=PostKind.OFFICE, staff__active=True)
        .select_related("staff__user")
        .order_by("id")
        .first()
    )
    return {
        "college": college,
        "office": office.staff.user if office else None,
        "leader": leader.staff.user,
        "counselor": counselor.staff.user,
        "dorm_head": dorm_head.student.user,
        "room": dorm_head.room,
        "student_no": dorm_head.student.student_no,
    }


def pages(cast: dict) -> list[tuple[str, str, list[str]]]:
    """(label, url, who) for the busiest pages and API lists; missing apps are skipped."""
    from campusgrid.core import clock

    today = clock.today().isoformat()

    def url(name, *args, query=""):
        try:
            return reverse(name, args=args) + query
        except NoReverseMatch:
            return None

    everyone = ["leader", "counselor", "dorm_head"]
    staff = ["leader", "counselor"]
    year = cast["college"].grades.order_by("-year").values_list("year", flat=True).first()
    room = cast["room"]
    candidates = [
        ("工作台（首页）", url("home"), everyone),
        ("学生名册（筛选）", url("people:students", query=f"?grade={year}&status=enrolled"), everyone),
        ("学生名册（搜索）", url("people:students", query="?q=zh"), everyone),
        ("网格覆盖", url("grid:coverage"), everyone),
        ("待我处理", url("reports:todo"), everyone),
        ("上报列表（台账）", url("reports:list"), everyone),
        ("今晚查寝进度", url("ledgers:night-progress"), staff),
        ("查寝（本寝室）", url("ledgers:night-check", room.pk), ["dorm_head"]),
        ("夜不归宿台账", url("ledgers:night-list"), staff),
        ("请假列表", url("ledgers:leave-list"), everyone),
        ("安全检查", url("ledgers:inspection-list"), staff),
        ("重点学生名单", url("dossiers:list"), staff),
        # The university office starts every list with one row per college (issue 12 item 9).
        ("学工部工作台", url("home"), ["office"]),
        ("学工部查寝进度", url("ledgers:night-progress"), ["office"]),
        ("学工部节假日", url("ledgers:holiday-list"), ["office"]),
        ("学工部看板", url("dashboards:index"), ["office"]),
        # The newest grade's 学号 sort last: its first page must not walk the older grades'.
        ("学工部名册（筛选）", url("people:students", query=f"?grade={year}&status=enrolled"), ["office"]),
        ("看板", url("dashboards:index"), staff),
        *[
            (f"API 图表 {key}", url("dashboard-chart-detail", key), [*staff, "office"])
            for key in _chart_keys()
        ],
        ("API 学生列表", url("student-list", query="?page_size=50"), everyone),
        ("API 上报列表", url("report-list"), everyone),
        ("API 待我处理", url("report-list", query="?box=todo"), everyone),
        ("API 网格覆盖", url("api-coverage"), everyone),
        ("API 查寝记录", url("night-check-list", query=f"?date={today}"), everyone),
        ("API 重点学生", url("key-student-list"), staff),
        ("发展党员工作台（支部看板）", url("party:board"), ["leader"]),
        ("API 发展党员档案", url("party-file-list"), ["leader"]),
    ]
    try:
        from campusgrid.dossiers.models import KeyStudent  # optional app

        key = KeyStudent.objects.visible_to(cast["counselor"]).select_related("student").first()
        if key is not None:
            candidates.append(("重点学生档案", url("dossiers:dossier", key.student.student_no), staff))
    except ImportError:
        pass
    return [(label, u, who) for label, u, who in candidates if u]


def _chart_keys() -> list[str]:
    try:
        from campusgrid.core.registry import CHARTS
    except ImportError:
        return []
    return [chart.key for chart in CHARTS]


def admin_pages(cast: dict) -> list[tuple[str, str, str]]:
    """The peer rows: Django admin's generic changelist over the same students
    (label, url, the page of ours it is the peer of)."""
    base = reverse("admin:people_student_changelist")
    return [
        ("admin 学生列表（筛选）", base + "?status__exact=enrolled", "学生名册（筛选）"),
        ("admin 学生列表（搜索）", base + "?q=zh", "学生名册（搜索）"),
    ]


def _fresh_throttle(user) -> None:
    """Forget the user's API request history before a row: a row and its floor are some forty
    requests, and a run of rows as one user passes the per-user rate (429) within the minute.
    The throttle itself still runs on every request, as it does in service."""
    from campusgrid.core.parsers import UserThrottle

    throttle = UserThrottle()
    throttle.cache.delete(throttle.cache_format % {"scope": throttle.scope, "ident": user.pk})


def _admin_access(user, grant: bool) -> None:
    """Give (or take back) the leader the admin's view permission on students, for the peer rows."""
    from django.contrib.auth.models import Permission

    permission = Permission.objects.get(codename="view_student", content_type__app_label="people")
    user.is_staff = grant
    user.save(update_fields=["is_staff"])
    if grant:
        user.user_permissions.add(permission)
    else:
        user.user_permissions.remove(permission)
    for attr in ("_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        user.__dict__.pop(attr, None)


def exports(cast: dict) -> list[tuple[str, str, list[str]]]:
    """(label, url, who) for every Excel export (台账), unfiltered: the whole reach of each."""
    from campusgrid.ledgers.models import HolidayWindow

    def url(name, *args, query="?format=xlsx"):
        try:
            return reverse(name, args=args) + query
        except NoReverseMatch:
            return None

    both = ["leader", "office"] if cast.get("office") else ["leader"]
    window = HolidayWindow.objects.filter(school_class__college=cast["college"]).order_by("-id").first()
    candidates = [
        ("异常情况处理台账", url("reports:list"), both),
        ("夜不归宿台账", url("ledgers:night-list"), both),
        ("请假台账", url("ledgers:leave-list"), both),
        ("节假日离校返校台账", url("ledgers:holiday-ledger"), both),
        ("安全隐患排查台账", url("ledgers:finding-list"), both),
        ("重点学生工作台账", url("dossiers:list"), both),
        ("文明宿舍评比", url("ledgers:ratings"), both),  # the current semester
        ("发展党员工作台账", url("party:board"), both),
        (
            "学期工作报告",
            url("dashboards:report-export"),
            both,
        ),  # the leader's college; the office: the university
    ]
    if window is not None:
        candidates.append(("节假日台账（一个班）", url("ledgers:holiday-window", window.pk), ["leader"]))
    return [(label, u, who) for label, u, who in candidates if u]


def time_export(client: Client, path: str, runs: int) -> dict:
    """An export's server time, SQL count (of the first run) and size; it must answer an .xlsx.
    `cpu_ms` is this process's CPU time for it (the server's work without waiting for the
    database, and without the wait for a busy machine's cores)."""
    times, cpu = [], []
    for i in range(runs):
        started, cpu_started = time.perf_counter(), time.process_time()
        if i == 0:
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(path)
            queries = len(ctx.captured_queries)
        else:
            client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
    xlsx = response.status_code == 200 and response["Content-Type"].startswith(
        "application/vnd.openxmlformats"
    )
    return {
        "status": response.status_code if xlsx or response.status_code != 200 else 0,
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(percentile(times, 0.95), 1),
        "cpu_p50_ms": round(statistics.median(cpu), 1),
        "queries": queries,
        "kb": round(len(response.content) / 1024) if xlsx else 0,
    }


def time_page(client: Client, path: str, runs: int) -> dict:
    return time_pages(client, [path], runs)[0]


def time_pages(client: Client, paths: list[str], runs: int) -> list[dict]:
    """Each path timed `runs` times, the paths taken in turn (a, b, a, b …): pages compared with
    each other meet the same moments of the machine (another process, a cache, the CPU's clock),
    which pages timed one after the other do not."""
    measured = []
    for path in paths:
        for _ in range(2):  # warm: caches, the user's person record, compiled templates
            response = client.get(path)
        with CaptureQueriesContext(connection) as ctx:
            client.get(path)
        # Read it now: captured_queries is a view of the log, which the next request empties.
        measured.append({"status": response.status_code, "queries": len(ctx.captured_queries), "times": []})
    for _ in range(runs):
        for path, row in zip(paths, measured, strict=True):
            started = time.perf_counter()
            client.get(path)
            row["times"].append((time.perf_counter() - started) * 1000)
    return [
        {
            "status": row["status"],
            "p50_ms": round(statistics.median(row["times"]), 1),
            "p95_ms": round(percentile(row["times"], 0.95), 1),
            "queries": row["queries"],
        }
        for row in measured
    ]


GROUPS = ("import", "coverage", "pages", "exports")


def picked(label: str, words, peer: str = "") -> bool:
    """Whether `--pages` asks for this row: no words means every row; an admin peer row is
    picked with the page it is the peer of."""
    return not words or any(word in label or (peer and word in peer) for word in words)


def run(
    *,
    students: int,
    seed: int,
    runs: int,
    skip_import: bool,
    out,
    only: set[str] | None = None,
    page_words: list[str] | None = None,
) -> dict:
    from django.core.management import call_command

    from campusgrid.people.models import Student

    results = {
        "engine": _engine(),
        "students": students,
        "runs": runs,
        "started": time.strftime("%Y-%m-%d %H:%M:%S"),
    }
    out.write(f"== 数据库：{results['engine']}，{students} 名学生")
    call_command("migrate", "--noinput", verbosity=0)
    have = Student.objects.count()
    if have != students:
        out.write(f"  生成演示大学（当前 {have} 名学生）……")
        started = time.perf_counter()
        call_command(
            "demo",
            "--students",
            str(students),
            "--seed",
            str(seed),
            "--replace",
            stdout=io.StringIO(),
        )
        results["demo_s"] = round(time.perf_counter() - started, 1)
        out.write(f"  用时 {results['demo_s']} 秒")
    if connection.vendor == "postgresql":
        # Planner statistics as autovacuum would leave them: a freshly built demo has none,
        # and the plans measured would not be the plans a running system gets.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    only = set(only or GROUPS)
    if skip_import:
        only.discard("import")
    if "import" in only:
        RESULTS_DIR.mkdir(exist_ok=True)
        path = Path(tempfile.gettempdir()) / f"campusgrid-roster-{students}.xlsx"
        rows = roster_file(path)
        out.write(f"== 名册导入（{rows} 行 .xlsx）")
        results["import"] = {"rows": rows, **measure_import(path, out)}
    if "coverage" in only:
        out.write("== 覆盖审计")
        results["coverage"] = measure_coverage()
    cast = personas()
    clients = {}
    for who in ("office", "leader", "counselor", "dorm_head"):
        if cast.get(who) is None:
            continue
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(cast[who])
        clients[who] = client
    if "pages" in only:
        out.write("== 页面与接口")
        from django.test import override_settings

        with override_settings(CAMPUSGRID_BENCH_FLOOR=True):
            html_floor = {who: time_page(clients[who], reverse("bench-floor"), runs) for who in clients}
            floor = {who: time_page(clients[who], reverse("bench-api-floor"), runs) for who in clients}
        ping = {who: time_page(clients[who], reverse("ping"), runs) for who in clients}
        results["floor"] = floor
        results["html_floor"] = html_floor
        results["ping"] = ping
        rows = []
        page_list = pages(cast)
        with override_settings(CAMPUSGRID_BENCH_FLOOR=True):
            for label, path, who_list in page_list:
                if not picked(label, page_words):
                    continue
                own_floor = reverse("bench-api-floor" if page_kind(path) == "api" else "bench-floor")
                for who in [w for w in who_list if w in clients]:
                    # Each page in turn with the floor of its kind, as the same user: the ratio is of
                    # the same moments of the machine, which drifts over a run of minutes.
                    _fresh_throttle(cast[who])
                    measured, beside = time_pages(clients[who], [path, own_floor], runs)
                    rows.append({"page": label, "path": path, "as": who, **measured, "floor_beside": beside})
        leader = cast["leader"]
        ours = {label: path for label, path, who_list in page_list if "leader" in who_list}
        _admin_access(leader, True)
        try:
            for label, path, peer in admin_pages(cast):
                if not picked(label, page_words, peer) or peer not in ours:
                    continue
                # The peer and our page in turn, so that their ratio is of the same moments.
                mine, theirs = time_pages(clients["leader"], [ours[peer], path], runs)
                rows.append(
                    {
                        "page": label,
                        "path": path,
                        "as": "leader",
                        "peer_of": peer,
                        **theirs,
                        "peer_pair": mine,
                    }
                )
        finally:
            _admin_access(leader, False)
        for row in rows:
            kind = page_kind(row["path"])
            base = floor if kind == "api" else html_floor
            row["kind"] = kind
            row["ratio_to_floor"] = floor_ratio(row, base)
            # the old figure, against the trivial Django view, kept so that runs stay comparable
            row["ratio_to_ping"] = round(row["p95_ms"] / max(ping[row["as"]]["p95_ms"], 0.1), 1)
        results["pages"] = rows
    if "exports" in only:
        out.write("== Excel 导出（台账）")
        export_runs = max(1, min(runs, 5))  # an export of the whole university takes seconds
        rows = []
        for label, path, who_list in exports(cast):
            for who in [w for w in who_list if w in clients]:
                measured = time_export(clients[who], path, export_runs)
                rows.append({"export": label, "path": path, "as": who, **measured})
                out.write(
                    f"  {label} · {WHO[who]}：p95 {measured['p95_ms']} ms"
                    f"（CPU {measured['cpu_p50_ms']} ms），{measured['kb']} KB"
                )
        results["exports"] = rows
    return results


WHO = {"office": "学工部", "leader": "学院领导", "counselor": "辅导员", "dorm_head": "舍长"}
# The office's pages span every college (one row per college): p95 under 500 ms at 50,000 students.
TARGET = {"office": 500, "leader": 250, "counselor": 250, "dorm_head": 100}
EXPORT_TARGET = {"leader": 3000, "office": 20000}  # ms: the largest college's exports, the university's


def report(results: dict, out) -> None:
    out.write("")
    out.write(
        f"CampusGrid bench · {results['engine']} · {results['students']} 名学生 · 每页 {results['runs']} 次"
    )
    if "import" in results:
        i = results["import"]
        out.write(
            f"名册导入 {i['rows']} 行：冷导入 {i['cold_s']} s（目标 < 60 s），重复导入 {i['reimport_s']} s（目标 < 20 s）"
            f"（含命令启动约 {i['command_startup_s']} s）"
        )
    if "coverage" in results:
        c = results["coverage"]
        out.write(f"覆盖审计 {c['students']} 名学生：{c['median_s']} s（目标 < 2 s），漏洞 {c['gaps']} 处")
    if "pages" in results:
        floor, html_floor = results["floor"], results.get("html_floor", {})
        out.write(
            "API 底线（与真实接口相同的认证、权限、限流和渲染，空内容）："
            + "，".join(f"{WHO[w]} p95 {floor[w]['p95_ms']} ms" for w in floor)
        )
        if results.get("ping"):
            out.write(
                "空视图（登录后的 Django 视图）："
                + "，".join(f"{WHO[w]} p95 {results['ping'][w]['p95_ms']} ms" for w in results["ping"])
            )
        out.write(
            "HTML 底线（基础布局与导航，无内容）："
            + "，".join(f"{WHO[w]} p95 {html_floor[w]['p95_ms']} ms" for w in html_floor)
        )
        out.write(
            f"{'页面':<16}{'身份':<6}{'p50 ms':>8}{'p95 ms':>8}{'SQL':>5}{'×同类底线':>9}{'×空视图':>7}"
            f"{'预算':>6}  {'状态'}"
        )
        for row in results["pages"]:
            budget = ratio_budget(row)
            ok = row["p95_ms"] < TARGET[row["as"]] and (budget is None or row["ratio_to_floor"] <= budget)
            flag = "✓" if ok and row["status"] == 200 else "✗"
            out.write(
                f"{row['page']:<16}{WHO[row['as']]:<6}{row['p50_ms']:>8}{row['p95_ms']:>8}{row['queries']:>5}"
                f"{row['ratio_to_floor']:>9}{row['ratio_to_ping']:>7}{budget or '':>6}  {row['status']} {flag}"
            )
        for row in results["pages"]:
            mine = row.get("peer_pair")
            if mine:
                out.write(
                    f"同行对比（交替计时）：{row['peer_of']} p50 {mine['p50_ms']} ms 对 {row['page']} p50 "
                    f"{row['p50_ms']} ms（{peer_ratio(row)}×，目标 ≤ {PEER_TARGET}×）"
                )
    if "exports" in results:
        out.write(
            f"{'导出':<16}{'身份':<6}{'p50 ms':>9}{'p95 ms':>9}{'SQL':>5}{'KB':>7}  {'目标 ms':>8}  状态"
        )
        for row in results["exports"]:
            target = EXPORT_TARGET[row["as"]]
            flag = "✓" if row["p95_ms"] < target and row["status"] == 200 else "✗"
            out.write(
                f"{row['export']:<16}{WHO[row['as']]:<6}{row['p50_ms']:>9}{row['p95_ms']:>9}"
                f"{row['cpu_p50_ms']:>9}{row['queries']:>5}"
                f"{row['kb']:>7}  {target:>8}  {row['status']} {flag}"
            )


# Ratio budgets to the HTML floor (issues 15 and 17): the leader's first look (home, tonight's
# progress, coverage, the dashboards) ≤ 10×, the counselor's ≤ 5×, the office's ≤ 20×, a dorm
# head's pages ≤ 2×. None: no budget, the ratio is printed.
FIRST_LOOK = ("工作台（首页）", "今晚查寝进度", "网格覆盖", "看板", "学工部看板", "学工部工作台")
RATIO_BUDGET = {"leader": 10, "counselor": 5, "office": 20, "dorm_head": 2}


# A list built for one access pattern takes at most half the generic admin's time (issue 17 item 2).
PEER_TARGET = 0.5


def page_kind(path: str) -> str:
    """Which floor a row is measured against: "api" for the API, "html" for pages."""
    return "api" if path.startswith("/api/") else "html"


def peer_ratio(row: dict) -> float:
    """Our page's p50 over the admin peer's, both from the same interleaved run."""
    return round(row["peer_pair"]["p50_ms"] / max(row["p50_ms"], 0.1), 2)


def floor_ratio(row: dict, run_floor: dict) -> float:
    """p95 over the floor's p95: the floor timed in turn with the page, else (the admin rows)
    the floor timed at the start of the run for the same user."""
    own = row.get("floor_beside") or run_floor[row["as"]]
    return round(row["p95_ms"] / max(own["p95_ms"], 0.1), 1)


def ratio_budget(row: dict) -> int | None:
    if row.get("kind") != "html" or row.get("peer_of"):
        return None
    if row["as"] == "dorm_head":
        return RATIO_BUDGET["dorm_head"]
    if row["page"] in FIRST_LOOK:
        return RATIO_BUDGET[row["as"]]
    return None


def save(results: dict) -> Path:
    RESULTS_DIR.mkdir(exist_ok=True)
    path = (
        RESULTS_DIR / f"bench-{results['engine']}-{results['students']}-{time.strftime('%Y%m%d-%H%M%S')}.json"
    )
    path.write_text(json.dumps(results, ensure_ascii=False, indent=2))
    return path
