"""A student downloads their own data (PIPL 第四十五条); nobody else can."""

import json

import pytest
from django.urls import reverse

from campusgrid.people.models import AccessLog
from campusgrid.reports import services as report_services

pytestmark = pytest.mark.django_db


def test_student_downloads_their_own_data(world, login):
    report_services.report_create(
        actor=world.dorm_head.user,
        category="安全隐患",
        severity="normal",
        description="插线板老化",
        students=[world.dorm_head],
    )
    client = login(world.student)
    page = client.get(reverse("people:student", args=["A1002"])).content.decode()
    assert reverse("people:my-data") in page
    response = client.get(reverse("people:my-data"))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["个人信息"]["学号"] == "A1002"
    assert data["个人信息"]["身份证号"] == "110101200501011239"  # their own, unmasked
    assert {"网格职务", "请假", "节假日离校返校", "查寝记录", "我上报的问题"} <= set(data)
    assert AccessLog.objects.filter(student_no="A1002", item="self_export", action="export").count() == 1
    # the dorm head's file holds their own report, and nobody else's data
    mine = json.loads(login(world.dorm_head).get(reverse("people:my-data")).content)
    assert [r["问题描述"] for r in mine["我上报的问题"]] == ["插线板老化"]
    assert "110101200501011239" not in json.dumps(mine, ensure_ascii=False)
    assert mine["网格职务"][0]["职务"] == "舍长"


def test_staff_have_no_student_data_to_download(world, login):
    assert login(world.counselor).get(reverse("people:my-data")).status_code == 404


def test_other_students_do_not_see_the_download_link(world, login):
    page = login(world.counselor).get(reverse("people:student", args=["A1002"])).content.decode()
    assert reverse("people:my-data") not in page
