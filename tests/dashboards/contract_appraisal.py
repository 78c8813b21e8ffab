"""The appraisal's and class honours' pages and API in the scoping contract (asserted by
tests/scoping/test_endpoints.py over the records `build` makes)."""

from tests.scoping.endpoints import COLLEGE_B, EVERYONE, STUDENTS_A, Endpoint, personas

R = "dashboards-appraisal"
MANAGERS_A1 = personas("counselor", "class_teacher", "leader", "office")
STUDENTS = STUDENTS_A | personas("dorm_head_b", "student_b")
NOT_A1001 = personas("monitor", "student", "activist", "small_grid_leader", "branch_secretary") | COLLEGE_B


def build(world) -> dict:
    import datetime as dt

    from campusgrid.core import clock
    from campusgrid.dashboards.models import AppraisalState, ClassHonour, HonourKind
    from campusgrid.grid.models import PostKind
    from campusgrid.org.models import Semester

    from .appraisal_records import appraisal

    today = clock.today()
    semester = Semester.objects.create(
        name="合同测试学期", start=today - dt.timedelta(days=60), end=today + dt.timedelta(days=60)
    )

    def make(student, kind, **extra):
        return appraisal(world, semester, student, kind, **extra)

    published = make(
        world.dorm_head,
        PostKind.DORM_HEAD,
        state=AppraisalState.PUBLISHED,
        counselor_score=80,
        total=80,
        grade="good",
        published_at=clock.now(),
        objection_until=clock.now() + dt.timedelta(days=7),
    )
    objected = make(
        world.monitor,
        PostKind.MONITOR,
        state=AppraisalState.OBJECTED,
        counselor_score=70,
        objection_reason="复核",
        objected_at=clock.now(),
    )
    make(world.dorm_head_b, PostKind.DORM_HEAD, counselor_score=60)
    honour = ClassHonour.objects.create(
        semester=semester,
        school_class=world.class_a1,
        college=world.college_a,
        kind=HonourKind.STUDY_STYLE,
        reason="合同测试",
    )
    return {"semester": semester, "published": published, "objected": objected, "honour": honour}


RECORDS = {R: build}


def _published(world, records):
    return [records["published"].pk]


def _objected(world, records):
    return [records["objected"].pk]


def _honour(world, records):
    return [records["honour"].pk]


ENDPOINTS = [
    # pages
    Endpoint("dashboards:appraisals", sees=EVERYONE, records=R),
    Endpoint("dashboards:appraisals", query={"format": "xlsx"}, sees=EVERYONE, records=R),
    Endpoint("dashboards:appraisal-mine", sees=EVERYONE, records=R),
    Endpoint(
        "dashboards:appraisal-settings",
        sees=personas("leader", "office", "leader_b"),
        hidden=STUDENTS | personas("counselor", "class_teacher", "counselor_b"),
        records=R,
    ),
    Endpoint(
        "dashboards:appraisal",
        _published,
        sees=MANAGERS_A1 | personas("dorm_head"),
        hidden=NOT_A1001,
        records=R,
    ),
    Endpoint(
        "dashboards:appraisal",
        _published,
        method="POST",
        refused=personas("dorm_head") | NOT_A1001,
        data=lambda w, r: {"step": "score", "counselor_score": "90"},
        records=R,
    ),
    *[
        Endpoint(
            "dashboards:appraisal-run",
            lambda w, r, a=a: [a],
            method="POST",
            refused=STUDENTS,
            data=lambda w, r: {"semester": r["semester"].pk},
            records=R,
        )
        for a in ("compute", "publish")
    ],
    Endpoint(
        "dashboards:appraisal-object",
        _published,
        method="POST",
        refused=MANAGERS_A1 | NOT_A1001,
        data=lambda w, r: {"reason": "申诉"},
        records=R,
    ),
    Endpoint(
        "dashboards:honours",
        sees=personas("counselor", "class_teacher", "leader", "office", "leader_b", "counselor_b"),
        hidden=STUDENTS,
        records=R,
    ),
    Endpoint(
        "dashboards:honours",
        method="POST",
        refused=STUDENTS,
        data=lambda w, r: {"school_class": "化工2401", "kind": "sanjie", "reason": "推荐"},
        records=R,
    ),
    Endpoint(
        "dashboards:honour-decide",
        _honour,
        method="POST",
        refused=personas("counselor", "class_teacher", "leader_b", "counselor_b") | STUDENTS,
        data=lambda w, r: {"decision": "approve"},
        records=R,
    ),
    # API
    Endpoint("dashboards-appraisal-list", sees=EVERYONE, records=R),
    Endpoint(
        "dashboards-appraisal-detail",
        _published,
        sees=MANAGERS_A1 | personas("dorm_head"),
        hidden=NOT_A1001,
        records=R,
    ),
    *[
        Endpoint(f"dashboards-appraisal-{a}", method="POST", refused=STUDENTS, records=R)
        for a in ("compute", "publish")
    ],
    Endpoint(
        "dashboards-appraisal-score",
        _published,
        method="POST",
        refused=personas("dorm_head") | NOT_A1001,
        data=lambda w, r: {"counselor_score": 90},
        records=R,
    ),
    Endpoint(
        "dashboards-appraisal-object",
        _published,
        method="POST",
        refused=MANAGERS_A1 | NOT_A1001,
        data=lambda w, r: {"reason": "申诉"},
        records=R,
    ),
    Endpoint(
        "dashboards-appraisal-answer",
        _objected,
        method="POST",
        refused=STUDENTS_A | COLLEGE_B,
        data=lambda w, r: {"answer": "答复"},
        records=R,
    ),
    Endpoint("dashboards-class-honour-list", sees=EVERYONE, records=R),
    Endpoint(
        "dashboards-class-honour-list",
        method="POST",
        refused=STUDENTS,
        data=lambda w, r: {"class": "化工2401", "kind": "sanjie", "reason": "推荐"},
        records=R,
    ),
    Endpoint(
        "dashboards-class-honour-detail",
        _honour,
        sees=personas("monitor", "counselor", "class_teacher", "leader", "office"),
        hidden=COLLEGE_B,
        records=R,
    ),
    Endpoint("dashboards-class-honour-ranking", sees=EVERYONE, records=R),
    Endpoint(
        "dashboards-class-honour-decide",
        _honour,
        method="POST",
        refused=personas("counselor", "class_teacher", "leader_b", "counselor_b") | STUDENTS,
        data=lambda w, r: {"approve": True},
        records=R,
    ),
]


def csp_record(world, name: str) -> int:
    """The contract's records, built once for the browser's CSP walk (tests/browser/test_csp.py
    opens each page type): the pk of `name` ("published", "objected", "honour")."""
    from campusgrid.dashboards.models import Appraisal, ClassHonour

    if not Appraisal.objects.filter(semester__name="合同测试学期").exists():
        build(world)
    if name == "honour":
        return ClassHonour.objects.get(semester__name="合同测试学期").pk
    kind = "dorm_head" if name == "published" else "monitor"
    return Appraisal.objects.get(
        semester__name="合同测试学期",
        student__student_no=world["dorm_head" if kind == "dorm_head" else "monitor"].student_no,
        kind=kind,
    ).pk
