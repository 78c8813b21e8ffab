"""A session's audience (classes, rooms, a branch's party members, holders of a grid post
kind, the whole college), sign-up within the quota, and who sees the session."""

import datetime as dt

import pytest

from campusgrid.core.errors import Conflict, ServiceError
from campusgrid.grid.models import PostKind
from campusgrid.service import selectors, services
from campusgrid.service.models import Session
from campusgrid.service.services import codes

from .test_sessions import START


def _create(world, travel, **kwargs):
    travel(START - dt.timedelta(days=1))
    options = {
        "actor": world.counselor.user,
        "kind": "education",
        "title": "活动",
        "starts_at": START,
        "ends_at": START + dt.timedelta(hours=2),
    }
    options.update(kwargs)
    return services.session_create(**options)


def _numbers(session):
    return sorted(selectors.audience_students(session).values_list("student_no", flat=True))


def test_branch_meeting_audience_is_its_party_members_and_post_holders(world, travel):
    meeting = _create(
        world, travel, kind="party_meeting", title="支部党员大会", branch=world.branch, audience_branch=True
    )
    # 班长丙 (probationary, room 301) and 党员戊 (member, room 302) live in the branch's rooms;
    # 书记辛 holds the branch's secretary post; the activists hold no branch post.
    assert _numbers(meeting) == ["A1004", "A2002", "A2005"]
    moment = travel(START)
    code = codes.current_code(meeting.secret, moment)
    assert services.attendance_sign_in(actor=world.branch_secretary.user, code=code).session == meeting
    with pytest.raises(ServiceError, match="参加范围"):
        services.attendance_sign_in(actor=world.student.user, code=code)


def test_training_audience_is_the_holders_of_a_post_kind_in_the_college(world, travel):
    training = _create(
        world, travel, kind="training", title="舍长培训", audience_post_kind=PostKind.DORM_HEAD
    )
    assert _numbers(training) == ["A1001", "A1005", "A2003"]  # not 舍长壬 of college B
    rooms = _create(world, travel, title="寝室安全", audience_rooms=[world.room_a2])
    assert _numbers(rooms) == ["A2003", "A2004", "A2005"]
    college = _create(world, travel, title="全院大会", audience_college=True)
    assert len(_numbers(college)) == 11


def test_the_audience_sees_the_session_others_do_not(world, travel):
    session = _create(world, travel, audience_classes=[world.class_a2])
    seen = lambda person: Session.objects.visible_to(person.user).filter(pk=session.pk).exists()  # noqa: E731
    assert seen(world.mixed_a2) and seen(world.counselor) and seen(world.leader) and seen(world.class_teacher)
    assert not seen(world.student) and not seen(world.student_b) and not seen(world.counselor_b)
    assert [s.pk for s in selectors.my_sessions(user=world.mixed_a2.user)] == [session.pk]
    assert list(selectors.my_sessions(user=world.student.user)) == []


def test_sign_up_respects_the_quota_and_the_audience(world, travel):
    session = _create(
        world, travel, kind="volunteer", quota=2, signup_required=True, audience_classes=[world.class_a1]
    )
    services.signup_create(actor=world.student.user, session=session)
    with pytest.raises(Conflict, match="已报名"):
        services.signup_create(actor=world.student.user, session=session)
    with pytest.raises(ServiceError, match="参加范围"):
        services.signup_create(actor=world.mixed_a2.user, session=session)
    services.signup_create(actor=world.monitor.user, session=session)
    with pytest.raises(Conflict, match="名额已满"):
        services.signup_create(actor=world.activist.user, session=session)
    # Sign-in needs the sign-up.
    moment = travel(START)
    code = codes.current_code(session.secret, moment)
    with pytest.raises(ServiceError, match="需要报名"):
        services.attendance_sign_in(actor=world.activist.user, code=code)
    assert services.attendance_sign_in(actor=world.student.user, code=code).status == "present"
    with pytest.raises(ServiceError, match="已开始"):
        services.signup_cancel(actor=world.monitor.user, session=session)


def test_session_create_refuses_bad_input_by_field(world, travel):
    travel(START)
    cases = [
        ({"title": " "}, "title"),
        ({"ends_at": START - dt.timedelta(hours=1)}, "ends_at"),
        ({"kind": "picnic"}, "kind"),
        ({"hours": "abc"}, "hours"),
        ({"hours": "99"}, "hours"),
        ({"quota": 0}, "quota"),
        ({"audience_post_kind": "king"}, "audience_post_kind"),
        ({"audience_branch": True}, "branch"),
        ({"audience_classes": [None]}, "audience_classes"),
    ]
    for change, field in cases:
        options = {
            "actor": world.counselor.user,
            "kind": "education",
            "title": "活动",
            "starts_at": START,
            "ends_at": START + dt.timedelta(hours=2),
            **change,
        }
        with pytest.raises(ServiceError) as refused:
            services.session_create(**options)
        assert refused.value.field == field, (change, refused.value.message)
    with pytest.raises(ServiceError, match="无权"):
        services.session_create(
            actor=world.student.user,
            kind="education",
            title="x",
            starts_at=START,
            ends_at=START + dt.timedelta(hours=1),
        )
