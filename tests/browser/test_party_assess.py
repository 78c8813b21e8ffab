"""The activist's journey on a phone (issue 13): 积极分子乙 opens their room's applicants, sees
张三 waiting, records an assessment; a bad score is refused in Chinese with nothing lost; the
small-grid party member then sees the activist's sheet. Screenshots go to $CAMPUSGRID_SHOTS."""

import datetime as dt
import os
import pathlib

import pytest

from campusgrid.core import clock
from campusgrid.org.models import Semester
from campusgrid.party.models import Assessment, AssessmentKind
from campusgrid.people.models import PoliticalStatus, Student
from tests.browser.conftest import PHONE, login_as
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
SHOTS = pathlib.Path(os.environ.get("CAMPUSGRID_SHOTS", "/tmp/campusgrid-shots"))


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_an_activist_assesses_an_applicant_of_their_room(world, live_server, new_page):
    today = clock.today()
    Semester.objects.create(
        name="本学期", start=today - dt.timedelta(days=30), end=today + dt.timedelta(days=90)
    )
    Student.objects.filter(student_no="A1002").update(political_status=PoliticalStatus.APPLICANT)

    phone = new_page(**PHONE)
    login_as(phone, live_server, world.activist.student_no, PASSWORD)
    phone.goto(f"{live_server.url}/")
    phone.locator("#panel-party-assess").wait_for()
    assert "待评议 1 / 1 人" in phone.inner_text("#panel-party-assess")
    phone.click("#panel-party-assess a")
    row = phone.locator("#assess-A1002")
    assert "张三" in row.inner_text() and "待评议" in row.inner_text()
    assert phone.locator("#assess-rows a").count() == 1  # only the applicants of room 301
    shot(phone, "party-assess-mine")
    row.click()

    phone.fill("#id_score", "120")
    phone.fill("#id_comment", "积极参加寝室卫生值日，主动关心同学")
    phone.click("#submit-assessment")
    phone.locator("#form-errors").wait_for()
    assert "评分" in phone.inner_text("#form-errors")
    assert phone.input_value("#id_comment") == "积极参加寝室卫生值日，主动关心同学"  # nothing lost
    assert not Assessment.objects.exists()
    shot(phone, "party-assess-form-error")

    phone.fill("#id_score", "88")
    phone.click("#submit-assessment")
    phone.locator(".alert-success").wait_for()
    assert "已保存对张三的评议" in phone.inner_text(".alert-success")
    assert "已评 88 分" in phone.inner_text("#assess-A1002")
    shot(phone, "party-assess-done")
    saved = Assessment.objects.get()
    assert (saved.subject.student_no, saved.kind, saved.score) == (
        "A1002",
        AssessmentKind.ACTIVIST_ON_APPLICANT,
        88,
    )
    assert saved.assessor == world.activist.user

    # The party member of the small grid assesses the activist, their sheet above the form.
    member = new_page(**PHONE)
    login_as(member, live_server, world.small_grid_leader.student_no, PASSWORD)
    member.goto(f"{live_server.url}/party/assess/")
    member.click("#assess-A1003")
    member.locator("#assess-sheet").wait_for()
    assert "寝室检查" in member.inner_text("#assess-sheet")
    assert "本人上报问题" in member.inner_text("#assess-sheet")
    shot(member, "party-assess-member-sheet")
