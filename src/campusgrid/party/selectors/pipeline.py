"""Every read of the pipeline: files (scoped, with what the board and the API need in a
fixed number of queries), their schedules and warnings, meetings and materials."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import gc
import json

from django.db.models import Case, Prefetch, QuerySet, TextField, When
from django.db.models.functions import Cast

from campusgrid.core import clock
from campusgrid.core.scoping import CHANGE, VIEW, get_visible_or_404

from .. import rules, warnings
from ..models.pipeline import (
    BranchMeeting,
    DevelopmentFile,
    Material,
    MeetingVote,
    Mentor,
    Stage,
    Step,
    StepCode,
)

# A bachelor's course: students of grade Y leave on 30 June of Y + 4 unless they left already.
STUDY_YEARS = 4


def leaves_on(student) -> dt.date | None:
    """When the student leaves school: their recorded leaving date, else the end of their
    course from their class's grade (the semester calendar has no graduation date)."""
    if student is None:
        return None
    if student.left_on:
        return student.left_on
    school_class = student.school_class
    grade = school_class.grade if school_class is not None and school_class.grade_id else None
    return _leaves_on(student.left_on, grade.year if grade else None)


def _leaves_on(left_on: dt.date | None, grade_year: int | None) -> dt.date | None:
    if left_on:
        return left_on
    return dt.date(grade_year + STUDY_YEARS, 6, 30) if grade_year else None


def college_holidays() -> frozenset[dt.date]:
    """The college's own holidays (org.Holiday), as dates: one query."""
    from campusgrid.org.models import Holiday

    return rules.holiday_dates(Holiday.objects.values_list("start", "end"))


def _base() -> QuerySet:
    return DevelopmentFile.objects.select_related(
        "student__school_class__grade", "student__bed__room__building", "staff", "branch"
    ).prefetch_related(
        Prefetch("steps", queryset=Step.objects.order_by("on", "id")),
        Prefetch(
            "mentors",
            queryset=Mentor.objects.filter(end__isnull=True).select_related("student", "staff"),
            to_attr="current_mentors",
        ),
    )


def file_list(
    *, user, branch: int | None = None, stage: str | None = None, q: str | None = None, action: str = VIEW
) -> QuerySet:
    qs = _base().visible_to(user, action)
    if branch:
        qs = qs.filter(branch_id=branch)
    if stage:
        qs = qs.filter(stage=stage)
    if q:
        qs = qs.filter(student__in=_students_matching(q))
    return qs.order_by("branch_id", "applied_on", "id")


def _students_matching(q: str):
    from campusgrid.people.models import Student

    return Student.objects.search(q).values("id")


def file_get(*, user, number: str, action: str = VIEW) -> DevelopmentFile:
    """One file by 学号 (or 工号), 404 when missing or out of scope."""
    from django.db.models import Q

    qs = _base().filter(Q(student__student_no=number) | Q(staff__staff_no=number))
    return get_visible_or_404(qs, user, action)


def file_get_for_change(*, user, number: str) -> DevelopmentFile:
    return file_get(user=user, number=number, action=CHANGE)


def facts_of(file: DevelopmentFile) -> rules.Facts:
    """The rules' view of a file, from its prefetched steps."""
    steps: dict[str, list] = {}
    for step in file.steps.all():
        steps.setdefault(step.code, []).append((step.on, step.data or {}))
    return rules.Facts(
        version=file.rule_version, applied_on=file.applied_on, steps=steps, leaves_on=leaves_on(file.student)
    )


@dataclasses.dataclass
class FileView:
    """A file with its schedule and warnings, as the board, the timeline and the API show it."""

    file: DevelopmentFile
    facts: rules.Facts
    windows: list[rules.Window]
    warnings: list[warnings.FileWarning]

    @property
    def next_window(self) -> rules.Window | None:
        for w in self.windows:
            if (
                not w.done
                and all(self.facts.first(n) for n in w.needs)
                and w.code
                not in (
                    StepCode.REVIEW,
                    StepCode.REPORT,
                    StepCode.EXTEND_PROBATION,
                    StepCode.MENTORS,
                )
            ):
                return w
        return None

    @property
    def guard(self) -> str | None:
        return rules.graduation_guard(self.facts.leaves_on, clock.today())


def file_view(
    file: DevelopmentFile, *, holidays: frozenset[dt.date], today: dt.date | None = None
) -> FileView:
    today = today or clock.today()
    college = rules.CollegeRules.configured()
    facts = facts_of(file)
    mentors = [
        warnings.mentor_facts(m) for m in getattr(file, "current_mentors", []) if m.role == Mentor.Role.MENTOR
    ]
    return FileView(
        file=file,
        facts=facts,
        windows=rules.schedule(facts, college=college, holidays=holidays),
        warnings=warnings.compute(
            facts,
            today=today,
            college=college,
            holidays=holidays,
            mentors=mentors,
            closed=file.closed_on is not None,
        ),
    )


def file_views(files, *, holidays: frozenset[dt.date] | None = None) -> list[FileView]:
    holidays = college_holidays() if holidays is None else holidays
    today = clock.today()
    return [file_view(f, holidays=holidays, today=today) for f in files]


def open_files(files) -> QuerySet:
    """The files still in the pipeline (not 终止): what the board lists and its figures count."""
    return files.filter(closed_on__isnull=True)


def stage_counts(files) -> dict[str, int]:
    """Open files by stage, in one query (the dashboard's pipeline chart; each stage's bar
    opens the board filtered to it, which lists `open_files` of the same FileFilter)."""
    from django.db.models import Count

    return dict(
        open_files(files).order_by().values("stage").annotate(n=Count("id")).values_list("stage", "n")
    )


def developed_between(files, first: dt.date | None = None, last: dt.date | None = None) -> QuerySet:
    """The files approved as 预备党员 (the step `probationary`, 党委审批) between the dates:
    the board's 发展日期 filter and the semester report's 发展党员人数 alike."""
    steps = Step.objects.filter(code=StepCode.PROBATIONARY)
    if first is not None:
        steps = steps.filter(on__gte=first)
    if last is not None:
        steps = steps.filter(on__lte=last)
    return files.filter(pk__in=steps.values("file_id"))


def board(*, user, branch: int | None = None) -> dict:
    """The secretary's board: open files by stage, warned files first in each column."""
    return board_of(open_files(file_list(user=user, branch=branch)))


# A college's board holds thousands of files: each column and the warning list show their
# first rows (warned first, then the oldest) and say how many more; a column's count opens the
# board filtered to that stage, which pages through all of its files.
BOARD_LIMIT = 20
BOARD_PAGE = 50
WARNINGS_LIMIT = 30


@dataclasses.dataclass(frozen=True)
class PlainFile:
    """A file as plain values (`row`: the columns asked for) with its facts and warnings."""

    row: dict
    facts: rules.Facts
    warnings: list[warnings.FileWarning]


def _plain_querysets(files, fields) -> tuple[QuerySet, QuerySet, QuerySet]:
    files = files.select_related(None).prefetch_related(None)
    ids = files.values("pk")
    rows = files.values(
        "id", "rule_version", "applied_on", "closed_on", "student__left_on",
        "student__school_class__grade__year", *fields,
    )  # fmt: skip
    # Only the data the rules read is decoded (a university's 200,000 steps, most of them {}),
    # and as text: a JSON column's converter runs on every row, NULL or not.
    read = Case(
        When(code__in=rules.DATA_READ, then=Cast("data", TextField())), default=None, output_field=TextField()
    )
    steps = (
        Step.objects.filter(file_id__in=ids)
        .order_by("file_id", "on", "id")
        .annotate(read=read)
        .values_list("file_id", "code", "on", "read")
    )
    # Each file's mentors in the prefetch's order (Meta.ordering's "file" would join the branches).
    mentors = (
        Mentor.objects.filter(file_id__in=ids, end__isnull=True, role=Mentor.Role.MENTOR)
        .order_by("file_id", "role", "start", "id")
        .values_list(
            "id",
            "file_id",
            "student_id",
            "student__name",
            "student__political_status",
            "student__status",
            "staff__name",
            "staff__active",
        )  # fmt: skip
    )
    return rows, steps, mentors


def plain_files(
    files, *fields: str, check: str = "", holidays: frozenset[dt.date] | None = None
) -> list[PlainFile]:
    """Every file of `files` (in its order) with its facts and warnings, read as values in three
    queries — no model instances, no decrypted columns, no schedule, and of the steps' data only
    what the rules read (`rules.DATA_READ`): what the board and the 台账 need of thousands of
    files (a college's board took seconds through `file_views`).
    `check`: the kept figure's name, for the kept-inputs guard (core.fingerprint.check_inputs)."""
    from campusgrid.core.fingerprint import check_inputs

    querysets = _plain_querysets(files, fields)
    if check:
        check_inputs(check, board_inputs(), querysets)
    with _no_cycle_collection():
        return _plain_files(*querysets, holidays=holidays)


@contextlib.contextmanager
def _no_cycle_collection():
    """Pause the cyclic garbage collector while a college's files become plain values: tens of
    thousands of small rows, none of them in a cycle, set off collections of the whole heap
    that took a third of the board's first look. Reference counting still frees them."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def _plain_files(rows, step_rows, mentor_rows, *, holidays) -> list[PlainFile]:
    from campusgrid.people.models import PoliticalStatus, StudentStatus

    empty: dict = {}  # the steps without data share one (the rules only read it)
    steps: dict[int, dict[str, list]] = {}
    for file_id, code, on, data in step_rows:
        steps.setdefault(file_id, {}).setdefault(code, []).append(
            (on, (json.loads(data) or empty) if data is not None else empty)
        )
    mentors: dict[int, list[warnings.MentorFacts]] = {}
    for pk, file_id, student_id, s_name, s_political, s_status, staff_name, staff_active in mentor_rows:
        mentors.setdefault(file_id, []).append(
            warnings.MentorFacts(
                pk, s_name, s_political == PoliticalStatus.MEMBER, s_status == StudentStatus.ENROLLED
            )
            if student_id
            else warnings.MentorFacts(pk, staff_name, True, staff_active)
        )
    today, college = clock.today(), rules.CollegeRules.configured()
    holidays = college_holidays() if holidays is None else holidays
    out = []
    for row in rows:
        facts = rules.Facts(
            version=row["rule_version"],
            applied_on=row["applied_on"],
            steps=steps.get(row["id"], {}),
            leaves_on=_leaves_on(row["student__left_on"], row["student__school_class__grade__year"]),
        )
        found = warnings.compute(
            facts,
            today=today,
            college=college,
            holidays=holidays,
            mentors=mentors.get(row["id"], []),
            closed=row["closed_on"] is not None,
        )
        out.append(PlainFile(row=row, facts=facts, warnings=found))
    return out


def _query_key(files) -> tuple:
    """What identifies a queryset's rows for keeping: its SQL and parameters (scope and filters)."""
    from django.core.exceptions import EmptyResultSet

    try:
        sql, params = files.query.sql_with_params()
    except EmptyResultSet:
        return ("nothing",)
    return (sql, tuple(map(str, params)))


def board_index(files) -> dict:
    """Which files the board shows, in its order, as ids: each stage's files (warned first, then
    the oldest) and the warned files. Kept per query (scope and filters) and day under the
    change counters of `board_inputs()` (core/fingerprint), so a step recorded shows on the
    next request, and the warnings of thousands of files are not recomputed on every look."""
    from campusgrid.core.fingerprint import changes, remember

    def compute() -> dict:
        plain = plain_files(files, "stage", check="party-board-index")
        columns = []
        for value, label in Stage.choices:
            items = [p for p in plain if p.row["stage"] == value]
            items.sort(key=lambda p: (not p.warnings, p.row["applied_on"]))
            columns.append({"stage": value, "label": label, "ids": [p.row["id"] for p in items]})
        return {"columns": columns, "warned": [p.row["id"] for p in plain if p.warnings], "total": len(plain)}

    key = (_query_key(files), clock.today())
    return remember("party-board-index", key, changes(*board_inputs()), compute)


def _shown_views(files, ids, *, related: tuple[str, ...] = ()) -> dict[int, FileView]:
    """The files the board shows, read now through the same queryset (scope and filters): their
    facts and warnings as plain values (`plain_files`), the file with its person for the name
    and the stage (and `related`), and each schedule (the next step)."""
    if not ids:
        return {}
    shown = files.filter(pk__in=ids)
    holidays = college_holidays()
    plain = {p.row["id"]: p for p in plain_files(shown, holidays=holidays)}
    college = rules.CollegeRules.configured()
    people = (
        shown.select_related(None)
        .prefetch_related(None)
        .select_related("student", "staff", *related)
        .defer("student__id_number")
    )
    return {
        f.pk: FileView(
            file=f,
            facts=p.facts,
            windows=rules.schedule(p.facts, college=college, holidays=holidays),
            warnings=p.warnings,
        )
        for f in people
        if (p := plain.get(f.pk))
    }


def file_page_views(files, ids) -> list[FileView]:
    """The API's page of files (`ids`, in their order, of the queryset `files`): each with its
    person and branch, its facts and warnings from the board's plain reading (`plain_files`,
    the same rules) and its schedule — a fixed number of queries however long the page, the
    steps' data read only where the rules read it and no ID number decrypted."""
    views = _shown_views(files, ids, related=("branch",))
    return [views[pk] for pk in ids if pk in views]


def board_of(
    files, *, limit: int | None = None, page: str | int | None = None, warned: str | int | None = None
) -> dict:
    """The board of `files` (open files) from the kept index: each stage's first `limit` files
    and its count, or with `page` that page (BOARD_PAGE a page) of each stage's files; the first
    WARNINGS_LIMIT warned files and their count. With `warned` (a page number) the list of the
    warned files alone, that page of them (`page`: BOARD_PAGE a page) — what 还有 N 人有预警 opens,
    so the figure and the list are the one index."""
    from django.core.paginator import Paginator

    index = board_index(files)
    if warned is not None:
        listed = Paginator(index["warned"], BOARD_PAGE).get_page(warned)
        views = _shown_views(files, set(listed.object_list))
        return {
            "warned_only": True,
            "page": listed,
            "warned": [views[pk] for pk in listed.object_list if pk in views],
            "warned_count": len(index["warned"]),
            "warned_more": 0,
            "columns": [],
            "total": index["total"],
        }
    limit = BOARD_LIMIT if limit is None else limit
    pages = {}
    for c in index["columns"]:
        if page is not None:
            pages[c["stage"]] = Paginator(c["ids"], BOARD_PAGE).get_page(page)
    chosen = {
        c["stage"]: list(pages[c["stage"]].object_list) if page is not None else c["ids"][:limit]
        for c in index["columns"]
    }
    shown_warned = index["warned"][:WARNINGS_LIMIT]
    views = _shown_views(files, {pk for ids in chosen.values() for pk in ids} | set(shown_warned))
    columns = [
        {
            "stage": c["stage"],
            "label": c["label"],
            "items": [views[pk] for pk in chosen[c["stage"]] if pk in views],
            "count": len(c["ids"]),
            "more": 0 if page is not None else max(len(c["ids"]) - limit, 0),
            "page": pages.get(c["stage"]),
        }
        for c in index["columns"]
    ]
    return {
        "columns": columns,
        "warned": [views[pk] for pk in shown_warned if pk in views],
        "warned_count": len(index["warned"]),
        "warned_more": max(len(index["warned"]) - WARNINGS_LIMIT, 0),
        "total": index["total"],
    }


PANEL_WARNED = 5


def board_inputs() -> tuple:
    """What the open files' stages and warnings are computed from (core/fingerprint): the files,
    their steps and mentors, the students (leaving dates, classes) and staff (mentors in post),
    the classes and grades, the holidays; and what the scope's filter reads (the posts, the
    beds, rooms and party rooms of a small grid, the 组织员's staff record)."""
    from campusgrid.grid.models import PartyRoom, Post
    from campusgrid.org.models import Bed, Grade, Holiday, Room, SchoolClass
    from campusgrid.people.models import Staff, Student

    return (
        DevelopmentFile,
        Step,
        Mentor,
        Student,
        Staff,
        SchoolClass,
        Grade,
        Holiday,
        Post,
        Bed,
        Room,
        PartyRoom,
    )


def board_summary(*, user) -> dict:
    """The home panel's figures of `board` — the count per stage, the files warned and the
    first of them — as plain values, kept per scope and day while the change counters of the
    pipeline's records are unchanged: from the board's own kept index, so the panel and the
    board share one computation."""
    from campusgrid.core.fingerprint import changes, remember
    from campusgrid.core.scoping import scope_for

    def compute() -> dict:
        files = open_files(file_list(user=user))
        index = board_index(files)
        first = index["warned"][:PANEL_WARNED]
        views = _shown_views(files, first)
        return {
            "total": index["total"],
            "columns": [
                {"stage": c["stage"], "label": c["label"], "count": len(c["ids"])} for c in index["columns"]
            ],
            "warned_count": len(index["warned"]),
            "warned": [
                {"number": v.file.number, "name": v.file.person_name, "warning": v.warnings[0].label}
                for pk in first
                if (v := views.get(pk)) and v.warnings
            ],
        }

    return remember("party-board", (scope_for(user), clock.today()), changes(*board_inputs()), compute)


def branches_for(*, user) -> QuerySet:
    """The branches whose files the user may manage (for the open-file and meeting forms)."""
    from campusgrid.grid.models import PartyBranch

    from .. import policy

    r = policy.roles(user)
    qs = PartyBranch.objects.visible_to(user).select_related("college")
    return [b for b in qs if b.pk in r.branch_ids or policy.is_committee(user, b.college_id)]


def meeting_list(*, user) -> QuerySet:
    return (
        BranchMeeting.objects.visible_to(user)
        .select_related("branch")
        .prefetch_related(
            Prefetch(
                "votes",
                queryset=MeetingVote.objects.select_related(
                    "file__student__school_class__grade", "file__staff", "file__branch"
                ),
            )
        )
    )


def meeting_get(*, user, pk, action: str = VIEW) -> BranchMeeting:
    return get_visible_or_404(meeting_list(user=user), user, action, pk=pk)


def material_get(*, user, number: str, pk) -> Material:
    file = file_get(user=user, number=number)
    material = Material.objects.filter(file=file, pk=pk).first()
    if material is None:
        from django.http import Http404

        raise Http404("未找到，或不在您的管理范围内")
    material.file = file
    return material


def materials_of(file: DevelopmentFile) -> list[Material]:
    return list(Material.objects.filter(file=file).select_related("uploaded_by"))


def meetings_of(file: DevelopmentFile) -> list[MeetingVote]:
    return list(MeetingVote.objects.filter(file=file).select_related("meeting"))


def pending_for_meeting(*, user, branch, purpose: str) -> list[DevelopmentFile]:
    """Files ready for a branch meeting of `purpose`: 预审 done (admission) or 转正申请 done."""
    from ..models.pipeline import MeetingPurpose

    need, done = (
        (StepCode.PRE_REVIEW, StepCode.MEETING)
        if purpose == MeetingPurpose.ADMISSION
        else (StepCode.FULL_APPLICATION, StepCode.FULL_MEETING)
    )
    qs = (
        file_list(user=user, branch=branch.pk, action=CHANGE)
        .filter(closed_on__isnull=True, steps__code=need)
        .exclude(steps__code=done)
        .distinct()
    )
    return list(qs)


def ledger_rows(files):
    """发展党员工作台账: one row a person, a column a step (the first date of each), of the
    files a `file_list` gave."""
    from ..rules import ORDER

    codes = [c for c in ORDER if c not in (StepCode.EXTEND_PROBATION,)]
    headers = [
        "学号/工号",
        "姓名",
        "党支部",
        "阶段",
        "适用细则",
        *[StepCode(c).label for c in codes],
        "预备期满",
        "预警",
    ]
    rows = []
    plain = plain_files(
        files, "stage", "branch__name", "student_id", "student__student_no", "student__name",
        "staff__staff_no", "staff__name",
    )  # fmt: skip
    for p in plain:
        r = p.row
        student = r["student_id"] is not None
        rows.append(
            [
                r["student__student_no"] if student else r["staff__staff_no"],
                r["student__name"] if student else r["staff__name"],
                r["branch__name"],
                Stage(r["stage"]).label + ("（已终止）" if r["closed_on"] else ""),
                r["rule_version"],
                *[p.facts.first(c) for c in codes],
                p.facts.probation_end,
                "；".join(w.label for w in p.warnings),
            ]
        )
    return headers, rows


def person_by_number(number: str):
    """The student (学号) or staff member (工号) a file is opened for, or one error naming the
    field. Not scoped: opening a file is checked by the service against the branch."""
    from campusgrid.core.errors import ServiceError
    from campusgrid.people.models import Staff, Student

    number = (number or "").strip()
    if not number or len(number) > 32:
        raise ServiceError("请填写学号", field="student_no")
    person = (
        Student.objects.filter(student_no=number).first() or Staff.objects.filter(staff_no=number).first()
    )
    if person is None:
        raise ServiceError(f"没有学号为 {number} 的学生", field="student_no")
    return person


def branch_choices(*, user) -> list:
    """The branches of the user's scope (the board's filter): names only."""
    from campusgrid.grid.models import PartyBranch

    return list(PartyBranch.objects.visible_to(user).order_by("name"))


def guard_of(file: DevelopmentFile, on: dt.date | None = None) -> str | None:
    """The graduation guard's sentence for a file, before its branch meeting."""
    return rules.graduation_guard(leaves_on(file.student), on or clock.today())


def meeting_audience(meeting: BranchMeeting) -> list:
    """Who is expected at the meeting: its attendance session's audience (the branch's members
    and post holders), through the service's selectors."""
    if not meeting.session_id:
        return []
    from campusgrid.service.selectors import audience_staff, audience_students

    return [*audience_students(meeting.session).order_by("student_no"), *audience_staff(meeting.session)]
