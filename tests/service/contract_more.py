"""Endpoints of pairing, 舆情 and visits (pages and API) in the scoping contract, asserted by
tests/scoping/test_endpoints.py over the records `build(world)` makes through the services:
张三 (A1002) marked 就业困难 and paired with 党员戊 (A2002); 党员戊's weekly 舆情 report with an
item naming 张三 and one naming nobody; the counselor's dorm visit to 东1/301 with a follow-up;
a job post for college A's major."""

import datetime as dt

from tests.scoping.endpoints import COLLEGE_B, EVERYONE, STUDENTS_A, Endpoint, personas

R = "service_more"
STAFF_A = personas("counselor", "class_teacher", "leader", "office")
STAFF_ALL = STAFF_A | personas("counselor_b", "leader_b")
STUDENTS = STUDENTS_A | personas("dorm_head_b", "student_b")
REPORTERS = personas("dorm_head", "monitor", "activist", "small_grid_leader", "dorm_head_b")
SUMMARY = STAFF_ALL | personas("branch_secretary")


def build(world) -> dict:
    from campusgrid.core import clock
    from campusgrid.service import services

    counselor = world.counselor.user
    services.employment_difficulty_mark(actor=counselor, student=world.student)
    pairing = services.pairing_create(
        actor=counselor, student=world.student, mentor=world.small_grid_leader.user, goal="签约一家化工企业"
    )
    services.pairing_contact_add(
        actor=world.small_grid_leader.user,
        pairing=pairing,
        contacted_on=clock.today(),
        way="meet",
        content="一起修改简历",
    )
    reporter = world.small_grid_leader.user
    named = services.opinion_item_add(
        actor=reporter,
        kind="thought",
        source="offline",
        summary="张三近来情绪低落",
        student_numbers=["A1002"],
    )
    plain = services.opinion_item_add(
        actor=reporter, kind="online", source="online", platform="微信", summary="群里转发未经证实的传言"
    )
    visit = services.visit_record(
        actor=counselor,
        kind="dorm",
        visited_on=clock.today(),
        seen="卫生良好，有一名同学身体不适",
        rooms=[world.room_a1],
        follow_ups=["关注张三身体情况"],
    )
    job = services.job_post_create(
        actor=counselor,
        college=world.college_a,
        company="某化工集团",
        position="工艺工程师",
        majors=[world.class_a1.major],
        deadline=clock.today() + dt.timedelta(days=30),
        grade_year=world.class_a1.grade.year,  # the world's classes stand for the graduating grade
    )
    return {
        "pairing": pairing,
        "named": named,
        "plain": plain,
        "report": named.report,
        "visit": visit,
        "follow_up": visit.follow_ups.get(),
        "job": job,
    }


RECORDS = {R: build}

PAIRING_SEES = personas("counselor", "class_teacher", "leader", "office", "small_grid_leader", "student")
PAIRING_HIDDEN = EVERYONE - PAIRING_SEES
NAMED_SEES = personas("small_grid_leader", "counselor", "class_teacher", "leader", "office")
PLAIN_SEES = personas("small_grid_leader", "counselor", "leader", "office", "branch_secretary")
REPORT_SEES = PLAIN_SEES
VISIT_SEES = personas("counselor", "class_teacher", "leader", "office")


def _pk(key):
    return lambda w, r: [r[key].pk]


def _contact(w, r):
    return {"contacted_on": dt.date.today().isoformat(), "way": "phone", "content": "电话沟通面试安排"}


def _job(w, r):
    return {
        "company": "某公司",
        "position": "技术员",
        "majors": [w.class_a1.major.name],
        "deadline": (dt.date.today() + dt.timedelta(days=10)).isoformat(),
    }


def _visit(w, r):
    return {
        "kind": "dorm",
        "visited_on": dt.date.today().isoformat(),
        "rooms": ["东1/301"],
        "seen": "走访正常",
    }


ENDPOINTS = [
    # 舆情 pages
    Endpoint(
        "service:opinion-mine", sees=REPORTERS, hidden=STAFF_ALL | personas("student", "student_b"), records=R
    ),
    Endpoint(
        "service:opinion-mine",
        method="POST",
        refused=STAFF_ALL | personas("student", "student_b", "branch_secretary"),
        data=lambda w, r: {"action": "nothing"},
        records=R,
    ),
    Endpoint(
        "service:opinion-summary", sees=SUMMARY, hidden=STUDENTS - personas("branch_secretary"), records=R
    ),
    Endpoint("service:opinion-summary", query={"format": "xlsx"}, sees=SUMMARY, records=R),
    Endpoint(
        "service:opinion-periods", sees=SUMMARY, hidden=STUDENTS - personas("branch_secretary"), records=R
    ),
    Endpoint(
        "service:opinion-periods",
        method="POST",
        refused=personas("counselor", "class_teacher", "branch_secretary", "student", "small_grid_leader"),
        data=lambda w, r: {
            "college": w.college_a.pk,
            "kind": "key_date",
            "name": "国庆",
            "start": "2026-10-01",
            "end": "2026-10-07",
            "due_time": "20:00",
        },
        records=R,
    ),
    Endpoint("service:opinion-item", _pk("named"), sees=NAMED_SEES, hidden=EVERYONE - NAMED_SEES, records=R),
    Endpoint("service:opinion-item", _pk("plain"), sees=PLAIN_SEES, hidden=EVERYONE - PLAIN_SEES, records=R),
    Endpoint(
        "service:opinion-item-escalate",
        _pk("named"),
        method="POST",
        refused=personas("small_grid_leader", "branch_secretary", "student", "counselor_b", "leader_b"),
        records=R,
    ),
    # pairing pages
    Endpoint("service:pairing-list", sees=STAFF_ALL, hidden=STUDENTS, records=R),
    Endpoint("service:pairing-list", query={"format": "xlsx"}, sees=STAFF_ALL, records=R),
    Endpoint(
        "service:pairing-mark",
        method="POST",
        refused=STUDENTS,
        data=lambda w, r: {"mark-student_no": "A1002"},
        records=R,
    ),
    Endpoint(
        "service:pairing-new",
        method="POST",
        refused=STUDENTS,
        data=lambda w, r: {"pair-student_no": "A1002", "pair-mentor": "A2002", "pair-goal": "就业"},
        records=R,
    ),
    Endpoint(
        "service:pairing-mine",
        sees=personas("small_grid_leader", "student"),
        hidden=EVERYONE - personas("small_grid_leader", "student"),
        records=R,
    ),
    Endpoint("service:pairing-detail", _pk("pairing"), sees=PAIRING_SEES, hidden=PAIRING_HIDDEN, records=R),
    Endpoint(
        "service:pairing-detail",
        _pk("pairing"),
        method="POST",
        refused=PAIRING_HIDDEN | personas("student"),
        data=_contact,
        records=R,
    ),
    Endpoint(
        "service:pairing-outcome",
        _pk("pairing"),
        method="POST",
        refused=PAIRING_HIDDEN | personas("student"),
        data=lambda w, r: {"outcome": "signed", "outcome_on": dt.date.today().isoformat()},
        records=R,
    ),
    Endpoint("service:job-list", sees=EVERYONE, records=R),
    Endpoint(
        "service:job-list",
        method="POST",
        refused=STUDENTS,
        data=lambda w, r: {
            "company": "x",
            "position": "y",
            "majors": [w.class_a1.major.pk],
            "deadline": "2030-01-01",
        },
        records=R,
    ),
    # visit pages
    Endpoint("service:visit-list", sees=STAFF_ALL, hidden=STUDENTS, records=R),
    Endpoint("service:visit-list", query={"format": "xlsx"}, sees=STAFF_ALL, records=R),
    Endpoint("service:visit-new", sees=STAFF_ALL, hidden=STUDENTS, records=R),
    Endpoint(
        "service:visit-new",
        method="POST",
        refused=STUDENTS,
        data=lambda w, r: {
            "kind": "dorm",
            "visited_on": dt.date.today().isoformat(),
            "rooms": [w.room_a1.pk],
            "seen": "走访",
        },
        records=R,
    ),
    Endpoint("service:visit-progress", sees=STAFF_ALL, hidden=STUDENTS, records=R),
    Endpoint("service:visit-detail", _pk("visit"), sees=VISIT_SEES, hidden=EVERYONE - VISIT_SEES, records=R),
    Endpoint(
        "service:visit-follow-up",
        lambda w, r: [r["follow_up"].pk, "report"],
        method="POST",
        refused=STUDENTS | COLLEGE_B,
        data=lambda w, r: {"student_no": "A1002"},
        records=R,
    ),
    # API
    Endpoint("service-pairing-list", sees=EVERYONE, records=R),
    Endpoint("service-pairing-detail", _pk("pairing"), sees=PAIRING_SEES, hidden=PAIRING_HIDDEN, records=R),
    Endpoint(
        "service-pairing-contacts",
        _pk("pairing"),
        method="POST",
        refused=PAIRING_HIDDEN | personas("student"),
        data=_contact,
        records=R,
    ),
    Endpoint(
        "service-pairing-outcome",
        _pk("pairing"),
        method="POST",
        refused=PAIRING_HIDDEN | personas("student"),
        data=lambda w, r: {"outcome": "signed", "outcome_on": dt.date.today().isoformat()},
        records=R,
    ),
    Endpoint("service-job-post-list", sees=EVERYONE, records=R),
    Endpoint("service-job-post-list", method="POST", refused=STUDENTS, data=_job, records=R),
    Endpoint("service-job-post-detail", _pk("job"), sees=STAFF_A | STUDENTS_A, hidden=COLLEGE_B, records=R),
    Endpoint("service-opinion-report-list", sees=EVERYONE, records=R),
    Endpoint(
        "service-opinion-report-list",
        method="POST",
        refused=STAFF_ALL | personas("student", "student_b"),
        data=lambda w, r: {"nothing_to_report": True},
        records=R,
    ),
    Endpoint(
        "service-opinion-report-detail",
        _pk("report"),
        sees=REPORT_SEES,
        hidden=EVERYONE - REPORT_SEES,
        records=R,
    ),
    Endpoint("service-opinion-item-list", sees=EVERYONE, records=R),
    Endpoint(
        "service-opinion-item-list",
        method="POST",
        refused=STAFF_ALL | personas("student", "student_b"),
        data=lambda w, r: {"kind": "other", "source": "offline", "summary": "宿舍楼有人议论停水"},
        records=R,
    ),
    Endpoint(
        "service-opinion-item-detail", _pk("named"), sees=NAMED_SEES, hidden=EVERYONE - NAMED_SEES, records=R
    ),
    Endpoint(
        "service-opinion-item-escalate",
        _pk("named"),
        method="POST",
        refused=personas("small_grid_leader", "branch_secretary", "student", "counselor_b", "leader_b"),
        records=R,
    ),
    Endpoint("service-visit-list", sees=EVERYONE, records=R),
    Endpoint("service-visit-list", method="POST", refused=STUDENTS, data=_visit, records=R),
    Endpoint("service-visit-detail", _pk("visit"), sees=VISIT_SEES, hidden=EVERYONE - VISIT_SEES, records=R),
]
