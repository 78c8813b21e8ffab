"""Safety and hygiene inspections: rounds, scores, findings with photo and
deadline, re-inspection, reports up the chain (at once or by tick), the
illegal-appliance rate over rounds, and the semester ratings."""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from campusgrid.core.errors import Conflict, NotAllowed, ServiceError
from campusgrid.core.tick import run_due
from campusgrid.ledgers import selectors, services
from campusgrid.ledgers.models import (
    Finding,
    FindingState,
    Inspection,
    InspectionItem,
    LedgerSettings,
    RoomRating,
)
from campusgrid.notifications.models import Notification
from campusgrid.reports.models import Report

from .conftest import NIGHT, at, png

pytestmark = pytest.mark.django_db
DAY = NIGHT  # inspections happen in the daytime of the same Monday


@pytest.fixture
def morning(travel, term):
    return travel(at(DAY, 10))


def item(name):
    return InspectionItem.objects.get(name=name)


def new_round(world, who="counselor", rooms=None, **kwargs):
    return services.inspection_round_create(
        actor=world[who].user,
        title=kwargs.pop("title", "第10周安全卫生检查"),
        rooms=rooms or [world.room_a1, world.room_mixed, world.room_a2],
        **kwargs,
    )


def inspection_of(round_, room):
    return Inspection.objects.get(round=round_, room=room)


def find(world, round_, room=None, who="counselor", name="违章电器", **kwargs):
    return services.finding_add(
        actor=world[who].user,
        inspection=inspection_of(round_, room or world.room_a1),
        item=item(name),
        **kwargs,
    )


def test_checklist_is_configurable_with_the_usual_items(db):
    names = list(InspectionItem.objects.values_list("name", flat=True))
    assert names[:6] == ["违章电器", "私拉电线", "吸烟", "易燃物", "消防通道堵塞", "门窗损坏"]
    assert set(InspectionItem.objects.filter(illegal_appliance=True).values_list("name", flat=True)) == {
        "违章电器"
    }


def test_rounds_cover_only_rooms_in_reach(world, morning):
    round_ = new_round(world)
    assert round_.inspections.count() == 3 and round_.semester is not None
    with pytest.raises(NotAllowed):
        new_round(world, rooms=[world.room_a1, world.room_b1])
    with pytest.raises(NotAllowed):
        new_round(world, "dorm_head", rooms=[world.room_mixed])
    own = new_round(world, "dorm_head", rooms=[world.room_a1], title="寝室自查")
    assert own.inspections.get().room == world.room_a1
    with pytest.raises(NotAllowed):
        new_round(world, "monitor", rooms=[world.room_a1])
    new_round(world, "leader")
    new_round(world, "office", rooms=[world.room_a1, world.room_b1])


def test_hygiene_score_is_recorded_per_room(world, morning):
    round_ = new_round(world)
    done = services.inspection_record(
        actor=world.counselor.user, inspection=inspection_of(round_, world.room_a1), hygiene_score=92
    )
    assert done.state == "done" and done.hygiene_score == 92 and done.inspector == world.counselor.user
    with pytest.raises(ServiceError, match="0到100"):
        services.inspection_record(
            actor=world.counselor.user, inspection=inspection_of(round_, world.room_a2), hygiene_score=120
        )
    with pytest.raises(ServiceError, match="请填写卫生得分"):
        services.inspection_record(
            actor=world.counselor.user, inspection=inspection_of(round_, world.room_a2)
        )
    with pytest.raises(NotAllowed):
        services.inspection_record(
            actor=world.dorm_head.user, inspection=inspection_of(round_, world.room_a2), hygiene_score=80
        )


def test_a_finding_with_photo_students_and_deadline(world, morning):
    round_ = new_round(world)
    finding = find(world, round_, description="使用电热锅", photo=png(), students=[world.student])
    assert finding.state == FindingState.OPEN and finding.photo_type == "image/png"
    assert finding.photo.name.startswith("ledgers/findings/") and finding.photo.size > 0
    assert finding.deadline == DAY + dt.timedelta(days=3)  # the configured default
    assert list(finding.students.all()) == [world.student]
    assert inspection_of(round_, world.room_a1).state == "done"
    told = set(Notification.objects.filter(title__contains="请于").values_list("user__username", flat=True))
    assert told == {"A1002", "A1001"}  # the responsible student and the dorm head
    with pytest.raises(ServiceError, match="不是图片"):
        find(world, round_, photo=SimpleUploadedFile("x.png", b"not an image", content_type="image/png"))
    with pytest.raises(ServiceError, match="责任学生应为本寝室成员"):
        find(world, round_, students=[world.mixed_a2])
    with pytest.raises(ServiceError, match="不能早于今天"):
        find(world, round_, deadline=DAY - dt.timedelta(days=1))


def test_recheck_fixed_closes_it(world, morning):
    finding = find(world, new_round(world))
    fixed = services.finding_recheck(
        actor=world.dorm_head.user, finding=finding, result="fixed", note="已收走"
    )
    assert fixed.state == FindingState.FIXED and fixed.fixed_at
    with pytest.raises(Conflict):
        services.finding_recheck(actor=world.counselor.user, finding=finding, result="not_fixed")
    assert not Report.objects.exists()


def test_not_fixed_before_the_deadline_stays_open_after_it_is_reported_up(world, morning, travel):
    finding = find(world, new_round(world), students=[world.student])
    still = services.finding_recheck(
        actor=world.counselor.user, finding=finding, result="not_fixed", note="仍在使用"
    )
    assert still.state == FindingState.OPEN and not Report.objects.exists()
    travel(at(finding.deadline + dt.timedelta(days=1), 10))
    late = services.finding_recheck(
        actor=world.counselor.user, finding=finding, result="not_fixed", note="拒不整改"
    )
    assert late.state == FindingState.ESCALATED and late.escalation_reason == "not_fixed"
    report = late.report
    assert report.category.name == "违章电器" and report.level == 4  # the counselor's next level: the college
    assert report.source_key == f"finding:{finding.pk}" and report.room == world.room_a1
    assert list(report.students.all()) == [world.student]
    assert Notification.objects.filter(user=world.leader.user, title__contains="新的问题上报").exists()
    assert finding.rechecks.count() == 2


def test_cannot_fix_in_the_room_is_reported_at_once(world, morning):
    round_ = new_round(world, "dorm_head", rooms=[world.room_a1], title="寝室自查")
    finding = find(
        world, round_, who="dorm_head", name="门窗损坏", description="窗户把手断裂", cannot_fix=True
    )
    assert finding.state == FindingState.ESCALATED and finding.escalation_reason == "cannot_fix"
    assert (
        finding.report.category.name == "安全隐患" and finding.report.level == 2
    )  # the dorm head's next level


def test_tick_reports_findings_past_their_deadline_once(world, morning):
    finding = find(world, new_round(world, "dorm_head", rooms=[world.room_a1]), who="dorm_head", deadline=DAY)
    fixed = find(world, new_round(world), name="吸烟", deadline=DAY)
    services.finding_recheck(actor=world.counselor.user, finding=fixed, result="fixed")
    assert run_due(at(DAY, 23, 59))["ledgers.finding_overdue"] == 0
    assert run_due(at(DAY + dt.timedelta(days=1), 0, 1))["ledgers.finding_overdue"] == 1
    assert run_due(at(DAY + dt.timedelta(days=1), 0, 2))["ledgers.finding_overdue"] == 0
    finding.refresh_from_db()
    assert finding.state == FindingState.ESCALATED and finding.escalation_reason == "overdue"
    assert finding.report.reporter == world.dorm_head.user and finding.report.level == 2
    assert Report.objects.count() == 1


def test_round_figures_and_the_illegal_appliance_rate_over_rounds(world, morning, travel):
    rates = []
    for week, illegal_rooms in enumerate([[world.room_a1, world.room_mixed], [world.room_a1], []]):
        travel(at(DAY + dt.timedelta(days=7 * week), 10))
        round_ = new_round(world, title=f"第{week + 1}轮")
        for room in [world.room_a1, world.room_mixed, world.room_a2]:
            services.inspection_record(
                actor=world.counselor.user, inspection=inspection_of(round_, room), hygiene_score=85
            )
        for room in illegal_rooms:
            find(world, round_, room=room)
        find(world, round_, room=world.room_a2, name="卫生")
        figures = selectors.round_figures(user=world.counselor.user, round_ids=[round_.pk])[round_.pk]
        assert (figures["rooms"], figures["inspected"], figures["with_findings"]) == (
            3,
            3,
            len(illegal_rooms) + 1,
        )
        assert figures["illegal"] == len(illegal_rooms)
        rates.append(figures["rate"])
    series = selectors.illegal_rate_series(user=world.counselor.user)
    assert series["rates"] == [66.7, 33.3, 0.0] and series["change"] == -100.0
    assert series["titles"] == ["第1轮", "第2轮", "第3轮"]
    # A dorm head's figures cover their own room only.
    mine = selectors.illegal_rate_series(user=world.dorm_head.user)
    assert mine["rates"] == [100.0, 100.0, 0.0] and mine["inspected"] == [1, 1, 1]
    page = pytest.importorskip("django.test").Client()
    page.force_login(world.counselor.user)
    text = page.get(reverse("ledgers:inspection-list")).content.decode()
    assert 'id="illegal-rate-chart"' in text and "vendor/echarts/echarts.min.js" in text and "下降" in text
    # Nothing from another host (a random CSRF token may spell "cdn": look at the addresses).
    assert not re.search(r'(?:src|href)="(?:https?:)?//', text)


def test_the_room_page_records_score_and_a_finding_with_photo(world, morning, login):
    round_ = new_round(world)
    client = login(world.counselor)
    url = reverse("ledgers:inspection-room", args=[inspection_of(round_, world.room_a1).pk])
    response = client.post(
        url,
        {
            "action": "finding",
            "item": item("违章电器").pk,
            "description": "热得快",
            "students": ["A1002"],
            "photo": png(),
        },
    )
    assert response.status_code == 302
    finding = Finding.objects.get()
    assert finding.photo and list(finding.students.values_list("student_no", flat=True)) == ["A1002"]
    response = client.post(url, {"action": "record", "hygiene_score": "88"})
    assert response.status_code == 302 and inspection_of(round_, world.room_a1).hygiene_score == 88
    bad = client.post(
        url, {"action": "finding", "item": item("吸烟").pk, "photo": SimpleUploadedFile("a.png", b"xx")}
    )
    assert bad.status_code == 200 and "不是图片" in bad.content.decode()


# --- ratings ------------------------------------------------------------------------------------


def scored(world, scores_by_round, travel):
    for week, scores in enumerate(scores_by_round):
        travel(at(DAY + dt.timedelta(days=7 * week), 10))
        round_ = new_round(world, "office", rooms=list(scores), title=f"卫生检查{week + 1}")
        for room, score in scores.items():
            services.inspection_record(
                actor=world.office.user, inspection=inspection_of(round_, room), hygiene_score=score
            )


def test_semester_ratings_by_thresholds_ranked_per_building(world, morning, travel, term):
    scored(
        world,
        [
            {world.room_a1: 96, world.room_mixed: 80, world.room_a2: 58, world.room_b1: 91},
            {world.room_a1: 98, world.room_mixed: 86, world.room_a2: 62, world.room_b1: 89},
        ],
        travel,
    )
    assert services.room_ratings_compute(actor=world.leader.user, semester=term["semester"]) == 4
    rating = {r.room.number: r for r in RoomRating.objects.select_related("room")}
    assert (
        rating["301"].average_score,
        rating["301"].stars,
        rating["301"].civil,
        rating["301"].model_room,
    ) == (
        97,
        5,
        True,
        True,
    )
    assert (rating["302"].stars, rating["302"].civil, rating["302"].model_room) == (3, False, False)
    assert (rating["303"].stars, rating["303"].civil) == (1, False)
    assert [rating[n].building_rank for n in ("301", "302", "303", "101")] == [1, 2, 3, 1]
    assert rating["301"].titles == ["示范寝室", "文明宿舍", "5星级宿舍"]


def test_thresholds_are_configurable_and_findings_bar_the_model_room(world, morning, travel, term):
    settings = LedgerSettings.get()
    settings.civil_min_score, settings.star_scores, settings.model_min_score = 80, "50,60,70,80,99", 90
    settings.save()
    scored(world, [{world.room_a1: 96, world.room_mixed: 82}], travel)
    find(
        world,
        Inspection.objects.filter(room=world.room_mixed).first().round,
        room=world.room_mixed,
        who="office",
    )
    services.room_ratings_compute(actor=world.office.user, semester=term["semester"])
    rating = {r.room.number: r for r in RoomRating.objects.select_related("room")}
    assert (rating["301"].stars, rating["301"].civil, rating["301"].model_room) == (4, True, True)
    assert (rating["302"].civil, rating["302"].findings, rating["302"].model_room) == (True, 1, False)


def test_only_leaders_and_the_office_rate_and_the_tick_rates_at_semester_end(world, morning, travel, term):
    scored(world, [{world.room_a1: 90}], travel)
    for persona in ["counselor", "dorm_head", "monitor"]:
        with pytest.raises(NotAllowed):
            services.room_ratings_compute(actor=world[persona].user, semester=term["semester"])
    assert run_due(at(dt.date(2026, 1, 10), 9))["ledgers.rate_semesters"] == 0  # semester still running
    assert run_due(at(dt.date(2026, 1, 18), 9))["ledgers.rate_semesters"] == 1
    assert run_due(at(dt.date(2026, 1, 18), 10))["ledgers.rate_semesters"] == 0
    assert RoomRating.objects.get().stars == 4
