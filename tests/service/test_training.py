"""Training of grid workers: who holds a post and has not had its required training, the
tick reminder (once), the record on the appointment page."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from campusgrid.grid.models import Post, PostKind
from campusgrid.notifications.models import Notification
from campusgrid.service import selectors, services
from campusgrid.service.models import TrainingReminder, TrainingRequirement

from .test_sessions import START


@pytest.fixture
def requirement(db):
    return TrainingRequirement.objects.create(
        post_kind=PostKind.DORM_HEAD, topic="舍长岗前培训", within_days=30
    )


def _training(world, travel, *, day=START):
    travel(day - dt.timedelta(days=1))
    return services.session_create(
        actor=world.counselor.user,
        kind="training",
        title="舍长岗前培训",
        topic="舍长岗前培训",
        starts_at=day,
        ends_at=day + dt.timedelta(hours=2),
        audience_post_kind=PostKind.DORM_HEAD,
    )


def _numbers(rows):
    return sorted(r["number"] for r in rows)


def test_untrained_dorm_heads_are_listed_exactly(world, travel, requirement):
    session = _training(world, travel)
    travel(START + dt.timedelta(minutes=30))
    services.attendance_record(
        actor=world.counselor.user, session=session, student=world.dorm_head, status="present"
    )
    services.attendance_record(
        actor=world.counselor.user, session=session, student=world.dorm_head_mixed, status="absent"
    )
    # The leader of college A sees college A's three dorm heads; one is trained.
    assert _numbers(selectors.untrained_list(user=world.leader.user)) == ["A1005", "A2003"]
    # Counselor B sees college B's only.
    assert _numbers(selectors.untrained_list(user=world.counselor_b.user)) == ["B1001"]
    # A make-up counts as trained.
    makeup = _training(world, travel, day=START + dt.timedelta(days=3))
    travel(START + dt.timedelta(days=3, hours=1))
    services.attendance_record(
        actor=world.counselor.user, session=makeup, student=world.dorm_head_mixed, status="makeup"
    )
    assert _numbers(selectors.untrained_list(user=world.leader.user)) == ["A2003"]
    groups = selectors.untrained_by_class(selectors.training_status(user=world.leader.user))
    assert groups == [{"college": "化工学院", "school_class": "化工2402", "count": 1, "overdue": 1}]


def test_a_training_of_another_topic_does_not_count(world, travel, requirement):
    session = _training(world, travel)
    session.topic = "心理危机识别讲座"
    session.save(update_fields=["topic"])
    travel(START + dt.timedelta(minutes=30))
    services.attendance_record(
        actor=world.counselor.user, session=session, student=world.dorm_head, status="present"
    )
    assert "A1001" in _numbers(selectors.untrained_list(user=world.leader.user))


def test_not_yet_due_is_not_overdue(world, travel, requirement):
    Post.objects.filter(student=world.dorm_head_a2).update(start_date=dt.date(2025, 10, 10))
    travel(timezone.make_aware(dt.datetime(2025, 10, 20, 9, 0)))
    rows = {r["number"]: r for r in selectors.untrained_list(user=world.leader.user)}
    assert rows["A2003"]["overdue"] is False
    assert rows["A1001"]["overdue"] is True


def test_tick_reminds_the_counselor_once(world, travel, requirement):
    moment = travel(timezone.make_aware(dt.datetime(2025, 11, 1, 9, 0)))
    assert services.training_remind(moment) == 4  # every dorm head of both colleges is overdue
    first = Notification.objects.filter(user=world.counselor.user, title__contains="逾期未参加培训")
    assert first.count() == 1 and "舍长己" in first.get().body
    assert Notification.objects.filter(user=world.counselor_b.user, title__contains="培训").count() == 1
    assert services.training_remind(moment + dt.timedelta(hours=1)) == 0
    assert Notification.objects.filter(title__contains="逾期未参加培训").count() == 2
    assert TrainingReminder.objects.count() == 4


def test_the_post_page_shows_the_training_record(world, travel, requirement, login):
    session = _training(world, travel)
    travel(START + dt.timedelta(minutes=30))
    services.attendance_record(
        actor=world.counselor.user, session=session, student=world.dorm_head, status="late"
    )
    post = Post.objects.get(student=world.dorm_head, kind=PostKind.DORM_HEAD)
    html = login(world.counselor).get(reverse("grid:post", args=[post.pk])).content.decode()
    assert 'id="post-training"' in html and "已培训" in html and "迟到" in html
    other = Post.objects.get(student=world.dorm_head_a2, kind=PostKind.DORM_HEAD)
    html = login(world.counselor).get(reverse("grid:post", args=[other.pk])).content.decode()
    assert "逾期未培训" in html and "未参加过培训" in html


def test_training_ledger_page_and_export(world, travel, requirement, login):
    travel(START)
    client = login(world.counselor)
    html = client.get(reverse("service:training")).content.decode()
    assert "A1001" in html and "A2003" in html and "B1001" not in html
    response = client.get(reverse("service:training"), {"format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
