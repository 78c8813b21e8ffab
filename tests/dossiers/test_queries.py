"""Query budgets: every list page and API list of the dossiers app costs the same
number of queries for 10 rows as for 100 (logging included: one bulk insert)."""

import datetime as dt
import decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campusgrid.dossiers.models import (
    FollowUp,
    KeyReason,
    KeyStudent,
    ScreeningInstrument,
    ScreeningResult,
    ScreeningRound,
    TalkRecord,
    WarningProposal,
    WarningRule,
)
from campusgrid.grid.models import AccessGrant
from campusgrid.people import sensitive
from tests import factories as f

pytestmark = pytest.mark.django_db


def populate(world, semester, start: int, count: int) -> None:
    """`count` more students of 化工2401, each with a key file, a talk record, a
    screening result, an open proposal, an access-log row and a grant."""
    reasons = list(KeyReason.objects.filter(name__in=["心理", "学业困难"]))
    upi = ScreeningInstrument.objects.get(name="UPI")
    rule = WarningRule.objects.get(key="repeated-discipline")
    round_ = ScreeningRound.objects.create(semester=semester)
    students = []
    for i in range(start, start + count):
        student = f.StudentFactory(student_no=f"Q{i:04d}", school_class=world.class_a1)
        students.append(student)
        key = KeyStudent.objects.create(
            student=student, risk_level="key", responsible=world.counselor, next_review=dt.date(2026, 12, 1)
        )
        key.reasons.set(reasons)
        TalkRecord.objects.create(
            student=student,
            talked_on=dt.date(2026, 10, 1),
            place="办公室",
            participants="辅导员甲",
            summary="谈话",
            recorded_by=world.counselor.user,
            recorded_by_name="辅导员甲",
        )
        ScreeningResult.objects.create(
            round=round_,
            semester=semester,
            student=student,
            instrument=upi,
            total_score=decimal.Decimal(30),
            flags="睡眠",
            over_threshold=True,
            follow_up=FollowUp.PENDING,
        )
        WarningProposal.objects.create(
            rule=rule,
            student=student,
            fingerprint=f"fp{i}",
            records=[{"type": "report", "id": i, "date": "2026-10-01", "label": "违纪", "url": ""}],
            explanation="180天内有2次违纪上报",
        )
        AccessGrant.objects.create(
            user=world.counselor_b.user,
            student=student,
            until=dt.date(2099, 1, 1),
            reason="交接",
            granted_by=world.leader.user,
        )
    sensitive.log_access(actor=world.counselor.user, item="dossier", students=students)


def log_inserts(rows: int) -> int:
    """Access-log rows go in one bulk insert, which SQLite splits into batches
    (its parameter limit: 99 rows of this table); PostgreSQL takes them at once."""
    from campusgrid.people.models import AccessLog

    fields = [f for f in AccessLog._meta.concrete_fields if not f.primary_key]
    batch = connection.ops.bulk_batch_size(fields, [None] * rows) or rows
    return -(-rows // batch)


def count_queries(client, url, params=None, **headers) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {}, **headers)
    assert response.status_code == 200, url
    return len(queries)


# label, url, query, headers, whether the response logs the students it shows
BUDGETS = [
    ("key list", lambda: reverse("dossiers:list"), None, {}, True),
    ("key list, searching", lambda: reverse("dossiers:list"), {"q": "Q0"}, {"HTTP_HX_REQUEST": "true"}, True),
    ("key list export", lambda: reverse("dossiers:list"), {"format": "xlsx"}, {}, True),
    ("warnings", lambda: reverse("dossiers:warnings"), None, {}, True),
    ("screening", lambda: reverse("dossiers:screening"), None, {}, True),
    ("access log", lambda: reverse("dossiers:access-log"), None, {}, False),
    ("grants", lambda: reverse("dossiers:grants"), None, {}, False),
    ("home", lambda: reverse("home"), None, {}, False),
    ("key students API", lambda: "/api/v1/key-students/", {"page_size": "200"}, {}, True),
    ("talk records API", lambda: "/api/v1/talk-records/", {"page_size": "200"}, {}, True),
    ("screening API", lambda: "/api/v1/screening-results/", {"page_size": "200"}, {}, True),
    ("warnings API", lambda: "/api/v1/warnings/", {"page_size": "200"}, {}, True),
    ("access log API", lambda: "/api/v1/access-log/", {"page_size": "200"}, {}, False),
    ("grants API", lambda: "/api/v1/access-grants/", {"page_size": "200"}, {}, False),
]


@pytest.mark.parametrize("persona", ["leader", "office"])
@pytest.mark.parametrize("label,url,params,headers,logs", BUDGETS, ids=[b[0] for b in BUDGETS])
def test_list_pages_cost_the_same_queries_for_3_and_13_rows(
    world, semester, login, persona, label, url, params, headers, logs
):
    client = login(world[persona])
    populate(world, semester, 0, 3)
    count_queries(client, url(), params, **headers)  # warm caches (content types, sessions)
    few = count_queries(client, url(), params, **headers)
    populate(world, semester, 3, 10)
    more = count_queries(client, url(), params, **headers)
    batches = log_inserts(13) - log_inserts(3) if logs else 0  # 13 rows fit on one page
    assert few + batches == more, f"{label}: {few} queries for 3 rows, {more} for 13"
    if label != "home":  # the home page also carries the other apps' panels
        assert more <= 25, f"{label}: {more} queries"


def test_the_dossier_page_costs_the_same_with_many_records(world, semester, login):
    client = login(world.counselor)
    url = reverse("dossiers:dossier", args=["A1002"])
    count_queries(client, url)
    few = count_queries(client, url)
    for i in range(30):
        TalkRecord.objects.create(
            student=world.student,
            talked_on=dt.date(2026, 10, 1),
            place="办公室",
            participants="辅导员甲",
            summary=f"谈话{i}",
            recorded_by_name="辅导员甲",
        )
    assert count_queries(client, url) == few
