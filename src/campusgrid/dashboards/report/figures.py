"""The figures of the semester report that come from grid, people, ledgers, reports and
dossiers, registered as `core.registry.ReportFigure`s (party and service register their own;
until they do, their slots print 未启用). Each computes with the selectors and scope of the
list page its URL opens, over the college as its leader sees it (`common.Viewer`)."""

from __future__ import annotations

import dataclasses

from django.db.models import Count, Min, Q

from campusgrid.core.registry import FigureValue, ReportFigure, register_report_figure
from campusgrid.grid import coverage
from campusgrid.grid.models import PartyRoom, Post, PostKind, SmallGrid
from campusgrid.people.models import Student, StudentStatus

from .common import Viewer, hours, list_url, memo, pct, percentile, period

# The report's sections, in order (their headings are the PDF's and the sheet's).
SECTIONS = [
    ("grids", "一、网格建设"),
    ("people", "二、参与人员"),
    ("service", "三、服务学生与活动"),
    ("dorm", "四、公寓安全与纪律"),
    ("reports", "五、问题上报与处理"),
    ("key", "六、重点学生与心理筛查"),
    ("party", "七、党员发展"),
    ("awards", "八、评优表彰"),
    ("coverage", "九、网格覆盖率"),
]
SECTION_TITLES = dict(SECTIONS)


@dataclasses.dataclass(frozen=True)
class Slot:
    """A figure the report always carries, whose records live in an app that registers it
    (party, service, the class honours); unregistered, it prints 未启用. The key is the contract:
    the app fills the slot from its hooks with
    `register_report_figure(ReportFigure("party.developed", "party", "发展党员人数", compute))`,
    `compute(college, semester) -> FigureValue(value, unit, list_url, detail, rows, columns, chart)`."""

    key: str
    section: str
    label: str
    source: str
    order: int = 50


SLOTS = [
    Slot("service.volunteers", "people", "志愿者（党员志愿服务队）", "志愿服务", 40),
    Slot("service.students_served", "service", "服务学生人数", "志愿服务", 10),
    Slot("service.activities", "service", "开展服务活动次数", "志愿服务", 20),
    Slot("party.developed", "party", "发展党员人数", "党建", 10),
    Slot("party.pipeline", "party", "发展阶段分布", "党建", 20),
    Slot("party.awards", "awards", "学生公寓优秀党员、先进个人", "党建", 10),
    Slot("dashboards.class_honours", "awards", "优良学风班、三杰班", "班级评优", 30),
]


# --- grids and people ---------------------------------------------------------------------------


def _posts(viewer, on, *kinds):
    return Post.objects.visible_to(viewer).current(on).filter(kind__in=kinds).order_by()


def rooms_with_dorm_head(college, semester) -> FigureValue:
    viewer, p = Viewer(college), period(semester)
    led = _posts(viewer, p.on, PostKind.DORM_HEAD).values("room_id").distinct().count()
    occupied = (
        Student.objects.visible_to(viewer)
        .filter(status=StudentStatus.ENROLLED, bed__isnull=False)
        .values("bed__room_id")
        .distinct()
        .count()
    )
    return FigureValue(
        led,
        "间",
        list_url("grid:posts", college, kind=PostKind.DORM_HEAD),
        f"有学生入住的寝室 {occupied} 间",
    )


def _party_grid_places(college, semester, kind, column: str, model, detail: str) -> FigureValue:
    """The party grid's places (`model`: its rooms or small grids, `column` a post's key to
    them) that have a current holder of `kind`; `detail` says how many there are in all."""
    viewer, p = Viewer(college), period(semester)
    led = _posts(viewer, p.on, kind).values(column).distinct().count()
    places = model.objects.all() if college is None else model.objects.filter(branch__college=college)
    return FigureValue(led, "个", list_url("grid:posts", college, kind=kind), detail.format(places.count()))


def micro_grids(college, semester) -> FigureValue:
    return _party_grid_places(
        college, semester, PostKind.ACTIVIST, "room_id", PartyRoom, "党建网格寝室 {} 间"
    )


def small_grids(college, semester) -> FigureValue:
    return _party_grid_places(
        college,
        semester,
        PostKind.SMALL_GRID_LEADER,
        "small_grid_id",
        SmallGrid,
        "已划分小网格 {} 个（有负责党员的计入）",
    )


def _holders(viewer, on, kinds) -> int:
    rows = _posts(viewer, on, *kinds).values_list("student_id", "staff_id").distinct()
    return len({(s, t) for s, t in rows})


MANAGEMENT = [
    PostKind.DORM_HEAD,
    PostKind.MONITOR,
    PostKind.LEAGUE_SECRETARY,
    PostKind.COUNSELOR,
    PostKind.CLASS_TEACHER,
    PostKind.LEADER,
]


def grid_workers(college, semester) -> FigureValue:
    viewer, p = Viewer(college), period(semester)
    students = len(
        set(
            _posts(viewer, p.on, *MANAGEMENT)
            .filter(student__isnull=False)
            .values_list("student_id", flat=True)
        )
    )
    staff = len(
        set(_posts(viewer, p.on, *MANAGEMENT).filter(staff__isnull=False).values_list("staff_id", flat=True))
    )
    return FigureValue(
        students + staff,
        "人",
        list_url("grid:posts", college),
        f"学生网格员 {students} 人，教职工 {staff} 人（舍长、班长、团支书、辅导员、班主任、学院领导）",
    )


def party_members(college, semester) -> FigureValue:
    viewer, p = Viewer(college), period(semester)
    leaders = _holders(viewer, p.on, [PostKind.SMALL_GRID_LEADER])
    secretaries = _holders(viewer, p.on, [PostKind.BRANCH_SECRETARY])
    both = _holders(viewer, p.on, [PostKind.SMALL_GRID_LEADER, PostKind.BRANCH_SECRETARY])
    return FigureValue(
        both,
        "人",
        list_url("grid:posts", college, kind=PostKind.SMALL_GRID_LEADER),
        f"网格党员 {leaders} 人，支部书记 {secretaries} 人",
    )


def activists(college, semester) -> FigureValue:
    viewer, p = Viewer(college), period(semester)
    return FigureValue(
        _holders(viewer, p.on, [PostKind.ACTIVIST]),
        "人",
        list_url("grid:posts", college, kind=PostKind.ACTIVIST),
        "负责微网格（寝室）的入党积极分子",
    )


# --- coverage -----------------------------------------------------------------------------------


def _coverage(college, semester, on) -> FigureValue:
    """The coverage audit of `on` (grid.coverage, the page it links to with ?on=): the posts
    in term that day and, from the day the 住宿记录 begins, the beds held and the students
    enrolled that day; before it, today's (said in the detail)."""
    from campusgrid.core import clock
    from campusgrid.people import residence

    result = coverage.compute(Viewer(college), on=on)
    detail = (
        f"{on:%Y-%m-%d} 在任网格员覆盖在校学生 {result.students_fully_covered} / {result.students_total} 人"
    )
    if on < clock.today() and not result.as_of_history:
        begins = residence.begins()
        since = f"住宿记录自 {begins:%Y-%m-%d} 起" if begins else "尚无住宿记录"
        detail += f"（{since}，该日的住宿与学籍按报告生成时估算）"
    return FigureValue(
        pct(result.students_fully_covered, result.students_total),
        "%",
        list_url("grid:coverage", college, on=on.isoformat() if on < clock.today() else None),
        detail,
    )


def coverage_start(college, semester) -> FigureValue:
    return _coverage(college, semester, semester.start)


def coverage_end(college, semester) -> FigureValue:
    return _coverage(college, semester, period(semester).on)


# --- ledgers: inspections, night checks, ratings ------------------------------------------------


def _rounds(college, semester) -> list[dict]:
    """The semester's safety rounds with their illegal-appliance rate, oldest first (rounds
    with no room inspected yet left out): the figures of the inspection list's chart."""
    return memo(("rounds", college and college.pk, semester.pk), lambda: _compute_rounds(college, semester))


def _compute_rounds(college, semester) -> list[dict]:
    from campusgrid.ledgers.models import InspectionRound, RoundKind
    from campusgrid.ledgers.selectors import round_figures

    viewer = Viewer(college)
    rounds = list(
        InspectionRound.objects.visible_to(viewer)
        .filter(kind__in=[RoundKind.SAFETY, RoundKind.BOTH])
        .filter(
            Q(semester=semester) | Q(semester__isnull=True, date__gte=semester.start, date__lte=semester.end)
        )
        .order_by("date", "id")
        .values("id", "date", "title")
    )
    figures = round_figures(user=viewer, round_ids=[r["id"] for r in rounds])
    result = []
    for r in rounds:
        f = figures.get(r["id"])
        if f and f["inspected"]:
            result.append({**r, "inspected": f["inspected"], "illegal": f["illegal"], "rate": f["rate"]})
    return result


def _round_value(college, r) -> FigureValue:
    return FigureValue(
        round(r["rate"] * 100, 1),
        "%",
        list_url("ledgers:inspection-round", college, r["id"]),
        f"{r['date']:%Y-%m-%d} {r['title']}：{r['illegal']} / {r['inspected']} 间寝室有违章电器",
    )


def illegal_first(college, semester) -> FigureValue:
    rounds = _rounds(college, semester)
    if not rounds:
        return FigureValue(None, "%", list_url("ledgers:inspection-list", college), "本学期没有安全检查")
    return _round_value(college, rounds[0])


def illegal_last(college, semester) -> FigureValue:
    rounds = _rounds(college, semester)
    if not rounds:
        return FigureValue(None, "%", list_url("ledgers:inspection-list", college), "本学期没有安全检查")
    return _round_value(college, rounds[-1])


def illegal_change(college, semester) -> FigureValue:
    """Seed 004's 违章电器使用率下降了60%: (last − first) / first, the relative change."""
    rounds = _rounds(college, semester)
    rows = [
        {
            "label": f"{r['date']:%m-%d} {r['title']}",
            "value": round(r["rate"] * 100, 1),
            "url": list_url("ledgers:inspection-round", college, r["id"]),
            "illegal": r["illegal"],
            "inspected": r["inspected"],
        }
        for r in rounds
    ]
    columns = [("illegal", "违章电器寝室"), ("inspected", "检查寝室")]
    url = list_url("ledgers:inspection-list", college)
    if len(rounds) < 2:
        return FigureValue(None, "%", url, "本学期安全检查不足两轮，无法比较", rows, columns, "line")
    first, last = rounds[0]["rate"], rounds[-1]["rate"]
    if not first:
        return FigureValue(None, "%", url, "首轮检查没有违章电器，无法计算变化率", rows, columns, "line")
    change = round((last - first) / first * 100, 1)
    word = "下降" if change < 0 else "上升"
    detail = f"首轮 {first * 100:.1f}% → 末轮 {last * 100:.1f}%，{word} {abs(change):.1f}%"
    return FigureValue(change, "%", url, detail, rows, columns, "line")


def night_absences(college, semester) -> FigureValue:
    from campusgrid.ledgers.models import NightCheckEntry, NightStatus

    viewer, p = Viewer(college), period(semester)
    figures = (
        NightCheckEntry.objects.visible_to(viewer)
        .filter(date__gte=p.start, date__lte=p.end)
        .aggregate(nights=Count("id"), absent=Count("id", filter=Q(status=NightStatus.ABSENT)))
    )
    nights, absent = figures["nights"], figures["absent"]
    return FigureValue(
        round(absent * 1000 / nights, 2) if nights else None,
        "人次/千人夜",
        list_url(
            "ledgers:night-list",
            college,
            status=NightStatus.ABSENT,
            date_from=p.start.isoformat(),
            date_to=p.end.isoformat(),
        ),
        f"夜不归宿 {absent} 人次，查寝 {nights} 人夜",
    )


def room_ratings(college, semester) -> FigureValue:
    from campusgrid.ledgers.selectors import rating_summary

    figures = rating_summary(user=Viewer(college), semester=semester)
    return FigureValue(
        figures["civil"],
        "间",
        list_url("ledgers:ratings", college, semester=semester.pk, civil="on"),
        f"文明宿舍 {figures['civil']} 间，示范寝室 {figures['model']} 间，五星宿舍 {figures['stars5']} 间，"
        f"共评定 {figures['rooms']} 间",
    )


# --- reports ------------------------------------------------------------------------------------


def _reports(college, semester):
    from campusgrid.reports.models import Report

    p = period(semester)
    return Report.objects.visible_to(Viewer(college)).filter(
        created_at__date__gte=p.start, created_at__date__lte=p.end
    )


def _report_times(college, semester) -> list[dict]:
    """Each report of the semester: category, created, handle_due and the first time it was
    accepted and handled (from its timeline)."""
    return memo(
        ("reports", college and college.pk, semester.pk), lambda: _compute_report_times(college, semester)
    )


def _compute_report_times(college, semester) -> list[dict]:
    from campusgrid.reports.models import ReportEvent

    reports = _reports(college, semester)
    rows = {
        r["id"]: {**r, "accepted": None, "handled": None}
        for r in reports.order_by().values(
            "id", "category_id", "category__name", "category__order", "created_at", "handle_due"
        )
    }
    firsts = (
        ReportEvent.objects.filter(report_id__in=reports.values("pk"), action__in=["accept", "handle"])
        .values("report_id", "action")
        .annotate(at=Min("at"))
        .order_by()
    )
    for event in firsts:
        row = rows.get(event["report_id"])
        if row is not None:
            row["accepted" if event["action"] == "accept" else "handled"] = event["at"]
    return list(rows.values())


def _timing(rows: list[dict]) -> dict:
    accept = [(r["accepted"] - r["created_at"]).total_seconds() for r in rows if r["accepted"]]
    handle = [(r["handled"] - r["created_at"]).total_seconds() for r in rows if r["handled"]]
    handled = [r for r in rows if r["handled"]]
    in_time = sum(1 for r in handled if r["handle_due"] is None or r["handled"] <= r["handle_due"])
    return {
        "accept_median": hours(percentile(accept, 0.5)),
        "accept_p90": hours(percentile(accept, 0.9)),
        "handle_median": hours(percentile(handle, 0.5)),
        "handle_p90": hours(percentile(handle, 0.9)),
        "handled": len(handled),
        "in_time": in_time,
        "in_time_rate": pct(in_time, len(handled)),
    }


REPORT_COLUMNS = [
    ("accept_median", "受理用时中位数（小时）"),
    ("accept_p90", "受理用时P90（小时）"),
    ("handle_median", "处理用时中位数（小时）"),
    ("handle_p90", "处理用时P90（小时）"),
    ("in_time_rate", "按期处理率（%）"),
]


def reports_by_category(college, semester) -> FigureValue:
    p = period(semester)
    dates = {"date_from": p.start.isoformat(), "date_to": p.end.isoformat()}
    rows = _report_times(college, semester)
    by_category: dict[int, list] = {}
    for row in rows:
        by_category.setdefault(row["category_id"], []).append(row)
    table = []
    for category_id, items in sorted(
        by_category.items(), key=lambda kv: (kv[1][0]["category__order"], kv[0])
    ):
        table.append(
            {
                "label": items[0]["category__name"],
                "value": len(items),
                "url": list_url("reports:list", college, category=category_id, **dates),
                **_timing(items),
            }
        )
    overall = _timing(rows)
    detail = (
        f"受理用时中位数 {_h(overall['accept_median'])}、P90 {_h(overall['accept_p90'])}；"
        f"处理用时中位数 {_h(overall['handle_median'])}、P90 {_h(overall['handle_p90'])}"
    )
    return FigureValue(
        len(rows), "件", list_url("reports:list", college, **dates), detail, table, REPORT_COLUMNS, "bar"
    )


def _h(value) -> str:
    return "—" if value is None else f"{value:g} 小时"


def _report_dates(semester) -> dict:
    p = period(semester)
    return {"date_from": p.start.isoformat(), "date_to": p.end.isoformat()}


def reports_in_time(college, semester) -> FigureValue:
    """按期处理率: of the semester's reports handled, those first handled within their deadline
    — counted with the report list's own filter (?within_deadline=yes|no), which each part
    of the figure opens."""
    from campusgrid.reports.filters import handled_within_deadline

    reports = _reports(college, semester)
    in_time = handled_within_deadline(reports, True).count()
    late = handled_within_deadline(reports, False).count()
    dates = _report_dates(semester)

    def url(within):
        return list_url("reports:list", college, within_deadline=within, **dates)

    rows = [
        {"label": "按期处理", "value": in_time, "url": url("yes")},
        {"label": "超期处理", "value": late, "url": url("no")},
    ]
    return FigureValue(
        pct(in_time, in_time + late),
        "%",
        url("yes"),
        f"在处理期限内处理 {in_time} / 已处理 {in_time + late} 件",
        rows,
        [],
        "",
    )


def escalations(college, semester) -> FigureValue:
    """逐级上报: the semester's reports moved up a level at least once (the list's
    ?escalated=on), with the automatic escalations (超时自动升级) in the detail."""
    from campusgrid.reports.filters import escalated
    from campusgrid.reports.filters import escalations as moves

    reports = _reports(college, semester)
    automatic = moves(reports).filter(action="auto_escalate").count()
    major = reports.filter(major_event=True).count()
    return FigureValue(
        escalated(reports).count(),
        "件",
        list_url("reports:list", college, escalated="on", **_report_dates(semester)),
        f"其中超时自动升级 {automatic} 次；报告学校的重大事件 {major} 件",
    )


# --- dossiers -----------------------------------------------------------------------------------


def _key_on(college, semester):
    """The key students on the list on the day the state figures are taken (the semester's last
    day, or today while it runs): {id: KeyState} from the 变更记录 for a past day (the list
    opens with ?on=), None for today (the current records are that day's)."""
    from campusgrid.core import clock
    from campusgrid.dossiers.models import KeyStudent
    from campusgrid.dossiers.selectors import key_students_on

    on = period(semester).on
    if on >= clock.today():
        return on, None
    key = ("key_on", college and college.pk, semester.pk)
    return on, memo(key, lambda: key_students_on(KeyStudent.objects.visible_to(Viewer(college)), on))


def key_students(college, semester) -> FigureValue:
    """重点学生按原因 (seed 004 三.3): those on the list at the end of the semester — a state,
    taken on the same day as the posts and coverage at its end."""
    from campusgrid.dossiers.models import KeyReason, KeyStudent

    on, state = _key_on(college, semester)
    day = {} if state is None else {"on": on.isoformat()}
    if state is None:
        active = KeyStudent.objects.visible_to(Viewer(college)).filter(active=True)
        total = active.count()
        by_id = dict(
            active.order_by()
            .values("reasons")
            .annotate(n=Count("pk", distinct=True))
            .values_list("reasons", "n")
        )
        names = dict(KeyReason.objects.values_list("pk", "name"))
        counts = {names[k]: n for k, n in by_id.items() if k in names}
    else:
        total = len(state)
        counts = {}
        for ks in state.values():
            for name in ks.reasons:
                counts[name] = counts.get(name, 0) + 1
    rows = [
        {
            "label": reason.name,
            "value": counts.get(reason.name, 0),
            "url": list_url("dossiers:list", college, reason=reason.name, **day),
        }
        for reason in KeyReason.objects.order_by("order", "id")
        if counts.get(reason.name) or reason.active
    ]
    return FigureValue(
        total,
        "人",
        list_url("dossiers:list", college, **day),
        f"{on:%Y-%m-%d} 在册重点学生，按原因",
        rows,
        [],
        "bar",
    )


def key_reviews(college, semester) -> FigureValue:
    from campusgrid.dossiers.models import KeyStudent, KeyStudentChange

    viewer, p = Viewer(college), period(semester)
    on, state = _key_on(college, semester)
    if state is None:
        active = KeyStudent.objects.visible_to(viewer).filter(active=True)
        total = active.count()
        overdue = active.filter(next_review__lt=p.on).count()
        url = list_url("dossiers:list", college, review="overdue")
    else:
        total = len(state)
        overdue = sum(ks.overdue for ks in state.values())
        url = list_url("dossiers:list", college, review="overdue", on=on.isoformat())
    done = KeyStudentChange.objects.filter(
        key_student__in=KeyStudent.objects.visible_to(viewer).values("pk"),
        action=KeyStudentChange.Action.REVIEW,
        at__date__gte=p.start,
        at__date__lte=p.end,
    ).count()
    return FigureValue(
        pct(total - overdue, total),
        "%",
        url,
        f"{on:%Y-%m-%d} 按期复查 {total - overdue} / 在册 {total} 人，逾期未复查 {overdue} 人；"
        f"本学期完成复查 {done} 次",
    )


def screening_follow_up(college, semester) -> FigureValue:
    from campusgrid.dossiers.models import FollowUp, ScreeningResult

    results = ScreeningResult.objects.visible_to(Viewer(college)).filter(
        semester=semester, over_threshold=True
    )
    figures = results.aggregate(
        total=Count("id"),
        done=Count("id", filter=Q(follow_up=FollowUp.DONE)),
        pending=Count("id", filter=Q(follow_up=FollowUp.PENDING)),
    )
    return FigureValue(
        pct(figures["done"], figures["total"]),
        "%",
        list_url(
            "dossiers:screening", college, semester=semester.pk, over_threshold=1, follow_up=FollowUp.PENDING
        ),
        f"筛查达到阈值 {figures['total']} 人，已跟进 {figures['done']} 人，待跟进 {figures['pending']} 人",
    )


# --- class honours (this app's own appraisal) ---------------------------------------------------


def class_honours(college, semester) -> FigureValue:
    """优良学风班、三杰班: the honours the college decided to grant for the semester, by kind,
    naming the classes. The list is the 班级评优 page of the college and semester (it takes the
    college by name); for the university it opens on the office's first college."""
    from urllib.parse import urlencode

    from django.urls import reverse

    from campusgrid.dashboards.appraisal.honours import class_honours_list
    from campusgrid.dashboards.models import ClassHonour, HonourKind

    if college is None:
        granted = list(
            ClassHonour.objects.approved()
            .filter(semester=semester)
            .select_related("school_class")
            .order_by("kind", "rank", "school_class__name")
        )
        query = {"semester": semester.pk}
    else:
        granted = class_honours_list(college=college, semester=semester)
        query = {"semester": semester.pk, "college": college.name}
    url = f"{reverse('dashboards:honours')}?{urlencode(query)}"
    rows = []
    for value, label in HonourKind.choices:
        classes = [h.school_class.name for h in granted if h.kind == value]
        rows.append({"label": label, "value": len(classes), "url": url, "classes": "、".join(classes) or "—"})
    detail = "；".join(f"{r['label']} {r['value']} 个" for r in rows)
    return FigureValue(len(granted), "个", url, detail, rows, [("classes", "班级")], "")


FIGURES = [
    ReportFigure("dashboards.class_honours", "awards", "优良学风班、三杰班", class_honours, 30, "班级评优"),
    ReportFigure(
        "grid.rooms_with_dorm_head", "grids", "寝室网格（有舍长的寝室）", rooms_with_dorm_head, 10, "网格"
    ),
    ReportFigure("grid.micro_grids", "grids", "微网格（有入党积极分子负责的寝室）", micro_grids, 20, "网格"),
    ReportFigure("grid.small_grids", "grids", "党建小网格（有负责党员）", small_grids, 30, "网格"),
    ReportFigure("people.grid_workers", "people", "网格员", grid_workers, 10, "网格"),
    ReportFigure("people.party_members", "people", "参与网格的党员", party_members, 20, "网格"),
    ReportFigure("people.activists", "people", "入党积极分子", activists, 30, "网格"),
    ReportFigure("dorm.illegal_first", "dorm", "首轮检查违章电器使用率", illegal_first, 10, "台账"),
    ReportFigure("dorm.illegal_last", "dorm", "末轮检查违章电器使用率", illegal_last, 20, "台账"),
    ReportFigure("dorm.illegal_change", "dorm", "违章电器使用率变化", illegal_change, 30, "台账"),
    ReportFigure("dorm.night_absences", "dorm", "夜不归宿（每千人夜）", night_absences, 40, "台账"),
    ReportFigure("reports.by_category", "reports", "问题上报（按类别）", reports_by_category, 10, "上报"),
    ReportFigure("reports.in_time", "reports", "按期处理率", reports_in_time, 20, "上报"),
    ReportFigure("reports.escalations", "reports", "逐级上报", escalations, 30, "上报"),
    ReportFigure("key.by_reason", "key", "重点学生（按原因）", key_students, 10, "一人一档"),
    ReportFigure("key.reviews", "key", "重点学生按期复查率", key_reviews, 20, "一人一档"),
    ReportFigure("key.screening", "key", "心理筛查跟进率", screening_follow_up, 30, "一人一档"),
    ReportFigure("awards.room_ratings", "awards", "文明宿舍", room_ratings, 20, "台账"),
    ReportFigure("coverage.start", "coverage", "学期初网格覆盖率", coverage_start, 10, "网格"),
    ReportFigure("coverage.end", "coverage", "学期末网格覆盖率", coverage_end, 20, "网格"),
]


def register() -> None:
    for figure in FIGURES:
        register_report_figure(figure)
