"""Employment pairing: marking 就业困难 through the dossier, pairing a party member, contacts,
the outcome and its rate, the quiet-days flag through tick (once a quiet stretch), job posts
for the graduating classes of their majors, and query counts that do not grow with the rows."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from campusgrid.core import clock
from campusgrid.core.errors import NotAllowed, ServiceError
from campusgrid.dossiers.models import KeyStudent
from campusgrid.notifications.models import Notification
from campusgrid.people.models import AccessLog
from campusgrid.service import selectors, services
from campusgrid.service.models import Pairing, PairingSettings
from tests import factories as f

pytestmark = pytest.mark.django_db


def _pair(world, student=None, mentor=None):
    student = student or world.student
    services.employment_difficulty_mark(actor=world.counselor.user, student=student)
    return services.pairing_create(
        actor=world.counselor.user,
        student=student,
        mentor=(mentor or world.small_grid_leader).user,
        goal="毕业前签约",
    )


def _client(person):
    client = Client()
    client.force_login(person.user)
    return client


def test_marking_difficulty_adds_the_key_student_reason_and_keeps_the_others(world):
    from campusgrid.dossiers.services import key_student_mark

    key_student_mark(actor=world.counselor.user, student=world.student, reasons=["心理"], risk_level="key")
    services.employment_difficulty_mark(actor=world.counselor.user, student=world.student)
    file = KeyStudent.objects.get(student=world.student)
    assert {r.name for r in file.reasons.all()} == {"心理", "就业困难"} and file.risk_level == "key"
    assert [s.student_no for s in selectors.difficulty_candidates(user=world.counselor.user)] == ["A1002"]
    assert selectors.difficulty_candidates(user=world.counselor_b.user) == []
    with pytest.raises(NotAllowed):
        services.employment_difficulty_mark(actor=world.counselor_b.user, student=world.student)


def test_a_pairing_needs_a_marked_student_and_a_party_member(world):
    with pytest.raises(ServiceError) as raised:
        services.pairing_create(
            actor=world.counselor.user,
            student=world.student,
            mentor=world.small_grid_leader.user,
            goal="签约",
        )
    assert raised.value.field == "student"
    with pytest.raises(ServiceError) as raised:
        services.pairing.mentor_by_number("A1001")  # an activist is not a member yet
    assert raised.value.field == "mentor" and "不是党员" in raised.value.message
    assert services.pairing.mentor_by_number("A1004") == world.monitor.user  # 预备党员
    assert services.pairing.mentor_by_number("C0002") == world.class_teacher.user
    pairing = _pair(world)
    assert pairing.mentor_name == "党员戊"
    with pytest.raises(ServiceError):
        services.pairing_create(
            actor=world.counselor.user, student=world.student, mentor=world.monitor.user, goal="再结对"
        )
    assert Pairing.objects.count() == 1


def _noon(day):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12, 0)))


def test_a_pairing_flags_after_its_quiet_days_once(world, travel, django_capture_on_commit_callbacks):
    start = clock.today()
    travel(_noon(start))
    pairing = _pair(world)
    days = PairingSettings.get().quiet_days
    travel(_noon(start + dt.timedelta(days=days - 1)))
    assert services.pairing_flag_quiet() == 0
    travel(_noon(start + dt.timedelta(days=days)))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.pairing_flag_quiet() == 1
    told = Notification.objects.filter(user=world.counselor.user, title__contains="没有联系记录")
    assert told.count() == 1 and "党员戊—张三" in told.get().title
    assert not Notification.objects.filter(user=world.counselor_b.user).exists()
    travel(_noon(start + dt.timedelta(days=days + 5)))
    assert services.pairing_flag_quiet() == 0  # once for this quiet stretch
    # A contact starts a new stretch, which is flagged once again when it goes quiet.
    services.pairing_contact_add(
        actor=world.small_grid_leader.user,
        pairing=pairing,
        contacted_on=clock.today(),
        way="wechat",
        content="推荐了两家单位",
        next_step="下周模拟面试",
    )
    travel(_noon(start + dt.timedelta(days=2 * days + 4)))
    assert services.pairing_flag_quiet() == 0
    travel(_noon(start + dt.timedelta(days=2 * days + 5)))
    assert services.pairing_flag_quiet() == 1
    assert services.pairing_flag_quiet() == 0


def test_a_settled_pairing_is_never_flagged(world, travel):
    start = clock.today()
    travel(_noon(start))
    pairing = _pair(world)
    services.pairing_outcome_set(
        actor=world.small_grid_leader.user, pairing=pairing, outcome="signed", outcome_on=start
    )
    travel(_noon(start + dt.timedelta(days=60)))
    assert services.pairing_flag_quiet() == 0


def test_contacts_and_outcomes_are_checked(world):
    pairing = _pair(world)
    with pytest.raises(ServiceError) as raised:
        services.pairing_contact_add(
            actor=world.small_grid_leader.user,
            pairing=pairing,
            contacted_on=clock.today() + dt.timedelta(days=1),
            way="x",
            content="",
        )
    assert set(raised.value.errors) == {"contacted_on", "way", "content"}
    with pytest.raises(NotAllowed):
        services.pairing_contact_add(
            actor=world.student.user,
            pairing=pairing,
            contacted_on=clock.today(),
            way="meet",
            content="自己记录",
        )
    with pytest.raises(ServiceError) as raised:
        services.pairing_outcome_set(
            actor=world.counselor.user, pairing=pairing, outcome="signed", outcome_on=None
        )
    assert raised.value.field == "outcome_on"
    from campusgrid.core.errors import Conflict

    services.pairing_outcome_set(
        actor=world.counselor.user,
        pairing=pairing,
        outcome="further",
        outcome_on=clock.today(),
        expected_version=pairing.version,
    )
    with pytest.raises(Conflict):
        services.pairing_outcome_set(
            actor=world.counselor.user,
            pairing=pairing,
            outcome="abroad",
            outcome_on=clock.today(),
            expected_version=pairing.version,
        )


def test_the_ledger_shows_the_outcome_rate_and_logs_the_reads(world):
    pairing = _pair(world)
    other = f.StudentFactory(
        student_no="A1099", name="赵同学", school_class=world.class_a2, room=world.room_a2
    )
    _pair(world, student=other, mentor=world.monitor)
    services.pairing_outcome_set(
        actor=world.counselor.user, pairing=pairing, outcome="signed", outcome_on=clock.today()
    )
    rate = selectors.outcome_rate(selectors.pairing_list(user=world.counselor.user))
    assert rate == {"total": 2, "settled": 1, "rate": 50.0}
    before = AccessLog.objects.count()
    page = _client(world.counselor).get(reverse("service:pairing-list")).content.decode()
    assert "50.0%" in page and "A1099" in page
    assert AccessLog.objects.count() == before + 2
    assert selectors.outcome_rate(selectors.pairing_list(user=world.counselor_b.user))["total"] == 0


def test_job_posts_reach_the_graduating_classes_of_their_majors(world):
    year = world.class_a1.grade.year
    post = services.job_post_create(
        actor=world.counselor.user,
        college=world.college_a,
        company="某化工集团",
        position="工艺工程师",
        majors=[world.class_a1.major],
        deadline=clock.today() + dt.timedelta(days=10),
        grade_year=year,
    )
    assert list(selectors.job_posts_for_me(user=world.student.user)) == [post]
    assert not selectors.job_posts_for_me(user=world.student_b.user).exists()
    older = services.job_post_create(
        actor=world.counselor.user,
        college=world.college_a,
        company="某研究院",
        position="助理",
        majors=[world.class_a1.major],
        deadline=clock.today() + dt.timedelta(days=10),
        grade_year=year - 1,
    )
    assert older not in selectors.job_posts_for_me(user=world.student.user)
    assert older in selectors.job_post_list(user=world.counselor.user)
    with pytest.raises(ServiceError) as raised:
        services.job_post_create(
            actor=world.counselor.user,
            college=world.college_a,
            company="",
            position="",
            majors=[world.class_b1.major],
            deadline=None,
            link="javascript:alert(1)",
        )
    assert set(raised.value.errors) == {"company", "position", "majors", "deadline", "link"}
    with pytest.raises(NotAllowed):
        services.job_post_create(
            actor=world.student.user,
            college=world.college_a,
            company="x",
            position="y",
            majors=[world.class_a1.major],
            deadline=clock.today(),
        )


def test_my_pairing_on_the_phone(world):
    _pair(world)
    for persona in ("student", "small_grid_leader"):
        page = _client(world[persona]).get(reverse("service:pairing-mine"))
        assert page.status_code == 200 and "毕业前签约" in page.content.decode()
    assert _client(world.dorm_head).get(reverse("service:pairing-mine")).status_code == 404


def _many(world, n, start):
    for i in range(n):
        s = f.StudentFactory(student_no=f"A9{start + i:03d}", school_class=world.class_a1)
        _pair(world, student=s, mentor=world.monitor)


@pytest.mark.parametrize("url", ["service:pairing-list", "xlsx", "api"])
def test_pairing_lists_and_exports_cost_the_same_for_few_and_many(world, django_assert_num_queries, url):
    target = {
        "xlsx": reverse("service:pairing-list") + "?format=xlsx",
        "api": "/api/v1/service/pairings/",
    }.get(url) or reverse(url)
    client = _client(world.counselor)
    _many(world, 2, 0)
    client.get(target)
    with CaptureQueriesContext(connection) as few:
        assert client.get(target).status_code == 200
    _many(world, 10, 100)
    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get(target).status_code == 200


def test_a_students_own_data_download_holds_their_pairing(world):
    from campusgrid.service.personal_data_more import collect_opinion, collect_pairing

    pairing = _pair(world)
    services.pairing_contact_add(
        actor=world.small_grid_leader.user,
        pairing=pairing,
        contacted_on=clock.today(),
        way="phone",
        content="电话沟通",
    )
    (row,) = collect_pairing(world.student)
    assert row["结对党员"] == "党员戊" and row["联系记录"][0]["内容"] == "电话沟通"
    assert collect_pairing(world.student_b) == []
    services.opinion_item_add(
        actor=world.small_grid_leader.user, kind="other", source="offline", summary="楼道灯坏了"
    )
    assert [r["内容摘要"] for r in collect_opinion(world.small_grid_leader)] == ["楼道灯坏了"]


def test_the_counselor_marks_and_pairs_from_the_ledger_page(world):
    from campusgrid.core.models import AuditEvent

    client = _client(world.counselor)
    response = client.post(
        reverse("service:pairing-mark"), {"mark-student_no": "A1002", "mark-note": "家庭困难，求职不顺"}
    )
    assert response.status_code == 302
    page = client.get(reverse("service:pairing-list")).content.decode()
    assert 'id="pairing-candidates"' in page and "A1002" in page
    response = client.post(
        reverse("service:pairing-new"),
        {"pair-student_no": "A1002", "pair-mentor": "A2002", "pair-goal": "签约"},
    )
    pairing = Pairing.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "service:pairing-detail", args=[pairing.pk]
    )
    # Out of reach: another college's counselor writes nothing.
    before = AuditEvent.objects.count()
    response = _client(world.counselor_b).post(
        reverse("service:pairing-mark"), {"mark-student_no": "A1002"}, follow=True
    )
    assert "找不到学号" in response.content.decode() and AuditEvent.objects.count() == before


def test_whether_one_is_in_a_pairing_is_asked_by_ids_without_joining_the_students(world):
    """我的结对 in the menu, on every page: the mentor and the paired student are in a pairing,
    nobody else is, and the question reads the pairings' table alone (an OR across a join to
    the students could not use an index: 3 ms in PostgreSQL per request at 50,000 students)."""
    from campusgrid.core.scoping import forget_scope, scope_for
    from campusgrid.service.selectors.navigation import prefetch_nav_facts
    from campusgrid.service.selectors.pairing import has_pairing

    _pair(world)
    expected = {"student": True, "small_grid_leader": True, "counselor": False, "dorm_head": False}
    for who, answer in expected.items():
        user = world[who].user
        forget_scope(user)
        with CaptureQueriesContext(connection) as queries:
            assert has_pairing(user) is answer, who
        assert len(queries) == 1 and "people_student" not in queries[0]["sql"]
        for name in ("_campusgrid_has_pairing", "_campusgrid_service_nav"):
            user.__dict__.pop(name, None)
        prefetch_nav_facts(user, scope_for(user))  # the menu's one query gives the same answer
        assert user._campusgrid_has_pairing is answer, who
