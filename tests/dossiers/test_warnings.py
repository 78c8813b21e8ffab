"""Early warning: each rule with its explanation and records, dismissals that are
remembered per rule and records, accepting into the key list, the pages and API."""

import datetime as dt

import pytest
from django.apps import apps as django_apps
from django.urls import reverse
from django.utils import timezone

from campusgrid.core.errors import Conflict, NotAllowed
from campusgrid.core.tick import run_due
from campusgrid.dossiers import services
from campusgrid.dossiers.models import KeyStudent, WarningProposal, WarningRule
from campusgrid.dossiers.warnings import run_rules
from campusgrid.notifications.models import Notification
from campusgrid.people.models import AccessLog
from campusgrid.reports.services import report_create

from .conftest import screening

pytestmark = pytest.mark.django_db


def at(month, day, hour=9):
    return timezone.make_aware(dt.datetime(2026, month, day, hour, 0))


def report(world, category, when, travel, student="student", who="dorm_head"):
    travel(when)
    return report_create(
        actor=world[who].user,
        category=category,
        severity="normal",
        description=f"{category}情况",
        students=[world[student]],
    )


def test_repeated_discipline_reports_propose_the_student_with_the_records(world, travel):
    first = report(world, "违纪", at(10, 1), travel)
    assert run_rules(at(10, 2)) == 0  # one is not yet "repeated"
    second = report(world, "违纪", at(10, 20), travel)
    report(world, "违纪", at(10, 21), travel, student="mixed_a2", who="dorm_head_mixed")  # someone else, once
    assert run_rules(at(10, 21)) == 1
    proposal = WarningProposal.objects.get()
    assert proposal.rule.key == "repeated-discipline" and proposal.student == world.student
    assert proposal.explanation == "180天内有2次违纪上报（10月1日、10月20日），达到规则的2次"
    assert [r["id"] for r in proposal.records] == [first.pk, second.pk]
    assert proposal.records[0]["label"] == f"10月1日 违纪上报 #{first.pk}"
    assert proposal.records[0]["url"] == f"/reports/{first.pk}/"
    assert proposal.suggested_level == "key" and proposal.state == "open"
    # The counselors of the class hear of it; the monitor does not.
    assert Notification.objects.filter(user=world.counselor.user, title="新的重点学生预警 1 条").exists()
    assert not Notification.objects.filter(user=world.monitor.user, title__contains="预警").exists()
    assert run_rules(at(10, 21)) == 0  # tick again: nothing new


def test_disputes_rule_has_its_own_window_and_outside_it_nothing_is_proposed(world, travel):
    report(world, "矛盾纠纷", at(6, 1), travel)
    report(world, "矛盾纠纷", at(10, 1), travel)
    assert run_rules(at(10, 2)) == 0  # 1 June is outside the 90 days
    report(world, "矛盾纠纷", at(10, 15), travel)
    assert run_rules(at(10, 16)) == 1
    proposal = WarningProposal.objects.get()
    assert (
        proposal.rule.name == "多次矛盾纠纷"
        and "90天内有2次矛盾纠纷上报（10月1日、10月15日）" in proposal.explanation
    )


def test_rules_are_configurable(world, travel):
    rule = WarningRule.objects.get(key="repeated-disputes")
    rule.params = {"categories": ["矛盾纠纷", "夜不归宿"], "count": 3, "days": 30}
    rule.save()
    report(world, "矛盾纠纷", at(10, 1), travel)
    report(world, "夜不归宿", at(10, 5), travel)
    assert run_rules(at(10, 6)) == 0
    report(world, "夜不归宿", at(10, 9), travel)
    assert run_rules(at(10, 10)) == 1
    assert "30天内有3次矛盾纠纷、夜不归宿上报" in WarningProposal.objects.get().explanation
    WarningRule.objects.update(active=False)
    report(world, "夜不归宿", at(10, 11), travel)
    assert run_rules(at(10, 12)) == 0


def test_screening_flag_proposes_with_the_scores_and_a_crisis_as_high_risk(world, semester, travel):
    travel(at(11, 2))
    screening(world.student, semester, score=32)
    screening(world.mixed_a2, semester, score=12)  # under the threshold
    screening(world.monitor, semester, score=10, crisis=True)
    assert run_rules(at(11, 2)) == 2
    upi = WarningProposal.objects.get(student=world.student)
    assert upi.explanation == "心理筛查：2026-2027学年第一学期 UPI 总分32（阈值25）"
    assert upi.suggested_level == "key" and upi.records[0]["type"] == "screening"
    crisis = WarningProposal.objects.get(student=world.monitor)
    assert crisis.explanation == "心理筛查：2026-2027学年第一学期 UPI 总分10，有危机标记"
    assert crisis.suggested_level == "high"


def test_dismissed_records_are_not_proposed_again_but_new_ones_are(world, travel):
    report(world, "违纪", at(10, 1), travel)
    report(world, "违纪", at(10, 5), travel)
    run_rules(at(10, 5))
    first = WarningProposal.objects.get()
    services.proposal_dismiss(actor=world.counselor.user, proposal=first, note="已处理，属偶发")
    first.refresh_from_db()
    assert first.state == "dismissed" and first.decision_note == "已处理，属偶发"
    assert run_rules(at(10, 6)) == 0 and run_rules(at(11, 1)) == 0  # same records: remembered
    third = report(world, "违纪", at(11, 10), travel)
    assert run_rules(at(11, 10)) == 1
    latest = WarningProposal.objects.latest("id")
    assert (
        latest.state == "open" and third.pk in [r["id"] for r in latest.records] and len(latest.records) == 3
    )
    assert latest.fingerprint != first.fingerprint
    # When the oldest record leaves the window the rest is no news: not proposed again.
    services.proposal_dismiss(actor=world.counselor.user, proposal=latest)
    assert run_rules(at(10, 1) + dt.timedelta(days=181)) == 0


def test_a_new_proposal_supersedes_the_open_one(world, travel):
    report(world, "违纪", at(10, 1), travel)
    report(world, "违纪", at(10, 5), travel)
    run_rules(at(10, 5))
    report(world, "违纪", at(10, 9), travel)
    run_rules(at(10, 9))
    assert list(WarningProposal.objects.order_by("id").values_list("state", flat=True)) == [
        "superseded",
        "open",
    ]


def test_accepting_lists_the_student_or_raises_the_existing_file(world, semester, travel):
    report(world, "违纪", at(10, 1), travel)
    report(world, "违纪", at(10, 5), travel)
    run_rules(at(10, 5))
    proposal = WarningProposal.objects.get()
    key = services.proposal_accept(actor=world.counselor.user, proposal=proposal)
    assert key.active and key.reasons_text() == "违纪" and key.risk_level == "key"
    assert key.responsible == world.counselor
    assert key.changes.get().note.startswith("由预警“多次违纪”列入：180天内有2次违纪上报")
    proposal.refresh_from_db()
    assert (
        proposal.state == "accepted"
        and proposal.key_student == key
        and proposal.decided_by == world.counselor.user
    )
    with pytest.raises(Conflict):
        services.proposal_accept(actor=world.counselor.user, proposal=proposal)
    # A crisis later: the same file gains 心理 and the higher level.
    travel(at(11, 2))
    screening(world.student, semester, score=50, crisis=True)
    run_rules(at(11, 2))
    crisis = WarningProposal.objects.get(rule__key="screening-flag")
    key = services.proposal_accept(actor=world.counselor.user, proposal=crisis)
    assert key.reasons_text() == "心理、违纪" and key.risk_level == "high" and KeyStudent.objects.count() == 1


def test_deciding_outside_scope_is_404(world, travel, login, api):
    report(world, "违纪", at(10, 1), travel)
    report(world, "违纪", at(10, 5), travel)
    run_rules(at(10, 5))
    proposal = WarningProposal.objects.get()
    for persona in ["monitor", "dorm_head", "student", "counselor_b", "leader_b"]:
        for decision in ["accept", "dismiss"]:
            url = reverse("dossiers:warning-decide", args=[proposal.pk, decision])
            assert login(world[persona]).post(url).status_code == 404
            assert api(world[persona]).post(f"/api/v1/warnings/{proposal.pk}/{decision}/").status_code == 404
        with pytest.raises(NotAllowed):
            services.proposal_dismiss(actor=world[persona].user, proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.state == "open"
    assert (
        login(world.leader)
        .post(reverse("dossiers:warning-decide", args=[proposal.pk, "dismiss"]))
        .status_code
        == 302
    )
    accepted = api(world.counselor).post(f"/api/v1/warnings/{proposal.pk}/accept/")
    assert accepted.status_code == 409  # already dismissed by the leader


def test_proposals_are_listed_only_for_the_counselors_of_the_student(world, travel, login, api):
    report(world, "违纪", at(10, 1), travel)
    report(world, "违纪", at(10, 5), travel)
    run_rules(at(10, 5))
    proposal = WarningProposal.objects.get()
    cases = {
        "counselor": True,
        "class_teacher": True,
        "leader": True,
        "office": True,
        "counselor_b": False,
        "leader_b": False,
    }
    for persona, sees in cases.items():
        page = login(world[persona]).get(reverse("dossiers:warnings"))
        assert page.status_code == 200 and ("A1002" in page.content.decode()) is sees, persona
        data = api(world[persona]).get("/api/v1/warnings/").json()
        assert [r["student_no"] for r in data["results"]] == (["A1002"] if sees else [])
        detail = api(world[persona]).get(f"/api/v1/warnings/{proposal.pk}/")
        assert detail.status_code == (200 if sees else 404)
    for persona in ["monitor", "dorm_head", "student", "activist"]:
        assert login(world[persona]).get(reverse("dossiers:warnings")).status_code == 404
        assert api(world[persona]).get("/api/v1/warnings/").json()["results"] == []
    before = AccessLog.objects.count()
    page = login(world.counselor).get(reverse("dossiers:warnings")).content.decode()
    assert (
        "多次违纪" in page
        and "180天内有2次违纪上报" in page
        and f"/reports/{proposal.records[0]['id']}/" in page
    )
    assert AccessLog.objects.count() == before + 1  # one row: the one student shown
    detail = api(world.counselor).get(f"/api/v1/warnings/{proposal.pk}/").json()
    assert detail["rule_name"] == "多次违纪" and len(detail["records"]) == 2


def test_accept_page_opens_the_new_file(world, travel, login):
    report(world, "违纪", at(10, 1), travel)
    report(world, "违纪", at(10, 5), travel)
    run_due(at(10, 5, 10))  # the tick job proposes
    proposal = WarningProposal.objects.get()
    response = login(world.counselor).post(
        reverse("dossiers:warning-decide", args=[proposal.pk, "accept"]), {"risk_level": "high"}
    )
    assert response.status_code == 302 and response["Location"] == "/dossiers/A1002/"
    assert KeyStudent.objects.get().risk_level == "high"


# --- rules over the ledgers ------------------------------------------------------------------

needs_ledgers = pytest.mark.skipif(
    not django_apps.is_installed("campusgrid.ledgers"),
    reason="the ledgers app is not installed",
)


def absent(world, student, day):
    from campusgrid.ledgers.models import NightCheck, NightCheckEntry

    room = student.bed.room
    check, _ = NightCheck.objects.get_or_create(room=room, date=day, defaults={"checked_by_name": "舍长甲"})
    return NightCheckEntry.objects.create(night_check=check, student=student, date=day, status="absent")


@needs_ledgers
def test_two_night_absences_in_30_days_propose_the_student(world):
    first = absent(world, world.student, dt.date(2026, 10, 1))
    absent(world, world.monitor, dt.date(2026, 10, 1))  # someone else, once
    assert run_rules(at(10, 2)) == 0
    second = absent(world, world.student, dt.date(2026, 10, 20))
    assert run_rules(at(10, 21)) == 1
    proposal = WarningProposal.objects.get()
    assert proposal.rule.key == "night-absences" and proposal.student == world.student
    assert proposal.explanation == "30天内查寝记录夜不归宿2次（10月1日、10月20日），达到规则的2次"
    assert [(r["type"], r["id"]) for r in proposal.records] == [
        ("night_check", first.pk),
        ("night_check", second.pk),
    ]
    assert proposal.records[0]["label"] == "10月1日 夜不归宿（东1/301）"
    # Outside the window: 1 October and 5 November are 35 days apart.
    absent(world, world.monitor, dt.date(2026, 11, 5))
    assert run_rules(at(11, 5)) == 0


@needs_ledgers
def test_an_overdue_holiday_return_proposes_the_student(world, travel):
    from campusgrid.ledgers.models import HolidayRegistration, HolidayWindow
    from campusgrid.org.models import Holiday, Semester

    semester = Semester.objects.create(name="2026秋", start=dt.date(2026, 9, 1), end=dt.date(2027, 1, 20))
    holiday = Holiday.objects.create(
        semester=semester, name="国庆节", start=dt.date(2026, 10, 1), end=dt.date(2026, 10, 7)
    )
    window = HolidayWindow.objects.create(
        holiday=holiday,
        school_class=world.class_a1,
        register_by=dt.date(2026, 9, 28),
        return_due=at(10, 7, 20),
    )
    common = {"window": window, "holiday": holiday, "plan": "leave", "return_due": at(10, 7, 20)}
    late = HolidayRegistration.objects.create(student=world.student, destination="杭州", **common)
    HolidayRegistration.objects.create(
        student=world.monitor, returned_at=at(10, 7, 18), **common
    )  # back in time
    HolidayRegistration.objects.create(student=world.dorm_head, **{**common, "plan": "stay"})
    assert run_rules(at(10, 7, 19)) == 0  # not yet due
    assert run_rules(at(10, 8, 9)) == 1
    proposal = WarningProposal.objects.get()
    assert proposal.rule.key == "holiday-overdue" and proposal.student == world.student
    assert proposal.explanation == "节假日逾期未返校：国庆节：应于10月7日 20:00前返校，尚未确认返校，去向杭州"
    assert proposal.records[0]["id"] == late.pk and proposal.records[0]["type"] == "holiday"
    rule = WarningRule.objects.get(key="holiday-overdue")
    rule.params = {"grace_hours": 48}
    rule.save()
    services.proposal_dismiss(actor=world.counselor.user, proposal=proposal)
    assert run_rules(at(10, 10, 9)) == 0  # dismissed: the same registration is not proposed again


def test_ledger_rules_skip_cleanly_without_the_ledgers_app(world, travel, monkeypatch):
    # Without the ledgers app nobody registers its rule kinds: the rows are skipped.
    # (Was: dossiers' own lazy rules answered None; ledgers now registers them.)
    from campusgrid.dossiers.warnings import RULES

    for key in ["night-absences", "holiday-overdue"]:
        monkeypatch.delitem(RULES, WarningRule.objects.get(key=key).kind)
    assert run_rules(at(11, 2)) == 0
    assert run_due(at(11, 2))["dossiers.early_warning"] == 0  # the tick job does not fail


def test_ledgers_registers_its_rules_and_dossiers_reaches_into_no_app_by_strings():
    """Bug 5: dossiers found ledgers models through apps.get_model and answered None on a
    LookupError, so a rename silently disabled the rule. Ledgers now registers them."""
    import pathlib

    import campusgrid.dossiers
    from campusgrid.dossiers.warnings import RULES

    assert set(RULES) == set(WarningRule.Kind.values)  # every kind has its rule
    for kind in [WarningRule.Kind.NIGHT_ABSENCES, WarningRule.Kind.HOLIDAY_OVERDUE]:
        assert RULES[kind].__module__ == "campusgrid.ledgers.warnings"
    source = pathlib.Path(campusgrid.dossiers.__file__).parent
    for path in source.rglob("*.py"):
        if "migrations" not in path.parts:
            text = path.read_text()
            assert "get_model(" not in text and '"ledgers"' not in text, path
