"""The key list: marking, reasons and levels with history, removal that keeps the
file, reviews and their reminders (tick, idempotent), talk records, the API."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from campusgrid.core.errors import Conflict, NotAllowed, ServiceError
from campusgrid.core.models import AuditEvent
from campusgrid.core.tick import run_due
from campusgrid.dossiers import services
from campusgrid.dossiers.models import KeyReason, KeyStudent, KeyStudentChange, TalkRecord
from campusgrid.notifications.models import Notification

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2026, 11, 2, 9, 0)


@pytest.fixture(autouse=True)
def _time(travel):
    travel(timezone.make_aware(T0))


def mark(world, who="counselor", student="student", **kwargs):
    defaults = {"reasons": ["心理"], "risk_level": "关注"}
    defaults.update(kwargs)
    return services.key_student_mark(actor=world[who].user, student=world[student], **defaults)


def test_counselor_marks_a_student_with_reasons_level_worker_and_interval(world):
    key = mark(world, reasons=["心理", "学业困难"], risk_level="重点关注", review_interval_days=14)
    assert key.active and key.risk_level == "key" and key.responsible == world.counselor
    assert key.next_review == dt.date(2026, 11, 16) and key.created_by == world.counselor.user
    assert sorted(r.name for r in key.reasons.all()) == ["学业困难", "心理"]
    change = key.changes.get()
    assert (change.action, change.reasons, change.risk_level) == ("mark", "心理、学业困难", "key")
    event = AuditEvent.objects.get(verb="key_student.mark")
    assert (
        "A1002" in event.summary and "心理" not in str(event.data) + event.summary
    )  # no reasons in the audit


def test_reasons_and_levels_keep_their_history(world):
    key = mark(world)
    key = mark(world, reasons=["心理", "家庭变故"], risk_level="高危", note="父亲住院", expected_version=1)
    key = mark(
        world, reasons=["心理", "家庭变故"], risk_level="高危", responsible="C0002"
    )  # no change of reason/level
    assert key.responsible == world.class_teacher and key.version == 3
    history = list(
        KeyStudentChange.objects.filter(key_student=key).values_list(
            "action", "reasons", "risk_level", "note"
        )
    )
    assert history == [
        ("mark", "心理", "attention", ""),
        ("update", "心理、家庭变故", "high", "父亲住院"),
    ]
    with pytest.raises(Conflict):
        mark(world, risk_level="关注", expected_version=1)  # saved from an old page


def test_removal_keeps_the_file_and_marking_again_restores_it(world):
    key = mark(world, risk_level="重点关注")
    services.talk_record_create(
        actor=world.counselor.user,
        student=world.student,
        talked_on=dt.date(2026, 11, 1),
        place="办公室",
        summary="谈话",
    )
    key = services.key_student_remove(actor=world.counselor.user, key_student=key, reason="情况好转")
    assert not key.active and key.removed_reason == "情况好转"
    assert KeyStudent.objects.filter(student=world.student).exists()
    assert TalkRecord.objects.filter(student=world.student).count() == 1
    with pytest.raises(Conflict):
        services.key_student_remove(actor=world.counselor.user, key_student=key, reason="再次移出")
    with pytest.raises(ServiceError):
        services.key_student_remove(actor=world.counselor.user, key_student=key, reason="")
    key = mark(world, reasons=["违纪"], risk_level="关注")
    assert key.active and key.removed_at is None and key.pk == KeyStudent.objects.get().pk
    assert [c.action for c in key.changes.all()] == ["mark", "remove", "restore"]


def test_wrong_input_is_refused_in_chinese(world):
    with pytest.raises(ServiceError, match="至少选择一个原因"):
        mark(world, reasons=[])
    with pytest.raises(ServiceError, match="未知的原因：失恋"):
        mark(world, reasons=["失恋"])
    with pytest.raises(ServiceError, match="风险等级"):
        mark(world, risk_level="很危险")
    with pytest.raises(ServiceError, match="1到365"):
        mark(world, review_interval_days=0)
    with pytest.raises(ServiceError, match="工号"):
        mark(world, responsible="NOPE")
    KeyReason.objects.filter(name="就业困难").update(active=False)  # configurable: a reason can be retired
    with pytest.raises(ServiceError):
        mark(world, reasons=["就业困难"])
    KeyReason.objects.create(name="网络成瘾", order=85)
    assert mark(world, reasons=["网络成瘾"]).reasons_text() == "网络成瘾"


def test_only_level_three_and_above_over_the_student_may_mark(world):
    for who in ["monitor", "dorm_head", "branch_secretary", "counselor_b", "leader_b"]:
        with pytest.raises(NotAllowed):
            mark(world, who=who)
    with pytest.raises(NotAllowed):
        mark(world, who="class_teacher", student="mixed_a2")  # 化工2402 is not hers
    assert mark(world, who="leader", student="mixed_a2").responsible == world.leader
    assert mark(world, who="office", student="student_b").active
    assert not KeyStudent.objects.filter(student=world.student).exists()


def test_review_moves_the_next_review_and_reminders_come_once(world, travel):
    key = mark(world, review_interval_days=7)  # next review 9 November
    assert run_due(timezone.make_aware(T0))["dossiers.review_reminders"] == 0
    nine = timezone.make_aware(dt.datetime(2026, 11, 9, 8, 0))
    assert run_due(nine)["dossiers.review_reminders"] == 1
    assert run_due(nine)["dossiers.review_reminders"] == 0  # idempotent
    notice = Notification.objects.get(user=world.counselor.user, title__contains="复查")
    assert notice.title == "重点学生复查到期：张三" and notice.url == "/dossiers/A1002/"
    # Overdue: listed, but not reminded again for the same date.
    travel(timezone.make_aware(dt.datetime(2026, 11, 12, 9, 0)))
    assert run_due()["dossiers.review_reminders"] == 0
    assert [k.student.student_no for k in KeyStudent.objects.review_due()] == ["A1002"]
    key = services.key_student_review(
        actor=world.counselor.user, key_student=key, note="情绪平稳", risk_level="关注"
    )
    assert key.last_reviewed == dt.date(2026, 11, 12) and key.next_review == dt.date(2026, 11, 19)
    assert run_due(timezone.make_aware(dt.datetime(2026, 11, 19, 8, 0)))["dossiers.review_reminders"] == 1
    assert Notification.objects.filter(title__contains="复查").count() == 2


def test_reminder_without_a_responsible_worker_goes_to_the_class_counselors(world):
    key = mark(world, review_interval_days=1)
    KeyStudent.objects.filter(pk=key.pk).update(responsible=None)
    call_command("tick", now="2026-11-03T08:00:00+08:00", stdout=__import__("io").StringIO())
    users = set(Notification.objects.filter(title__contains="复查").values_list("user__username", flat=True))
    assert users == {"C0001", "C0002"}  # the counselor and the class teacher of 化工2401


def test_overdue_reviews_are_listed(world, login, travel):
    mark(world, review_interval_days=7)
    mark(world, student="mixed_a2", review_interval_days=30)
    travel(timezone.make_aware(dt.datetime(2026, 11, 12, 9, 0)))
    page = login(world.counselor).get(reverse("dossiers:list"), {"review": "due"}).content.decode()
    assert "A1002" in page and "A2001" not in page and "逾期" in page
    data = login(world.counselor).get("/api/v1/key-students/", {"review": "overdue"}).json()
    assert [r["student_no"] for r in data["results"]] == ["A1002"] and data["results"][0]["review_overdue"]


def test_talk_record_checks_its_fields(world):
    with pytest.raises(ServiceError, match="晚于今天"):
        services.talk_record_create(
            actor=world.counselor.user,
            student=world.student,
            talked_on=dt.date(2026, 11, 3),
            place="x",
            summary="谈话",
        )
    with pytest.raises(ServiceError, match="地点"):
        services.talk_record_create(
            actor=world.counselor.user,
            student=world.student,
            talked_on=dt.date(2026, 11, 1),
            place=" ",
            summary="谈话",
        )
    record = services.talk_record_create(
        actor=world.counselor.user,
        student=world.student,
        talked_on=dt.date(2026, 11, 1),
        place="办公室",
        summary="谈话内容",
    )
    assert record.participants == "辅导员甲" and record.recorded_by_name == "辅导员甲"
    assert AuditEvent.objects.filter(verb="talk_record.create").exists()
    assert "谈话内容" not in str(
        AuditEvent.objects.values_list("summary", "data").get(verb="talk_record.create")
    )


def test_pages_mark_write_a_talk_review_and_remove(world, login):
    client = login(world.counselor)
    reasons = list(KeyReason.objects.filter(name__in=["心理", "学业困难"]).values_list("pk", flat=True))
    response = client.post(
        reverse("dossiers:edit", args=["A1002"]),
        {
            "reasons": reasons,
            "risk_level": "key",
            "responsible": "C0001",
            "review_interval_days": "14",
            "follow_up_plan": "每两周谈话",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/dossiers/A1002/"
    key = KeyStudent.objects.get(student=world.student)
    assert key.risk_level == "key" and key.follow_up_plan == "每两周谈话"
    response = client.post(
        reverse("dossiers:talk-new", args=["A1002"]),
        {
            "talked_on": "2026-11-02",
            "place": "寝室",
            "participants": "辅导员甲、舍长甲",
            "summary": "了解近况",
        },
    )
    assert response.status_code == 302
    assert TalkRecord.objects.get().participants == "辅导员甲、舍长甲"
    assert (
        client.post(reverse("dossiers:review", args=["A1002"]), {"note": "好转", "version": 1}).status_code
        == 302
    )
    assert (
        client.post(reverse("dossiers:remove", args=["A1002"]), {"reason": "好转", "version": 2}).status_code
        == 302
    )
    key.refresh_from_db()
    assert not key.active and key.last_reviewed == dt.date(2026, 11, 2)
    page = client.get(reverse("dossiers:dossier", args=["A1002"])).content.decode()
    assert "已移出重点名单" in page and "了解近况" in page and "列入重点学生" in page
    # Errors come back on the form, in Chinese.
    response = client.post(
        reverse("dossiers:edit", args=["A2001"]), {"risk_level": "key", "review_interval_days": "14"}
    )
    assert response.status_code == 200 and "请至少选择一个原因" in response.content.decode()


def test_api_creates_by_student_no_with_chinese_names(world, api):
    client = api(world.counselor)
    response = client.post(
        "/api/v1/key-students/",
        {
            "student_no": "A2001",
            "reasons": ["心理", "经济困难"],
            "risk_level": "重点关注",
            "review_interval_days": 21,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (
        body["reasons"] == ["心理", "经济困难"]
        and body["risk_level"] == "重点关注"
        and body["next_review"] == "2026-11-23"
    )
    bad = client.post(
        "/api/v1/key-students/",
        {"student_no": "A2001", "reasons": ["失恋"], "risk_level": "高危"},
        format="json",
    )
    assert bad.status_code == 400 and "未知的原因" in bad.json()["detail"]
    again = client.post(
        "/api/v1/key-students/",
        {"student_no": "A2001", "reasons": ["心理"], "risk_level": "高危"},
        format="json",
    )
    assert again.status_code == 200 and again.json()["risk_level"] == "高危"
    patched = client.patch("/api/v1/key-students/A2001/", {"risk_level": "关注", "version": 2}, format="json")
    assert patched.status_code == 200 and patched.json()["reasons"] == ["心理"]
    stale = client.patch("/api/v1/key-students/A2001/", {"risk_level": "高危", "version": 1}, format="json")
    assert stale.status_code == 409
    reviewed = client.post("/api/v1/key-students/A2001/review/", {"note": "复查正常"})
    assert reviewed.status_code == 200 and reviewed.json()["last_reviewed"] == "2026-11-02"
    removed = client.post("/api/v1/key-students/A2001/remove/", {"reason": "毕业"})
    assert removed.status_code == 200 and removed.json()["active"] is False
    assert client.get("/api/v1/key-students/").json()["count"] == 0
    assert client.get("/api/v1/key-students/", {"status": "removed"}).json()["count"] == 1
    talk = client.post(
        "/api/v1/talk-records/",
        {"student_no": "A2001", "talked_on": "2026-11-01", "place": "办公室", "summary": "谈话"},
    )
    assert talk.status_code == 201 and talk.json()["summary"] == "谈话"
