"""Extension points that later apps plug into without core knowing them:
navigation entries and home-dashboard panels (SPEC §12), and `tick` jobs."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable


@dataclasses.dataclass(frozen=True)
class NavItem:
    """A menu entry: `visible(user, scope)` says whether to draw it (it must say what the page's
    own check says), `badge(user)` an optional count. `group` is the key of a NAV_GROUPS entry
    the item is drawn under ("" keeps it at the top level: 工作台, 通知).

    The menu is kept between requests (core.context_processors), keyed on the user, their scope,
    the minute and the change counters of `inputs()`: the models that `visible` and `badge` read
    beyond the scope. tests/foundation/test_menu_kept.py checks every persona's menu reads no
    other table."""

    label: str
    url_name: str
    icon: str
    order: int = 50
    visible: Callable = lambda user, scope: True  # noqa: E731
    badge: Callable | None = None  # (user) -> int | None
    group: str = ""
    inputs: Callable = lambda: ()  # noqa: E731  () -> the models visible/badge read


@dataclasses.dataclass(frozen=True)
class NavGroup:
    """A collapsible section of the menu (issue 15): drawn only when it holds a visible item,
    and as a plain item when it holds exactly one."""

    key: str
    label: str
    icon: str


# The menu's skeleton, in the order it is drawn after the top-level items. A product decision,
# not any app's knowledge: apps name the group of their items by key.
NAV_GROUPS: tuple[NavGroup, ...] = (
    NavGroup("report", "上报", "megaphone"),
    NavGroup("ledger", "台账", "journal-check"),
    NavGroup("grid", "网格", "diagram-3"),
    NavGroup("dossier", "档案", "person-vcard"),
    NavGroup("service", "服务", "heart"),
    NavGroup("party", "党建", "flag"),
    NavGroup("board", "看板", "bar-chart-line"),
    NavGroup("admin", "管理", "gear"),
)


@dataclasses.dataclass(frozen=True)
class Panel:
    """A home-dashboard panel: `render(request) -> dict | None` gives the template
    context (None hides it); `template` renders that context."""

    key: str
    template: str
    render: Callable
    order: int = 50


@dataclasses.dataclass(frozen=True)
class TickJob:
    """A time-based job run by `campusgrid tick`: `run(now) -> int` (things done).

    Jobs must be idempotent: running tick twice at the same moment does nothing
    the second time (each job records what it already did)."""

    name: str
    run: Callable
    order: int = 50


@dataclasses.dataclass(frozen=True)
class Section:
    """A block on a detail page (student, class, room) contributed by another app:
    `render(request, obj) -> dict | None` gives the context of `template`."""

    key: str
    template: str
    render: Callable
    order: int = 50


@dataclasses.dataclass(frozen=True)
class DemoStep:
    """Adds an app's records to the demo college: `run(demo)` gets the builder's
    Demo (rng, today, colleges, semester, personas) after the grids exist."""

    name: str
    run: Callable
    order: int = 50


@dataclasses.dataclass(frozen=True)
class HealthCheck:
    """One line of /healthz: `run() -> dict` with at least `ok` (bool); no personal data."""

    name: str
    run: Callable
    order: int = 50


@dataclasses.dataclass(frozen=True)
class RetentionRule:
    """What an app erases of students whose retention period ended (PIPL):
    `run(students, dry_run) -> int` (rows erased or that would be), `students` a
    queryset of people.Student. Must be irreversible and idempotent."""

    name: str
    label: str
    run: Callable
    order: int = 50


@dataclasses.dataclass(frozen=True)
class PersonalDataPart:
    """A part of a student's own-data download (PIPL 第四十五条): `collect(student)`
    returns JSON-ready rows of what the app holds about them."""

    key: str
    label: str
    collect: Callable
    order: int = 50


NAV: list[NavItem] = []
PERSONAL_DATA: list[PersonalDataPart] = []
RETENTION_RULES: list[RetentionRule] = []
HEALTH_CHECKS: list[HealthCheck] = []
DEMO_STEPS: list[DemoStep] = []
SECTIONS: dict[str, list[Section]] = {}
PANELS: list[Panel] = []
TICK_JOBS: list[TickJob] = []


def _register(items: list, item, key: str) -> None:
    """Add `item` once (by its `key` attribute), keeping the list in `order`."""
    if all(getattr(existing, key) != getattr(item, key) for existing in items):
        items.append(item)
        items.sort(key=lambda i: i.order)


def register_nav(item: NavItem) -> None:
    if item.group and item.group not in {g.key for g in NAV_GROUPS}:
        raise ValueError(f"unknown navigation group {item.group!r} of {item.url_name}")
    _register(NAV, item, "url_name")


def register_panel(panel: Panel) -> None:
    _register(PANELS, panel, "key")


def register_tick_job(job: TickJob) -> None:
    _register(TICK_JOBS, job, "name")


def register_section(page: str, section: Section) -> None:
    _register(SECTIONS.setdefault(page, []), section, "key")


def render_sections(page: str, request, obj) -> list[dict]:
    """The sections of a detail page, rendered in order, hidden ones left out."""
    result = []
    for section in SECTIONS.get(page, []):
        context = section.render(request, obj)
        if context is not None:
            result.append({"key": section.key, "template": section.template, "context": context})
    return result


def render_panels(request) -> list[dict]:
    result = []
    for panel in PANELS:
        context = panel.render(request)
        if context is not None:
            result.append({"key": panel.key, "template": panel.template, "context": context})
    return result


def register_demo_step(step: DemoStep) -> None:
    _register(DEMO_STEPS, step, "name")


def register_health_check(check: HealthCheck) -> None:
    _register(HEALTH_CHECKS, check, "name")


def register_retention_rule(rule: RetentionRule) -> None:
    _register(RETENTION_RULES, rule, "name")


def register_personal_data(part: PersonalDataPart) -> None:
    _register(PERSONAL_DATA, part, "key")


# --- who may open a page: the rule a link asks before it is drawn (issue 12 item 2) ----------------

OPENERS: dict[str, Callable] = {}


def register_opener(url_name: str, rule: Callable) -> None:
    """`rule(user, obj) -> bool` answers whether `user` may open the page `url_name` of `obj`;
    it must say exactly what the view's own lookup says (the view 404s otherwise). Templates ask
    it through `{% can_open "url:name" obj as ok %}` so that no link is drawn to a page the
    person cannot open."""
    OPENERS[url_name] = rule


def may_open(user, url_name: str, obj=None) -> bool:
    rule = OPENERS.get(url_name)
    if rule is None:
        raise KeyError(f"no opener registered for {url_name!r}")
    return bool(rule(user, obj))


# --- one row per college: the office's first view of every list (issue 12 item 9) ---------------


@dataclasses.dataclass(frozen=True)
class CollegeColumn:
    """A column of the per-college overview: `compute(user) -> {college_id: value}`, one
    aggregate query whatever the number of colleges; `rate` columns hold (done, total)."""

    key: str
    label: str
    compute: Callable
    order: int = 50
    kind: str = "count"  # "count", "alert" (red when non-zero) or "rate"
    # () -> (url_name, params): the list of exactly the rows a count cell counts, opened with
    # ?college=<id> (grid.middleware narrows the scope to the row's college); None: no list.
    link: Callable | None = None


COLLEGE_COLUMNS: list[CollegeColumn] = []


def register_college_column(column: CollegeColumn) -> None:
    _register(COLLEGE_COLUMNS, column, "key")


# --- semester figures computed from the records (issue 15 items 2 and 3) ------------------------


@dataclasses.dataclass(frozen=True)
class SemesterMetric:
    """A figure of a semester's record, computed by the app that holds the records: of a grid
    worker's term (subject "worker", for the appraisal) or of a class (subject "class", for the
    class honours). `compute(*, semester, subjects) -> {subject_id: (value, score, detail)}` takes
    every subject at once (posts or classes) in a fixed number of queries; `score` is 0–100 or
    None when the figure says nothing of this subject (no record to judge by). `kinds`: the post
    kinds a worker metric applies to. Dashboards lists the metrics it expects; one whose source
    app has not registered it is shown as 未启用, never as 0."""

    key: str
    label: str
    subject: str
    compute: Callable
    kinds: tuple = ()
    unit: str = ""
    order: int = 50


SEMESTER_METRICS: list[SemesterMetric] = []


def register_semester_metric(metric: SemesterMetric) -> None:
    _register(SEMESTER_METRICS, metric, "key")


def semester_metric(key: str) -> SemesterMetric | None:
    return next((m for m in SEMESTER_METRICS if m.key == key), None)


@dataclasses.dataclass(frozen=True)
class SuggestionExclusion:
    """Students the vacancy suggestions leave out (grid.selectors.vacancy_candidates), from an
    app above grid: `student_ids(kind) -> queryset or list of student ids` (e.g. a worker
    appraised 不合格 by dashboards). `reason` says why, for the appointment page."""

    key: str
    reason: str
    student_ids: Callable
    order: int = 50


SUGGESTION_EXCLUSIONS: list[SuggestionExclusion] = []


def register_suggestion_exclusion(item: SuggestionExclusion) -> None:
    _register(SUGGESTION_EXCLUSIONS, item, "key")


# --- the semester report's figures (issue 15 item 4, SPEC §12) ----------------------------------


@dataclasses.dataclass
class FigureValue:
    """What a semester-report figure computes: the value (a number, or None when there is
    nothing to measure yet, shown as —), its unit, the list URL of the rows it came from,
    a line of detail, and for a breakdown its `rows` ({"label", "value", "url", …}) with the
    `columns` after the label (key, heading) and the `chart` to draw ("bar", "line" or "")."""

    value: object = None
    unit: str = ""
    url: str = ""
    detail: str = ""
    rows: list | None = None
    columns: list | None = None
    chart: str = ""


@dataclasses.dataclass(frozen=True)
class ReportFigure:
    """One figure of the semester report: `compute(college, semester) -> FigureValue`, the
    college None for the whole university. An app registers the figures of its own records;
    a figure whose app has not registered it is printed as 未启用 (never 0)."""

    key: str
    section: str
    label: str
    compute: Callable
    order: int = 50
    source: str = ""


REPORT_FIGURES: list[ReportFigure] = []


def register_report_figure(figure: ReportFigure) -> None:
    _register(REPORT_FIGURES, figure, "key")


# --- what counts in an activist's assessment sheet and the semester awards (issue 13 item 2) ------


@dataclasses.dataclass(frozen=True)
class AssessmentSource:
    """A block of records on a party activist's semester assessment sheet, contributed by an
    app that `party` may not know of yet (service's hours and 舆情 reports register here from
    service/hooks.py). `collect(*, user, student, semester) -> list[dict]` gives the sheet's
    lines, each `{"label": str, "value": str}`, read through the app's own scoped selectors.
    `points(*, user, students, semester) -> {student_id: [(points, reason)]}` (optional, one query for
    all the students) feeds the award proposals: each reason a Chinese sentence, each points
    value what it adds to the candidate's standing."""

    key: str
    label: str
    collect: Callable
    points: Callable | None = None
    order: int = 50


ASSESSMENT_SOURCES: list[AssessmentSource] = []


def register_assessment_source(source: AssessmentSource) -> None:
    _register(ASSESSMENT_SOURCES, source, "key")


# --- dashboard charts: data-driven, each app adds its own (issue 15 item 1) ---------------------


@dataclasses.dataclass(frozen=True)
class Chart:
    """A chart of the dashboards (ECharts, drawn by static/campusgrid/dashboards/charts.js).

    `data(request) -> dict | None` reads through the app's scoped selectors and returns
    {"categories": [...], "series": [{"name", "data": [{"value", "url"}], "stack"?}], "unit"?}
    — every datum carries the URL of the list of its rows (core.figures.list_url), so a click
    on a bar opens them; None hides the chart. `kind`: "bar", "stacked", "line", "gauge",
    "pie". `visible(user, scope)` says who sees it (levels 3–5: counselor, leader, office)."""

    key: str
    title: str
    kind: str
    data: Callable
    visible: Callable = lambda user, scope: True  # noqa: E731
    order: int = 50
    note: str = ""


CHARTS: list[Chart] = []


def register_chart(chart: Chart) -> None:
    _register(CHARTS, chart, "key")
