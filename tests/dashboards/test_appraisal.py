"""The appraisal's workflow: weights and grades, ranks, publish, objection inside and outside
its window and the answer, the vacancy suggestions, the appointment page, pages, export, API."""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campusgrid.core.errors import Conflict, NotAllowed, ServiceError
from campusgrid.dashboards.appraisal import services
from campusgrid.dashboards.models import Appraisal, AppraisalSettings, AppraisalState, Grade
from campusgrid.grid import selectors as grid_selectors
from campusgrid.grid.models import PostKind
from campusgrid.reports.models import State
from tests.ledgers import conftest as ledger_fixtures

from .appraisal_records import appraisal, at, fresh_settings, post_of, report  # noqa: F401

term = ledger_fixtures.term  # the semester 2025-2026 first term, with its holidays

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_settings", "apps_above_unregistered")]


@pytest.fixture
def now(travel, term):
    return travel(at(dt.date(2025, 11, 20), 12))


def computed(world, term):
    services.appraisal_compute(actor=world.counselor.user, semester=term["semester"])
    return {a.student.student_no + ":" + a.kind: a for a in Appraisal.objects.select_related("student")}


def test_compute_makes_one_draft_per_student_post_of_the_counselors_classes(world, term, now):
    rows = computed(world, term)
    assert set(rows) == {
        "A1001:dorm_head",
        "A1005:dorm_head",
        "A2003:dorm_head",
        "A1004:monitor",
        "A2004:monitor",
        "A1003:activist",
        "A1006:activist",
        "A2002:small_grid_leader",
        "A2005:branch_secretary",
    }
    assert all(a.state == AppraisalState.DRAFT for a in rows.values())
    assert rows["A1001:dorm_head"].metrics["service.hours"] is None  # 未启用, kept as such


def test_students_cannot_compute(world, term, now):
    with pytest.raises(NotAllowed):
        services.appraisal_compute(actor=world.dorm_head.user, semester=term["semester"])


def test_total_uses_the_configured_weights_and_grade_lines(world, term, now):
    settings = AppraisalSettings.get()
    assert services.total_of(Decimal("80"), Decimal("90"), settings) == Decimal("84.00")  # 60/40
    assert settings.grade_for(Decimal("84.00")) == Grade.GOOD
    AppraisalSettings.objects.create(pk=1, computed_weight=50, counselor_weight=50)
    settings = AppraisalSettings.get()
    assert services.total_of(Decimal("80"), Decimal("90"), settings) == Decimal("85.00")
    assert settings.grade_for(Decimal("85.00")) == Grade.EXCELLENT
    assert settings.grade_for(Decimal("69.99")) == Grade.PASS
    assert settings.grade_for(Decimal("59.99")) == Grade.FAIL
    assert services.total_of(None, Decimal("70"), settings) == Decimal("70.00")  # no figure at all
    assert services.total_of(Decimal("70"), None, settings) is None  # not scored yet


def test_score_sets_total_grade_and_ranks(world, term, now):
    report(world, world.dorm_head, state=State.CLOSED, created=at(dt.date(2025, 10, 10), 9))
    report(world, world.dorm_head, state=State.CLOSED, created=at(dt.date(2025, 10, 11), 9))
    rows = computed(world, term)
    head = rows["A1001:dorm_head"]
    # dorm head: no night check (the ledger not started: not scored), 2 reports → 100,
    # feedback not asked, no inspection → computed 100.00
    assert head.computed_score == Decimal("100.00")
    scored = services.appraisal_score(actor=world.counselor.user, appraisal=head, score=90, comment="认真")
    assert scored.total == Decimal("96.00")  # 100 × 60% + 90 × 40%
    assert scored.grade == Grade.EXCELLENT
    # The monitors filed nothing (computed 60): 60 × 60% + 50 × 40% = 56 each, a tie.
    other = services.appraisal_score(actor=world.counselor.user, appraisal=rows["A1004:monitor"], score=50)
    third = services.appraisal_score(actor=world.counselor.user, appraisal=rows["A2004:monitor"], score=50)
    assert other.total == third.total == Decimal("56.00")
    ranks = {
        a.student.student_no: (a.class_rank, a.college_rank)
        for a in Appraisal.objects.filter(total__isnull=False)
    }
    # (class rank, college rank): a tie shares its rank and the next rank is skipped.
    assert ranks == {"A1001": (1, 1), "A1004": (2, 2), "A2004": (1, 2)}


def test_score_refuses_bad_values_and_stale_versions(world, term, now):
    row = computed(world, term)["A1001:dorm_head"]
    for bad in ("abc", 101, -1, "1e400", "NaN"):
        with pytest.raises(ServiceError) as error:
            services.appraisal_score(actor=world.counselor.user, appraisal=row, score=bad)
        assert error.value.field == "counselor_score"
    with pytest.raises(Conflict):
        services.appraisal_score(actor=world.counselor.user, appraisal=row, score=80, expected_version=99)
    with pytest.raises(NotAllowed):
        services.appraisal_score(actor=world.counselor_b.user, appraisal=row, score=80)


def publish_one(world, term, score=80):
    row = computed(world, term)["A1001:dorm_head"]
    services.appraisal_score(actor=world.counselor.user, appraisal=row, score=score)
    assert services.appraisal_publish(actor=world.counselor.user, semester=term["semester"]) == 1
    return Appraisal.objects.get(pk=row.pk)


def test_publish_shows_the_result_to_the_worker_and_tells_them(
    world, term, now, django_capture_on_commit_callbacks
):
    from campusgrid.notifications.models import Notification

    with django_capture_on_commit_callbacks(execute=True):
        row = publish_one(world, term)
    assert row.state == AppraisalState.PUBLISHED
    assert row.objection_until == now + dt.timedelta(days=7)
    assert Notification.objects.filter(user=world.dorm_head.user, title__contains="考核结果已公示").exists()
    # Drafts without the counselor's score stay drafts; the worker does not see drafts.
    assert Appraisal.objects.filter(state=AppraisalState.DRAFT).count() == 8
    assert list(Appraisal.objects.visible_to(world.dorm_head.user)) == [row]
    assert not Appraisal.objects.visible_to(world.monitor.user).exists()


def test_objection_inside_the_window_and_the_answer(world, term, now, travel):
    row = publish_one(world, term, score=50)
    travel(now + dt.timedelta(days=6, hours=23))
    objected = services.appraisal_object(actor=world.dorm_head.user, appraisal=row, reason="查寝记录有误")
    assert objected.state == AppraisalState.OBJECTED
    with pytest.raises(Conflict):  # once
        services.appraisal_object(actor=world.dorm_head.user, appraisal=objected, reason="再次申诉")
    with pytest.raises(NotAllowed):
        services.appraisal_answer(actor=world.counselor_b.user, appraisal=objected, answer="无")
    with pytest.raises(ServiceError):
        services.appraisal_answer(actor=world.counselor.user, appraisal=objected, answer=" ")
    answered = services.appraisal_answer(
        actor=world.counselor.user, appraisal=objected, answer="已复核，上调", score=90
    )
    assert answered.state == AppraisalState.ANSWERED
    assert answered.counselor_score == Decimal("90.00")
    assert answered.total == services.total_of(
        answered.computed_score, Decimal("90"), AppraisalSettings.get()
    )
    assert answered.college_rank == 1


def test_objection_outside_the_window_is_refused(world, term, now, travel):
    row = publish_one(world, term)
    travel(now + dt.timedelta(days=7, minutes=1))
    with pytest.raises(Conflict) as error:
        services.appraisal_object(actor=world.dorm_head.user, appraisal=row, reason="晚了")
    assert "申诉期已过" in error.value.message
    assert Appraisal.objects.get(pk=row.pk).state == AppraisalState.PUBLISHED


def test_only_the_worker_objects_and_not_to_a_draft(world, term, now):
    row = publish_one(world, term)
    with pytest.raises(NotAllowed):
        services.appraisal_object(actor=world.student.user, appraisal=row, reason="代申诉")
    with pytest.raises(ServiceError):
        services.appraisal_object(actor=world.dorm_head.user, appraisal=row, reason="")
    draft = Appraisal.objects.get(student=world.monitor)
    with pytest.raises(Conflict):
        services.appraisal_object(actor=world.monitor.user, appraisal=draft, reason="未公示")


def test_a_worker_appraised_failed_is_not_suggested_again(world, term, now):
    def suggested():
        return {
            s.student_no
            for s in grid_selectors.vacancy_candidates(kind=PostKind.DORM_HEAD, place=world.room_a1)
        }

    assert "A1003" in suggested()  # the activist of 301, a candidate for its dorm head
    row = computed(world, term)["A1003:activist"]
    services.appraisal_score(actor=world.counselor.user, appraisal=row, score=0)
    assert Appraisal.objects.get(pk=row.pk).grade == Grade.FAIL
    assert "A1003" in suggested()  # a draft is not a result
    services.appraisal_publish(actor=world.counselor.user, semester=term["semester"])
    assert "A1003" not in suggested()
    assert "A1004" in suggested()  # the others stay


def test_a_later_passing_appraisal_lifts_the_exclusion(world, term, now):
    from campusgrid.org.models import Semester

    old = Semester.objects.create(
        name="2024-2025学年第二学期", start=dt.date(2025, 2, 20), end=dt.date(2025, 7, 5)
    )
    appraisal(
        world,
        old,
        world.activist,
        PostKind.ACTIVIST,
        total=40,
        grade=Grade.FAIL,
        state=AppraisalState.PUBLISHED,
    )
    candidates = grid_selectors.vacancy_candidates(kind=PostKind.DORM_HEAD, place=world.room_a1)
    assert "A1003" not in {s.student_no for s in candidates}
    appraisal(
        world,
        term["semester"],
        world.activist,
        PostKind.ACTIVIST,
        total=80,
        grade=Grade.GOOD,
        state=AppraisalState.PUBLISHED,
    )
    candidates = grid_selectors.vacancy_candidates(kind=PostKind.DORM_HEAD, place=world.room_a1)
    assert "A1003" in {s.student_no for s in candidates}


def test_the_appointment_page_shows_the_latest_appraisals(world, term, now, login):
    publish_one(world, term, score=95)
    page = login(world.counselor).get(reverse("grid:appoint"), {"kind": "dorm_head", "room": "东1/301"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "最近一次考核（已公示）" in text and "舍长甲" in text and "暂无考核" in text


# --- pages ----------------------------------------------------------------------------------------


def test_list_page_marks_service_figures_as_not_enabled(world, term, now, login):
    computed(world, term)
    page = login(world.counselor).get(reverse("dashboards:appraisals"), {"semester": term["semester"].pk})
    text = page.content.decode()
    assert page.status_code == 200
    assert "服务时长" in text and "未启用" in text and "舍长甲" in text


def test_bad_filters_say_so_instead_of_failing(world, term, now, login):
    client = login(world.counselor)
    page = client.get(reverse("dashboards:appraisals"), {"semester": "x" * 500, "class": "不存在"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "找不到学期" in text and "找不到班级" in text
    response = client.post(reverse("dashboards:appraisal-run", args=["publish"]), {"class": "不存在"})
    assert response.status_code == 302
    assert not Appraisal.objects.exists()


def test_counselor_scores_and_answers_on_the_detail_page(world, term, now, login, travel):
    row = computed(world, term)["A1001:dorm_head"]
    client = login(world.counselor)
    url = reverse("dashboards:appraisal", args=[row.pk])
    bad = client.post(url, {"step": "score", "counselor_score": "200", "version": row.version})
    assert bad.status_code == 200 and "100" in bad.content.decode()
    assert (
        client.post(
            url, {"step": "score", "counselor_score": "88", "comment": "好", "version": row.version}
        ).status_code
        == 302
    )
    assert Appraisal.objects.get(pk=row.pk).counselor_score == Decimal("88.00")
    assert login(world.dorm_head).post(url, {"step": "score", "counselor_score": "100"}).status_code in (
        403,
        404,
    )


def test_worker_objects_on_their_phone_page(world, term, now, login):
    row = publish_one(world, term)
    client = login(world.dorm_head)
    page = client.get(reverse("dashboards:appraisal-mine"))
    assert "提交申诉" in page.content.decode()
    client.post(reverse("dashboards:appraisal-object", args=[row.pk]), {"reason": "请复核"})
    assert Appraisal.objects.get(pk=row.pk).state == AppraisalState.OBJECTED
    assert "等待辅导员答复" in client.get(reverse("dashboards:appraisal-mine")).content.decode()


def test_export_per_class_lays_out_the_figures(world, term, now, login):
    computed(world, term)
    response = login(world.counselor).get(
        reverse("dashboards:appraisals"),
        {"semester": term["semester"].pk, "class": "化工2401", "format": "xlsx"},
    )
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    rows = list(book.active.iter_rows(values_only=True))
    assert "化工2401" in rows[0][0]
    headers = rows[2]
    assert "服务时长" in headers and "按时查寝" in headers and "总分" in headers
    numbers = {r[1] for r in rows[3:]}
    assert numbers == {"A1001", "A1005", "A1004", "A1003", "A1006"}
    service = headers.index("服务时长")
    assert {r[service] for r in rows[3:]} == {"未启用"}


FILED_ONE = {"reports_filed": {"value": 1, "score": 50.0, "detail": "共 1 件"}, "service.hours": None}


def _more_workers(world, term, n, *, number, name, school_class, **extra):
    """`n` league secretaries of `school_class` whose post ended in the term, each appraised
    (`extra`: more of the appraisal's fields)."""
    from tests import factories as f

    for i in range(n):
        student = f.StudentFactory(
            student_no=f"{number}{i:02d}", name=f"{name}{i}", school_class=school_class, room=None
        )
        post = f.PostFactory(
            kind=PostKind.LEAGUE_SECRETARY,
            student=student,
            school_class=school_class,
            start_date=dt.date(2025, 9, 1),
            end_date=dt.date(2025, 10, 1),
        )
        Appraisal.objects.create(
            semester=term["semester"],
            post=post,
            student=student,
            kind=post.kind,
            school_class=school_class,
            college=world.college_a,
            **extra,
        )


@pytest.mark.parametrize("query", [{}, {"format": "xlsx"}], ids=["page", "xlsx"])
def test_list_and_export_queries_do_not_grow_with_rows(
    world, term, now, login, query, django_assert_num_queries
):
    client = login(world.counselor)
    url = reverse("dashboards:appraisals")
    params = {"semester": term["semester"].pk, **query}
    _more_workers(world, term, 2, number="A19", name="干部", school_class=world.class_a1, metrics=FILED_ONE)
    client.get(url, params)  # warm the settings row and the session
    with CaptureQueriesContext(connection) as few:
        assert client.get(url, params).status_code == 200
    _more_workers(world, term, 12, number="A18", name="团干", school_class=world.class_a2)
    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get(url, params).status_code == 200


# --- API ------------------------------------------------------------------------------------------


def test_api_lists_in_scope_and_scores(world, term, now, api):
    row = computed(world, term)["A1001:dorm_head"]
    listed = api(world.counselor).get("/api/v1/dashboards/appraisals/", {"semester": term["semester"].name})
    assert listed.status_code == 200 and listed.json()["count"] == 9
    hours = next(f for f in listed.json()["results"][0]["figures"] if f["key"] == "service.hours")
    assert hours["enabled"] is False and hours["detail"] == "未启用"
    assert api(world.counselor_b).get("/api/v1/dashboards/appraisals/").json()["count"] == 0
    assert api(world.counselor_b).get(f"/api/v1/dashboards/appraisals/{row.pk}/").status_code == 404
    url = f"/api/v1/dashboards/appraisals/{row.pk}/score/"
    assert api(world.counselor).post(url, [1, 2], format="json").status_code == 400
    bad = api(world.counselor).post(url, {"counselor_score": "9" * 40}, format="json")
    assert bad.status_code == 400 and "counselor_score" in bad.json()
    ok = api(world.counselor).post(url, {"counselor_score": 80, "version": row.version}, format="json")
    assert ok.status_code == 200 and ok.json()["counselor_score"] == "80.00"
    stale = api(world.counselor).post(url, {"counselor_score": 81, "version": row.version}, format="json")
    assert stale.status_code == 409


def test_api_publish_object_answer(world, term, now, api):
    row = computed(world, term)["A1001:dorm_head"]
    services.appraisal_score(actor=world.counselor.user, appraisal=row, score=70)
    published = api(world.counselor).post("/api/v1/dashboards/appraisals/publish/", {}, format="json")
    assert published.json() == {"count": 1}
    assert (
        api(world.dorm_head).post("/api/v1/dashboards/appraisals/compute/", {}, format="json").status_code
        == 403
    )
    objected = api(world.dorm_head).post(
        f"/api/v1/dashboards/appraisals/{row.pk}/object/", {"reason": "复核"}, format="json"
    )
    assert objected.status_code == 200 and objected.json()["state"] == "objected"
    answer = api(world.counselor).post(
        f"/api/v1/dashboards/appraisals/{row.pk}/answer/",
        {"answer": "维持", "counselor_score": None},
        format="json",
    )
    assert answer.status_code == 200 and answer.json()["state"] == "answered"
    mine = api(world.dorm_head).get("/api/v1/dashboards/appraisals/")
    assert [r["student_no"] for r in mine.json()["results"]] == ["A1001"]


def test_demo_step_publishes_answers_one_objection_and_fails_one(world, term, now):
    import random
    from types import SimpleNamespace

    from campusgrid.core.registry import DEMO_STEPS
    from campusgrid.dashboards.models import ClassHonour, HonourState

    step = next(s for s in DEMO_STEPS if s.name == "网格员考核与班级评优")
    step.run(SimpleNamespace(rng=random.Random(1), colleges=[world.college_a], semester=term["semester"]))
    states = list(Appraisal.objects.values_list("state", flat=True))
    assert states.count(AppraisalState.ANSWERED) == 1
    assert AppraisalState.PUBLISHED in states
    failed = Appraisal.objects.get(grade=Grade.FAIL)
    assert failed.state == AppraisalState.PUBLISHED
    assert set(ClassHonour.objects.values_list("state", flat=True)) == {
        HonourState.APPROVED,
        HonourState.REJECTED,
    }


def test_api_list_queries_do_not_grow_with_rows(world, term, now, api, django_assert_num_queries):
    client = api(world.counselor)
    url = "/api/v1/dashboards/appraisals/"
    _more_workers(world, term, 2, number="A19", name="干部", school_class=world.class_a1, metrics=FILED_ONE)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _more_workers(world, term, 12, number="A18", name="团干", school_class=world.class_a2)
    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get(url).json()["count"] == 14


def test_settings_page_checks_weights_and_lines(world, term, now, login):
    client = login(world.leader)
    url = reverse("dashboards:appraisal-settings")
    base = {
        "part": "appraisal",
        "computed_weight": 70,
        "counselor_weight": 20,
        "excellent_min": 85,
        "good_min": 70,
        "pass_min": 60,
        "objection_days": 7,
        "reports_target": 2,
        "metric_weights": "{}",
    }
    page = client.post(url, base)
    assert page.status_code == 200 and "权重之和须为 100" in page.content.decode()
    page = client.post(url, {**base, "counselor_weight": 30, "metric_weights": '{"night_on_time": "x"}'})
    assert "指标权重须为对象" in page.content.decode()
    assert (
        client.post(
            url, {**base, "counselor_weight": 30, "metric_weights": '{"night_on_time": 2}'}
        ).status_code
        == 302
    )
    AppraisalSettings.objects.get(pk=1)  # saved
    from campusgrid.dashboards.models import appraisal as model

    model.forget_settings()
    settings = AppraisalSettings.get()
    assert (settings.computed_weight, settings.weight_of("night_on_time"), settings.weight_of("other")) == (
        70,
        2.0,
        1.0,
    )
    assert login(world.counselor).get(url).status_code == 404


@pytest.mark.parametrize(
    "url, name, label",
    [
        ("/api/v1/dashboards/appraisals/", "grade", "等级"),
        ("/api/v1/dashboards/appraisals/", "state", "状态"),
        ("/api/v1/dashboards/class-honours/", "state", "状态"),
    ],
)
def test_api_an_unknown_choice_is_named_in_chinese(world, term, api, url, name, label):
    """?grade= and ?state= answer as every other choice parameter of the API (core.api.query_choice):
    400 naming the parameter and the allowed values, not an empty list."""
    response = api(world.counselor).get(url, {name: "优秀吗"})
    assert response.status_code == 400
    (message,) = response.json()[name]
    assert message.startswith(f"{label} 须为以下之一：")
    assert api(world.counselor).get(url, {name: ""}).status_code == 200
