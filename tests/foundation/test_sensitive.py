"""One declaration of the sensitive fields and one mask text (people/sensitive.py);
log_access writes one row per student however often a response names them."""

import datetime as dt

import pytest
from django.urls import reverse

from campusgrid.people import sensitive
from campusgrid.people.models import AccessLog

pytestmark = pytest.mark.django_db


def test_log_access_writes_each_student_once(world):
    written = sensitive.log_access(
        actor=world.counselor.user, item="report", students=[world.student, world.student, world.monitor]
    )
    assert written == 2
    assert sorted(AccessLog.objects.values_list("student_no", flat=True)) == ["A1002", "A1004"]


def test_a_hidden_leave_reason_reads_the_same_on_the_page_in_the_export_and_in_the_api(world, login, api):
    from campusgrid.core import clock
    from campusgrid.ledgers import services

    start = clock.now() + dt.timedelta(days=2)
    leave = services.leave_request(
        actor=world.student.user,
        student=world.student,
        start=start,
        end=start + dt.timedelta(days=1),
        reason="回家",
    )
    assert sensitive.shown(world.dorm_head.user, leave, "reason") == sensitive.HIDDEN
    assert sensitive.shown(world.counselor.user, leave, "reason") == "回家"
    page = login(world.dorm_head).get(reverse("ledgers:leave-detail", args=[leave.pk])).content.decode()
    assert sensitive.HIDDEN in page and "回家" not in page
    assert api(world.dorm_head).get(f"/api/v1/leaves/{leave.pk}/").json()["reason"] == sensitive.HIDDEN


def test_every_declared_field_exists():
    from django.apps import apps

    for (label, field), how in sensitive.SENSITIVE_FIELDS.items():
        apps.get_model(label)._meta.get_field(field)
        assert how in (sensitive.ID_NUMBER, sensitive.PHONE, sensitive.WHOLLY)
