"""Report pages: scoping of lists, detail, actions and photos; the form; the export."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from campusgrid.reports import services
from campusgrid.reports.models import Report, State

pytestmark = pytest.mark.django_db


def png(name="hazard.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def make(world, who="dorm_head", **kwargs):
    defaults = {
        "category": "安全隐患",
        "severity": "normal",
        "description": "插线板冒烟",
        "students": [world.student],
    }
    defaults.update(kwargs)
    return services.report_create(actor=world[who].user, **defaults)


def test_report_pages_follow_scope(world, login):
    a = make(world)
    b = make(world, "dorm_head_b", students=[world.student_b], description="机械学院的问题")
    expectations = {
        "dorm_head": ({a.pk}, {b.pk}),
        "monitor": ({a.pk}, {b.pk}),
        "counselor": ({a.pk}, {b.pk}),
        "leader": ({a.pk}, {b.pk}),
        "leader_b": ({b.pk}, {a.pk}),
        "office": ({a.pk, b.pk}, set()),
        "student": (set(), {a.pk, b.pk}),
        "student_b": (set(), {a.pk, b.pk}),
    }
    for persona, (seen, unseen) in expectations.items():
        client = login(world[persona])
        listing = client.get(reverse("reports:list"), HTTP_HX_REQUEST="true").content.decode()
        for pk in seen:
            assert f'data-report-id="{pk}"' in listing, persona
            assert client.get(reverse("reports:detail", args=[pk])).status_code == 200
        for pk in unseen:
            assert f'data-report-id="{pk}"' not in listing, persona
            assert client.get(reverse("reports:detail", args=[pk])).status_code == 404
    mine = login(world.dorm_head).get(reverse("reports:mine")).content.decode()
    assert f'data-report-id="{a.pk}"' in mine and f'data-report-id="{b.pk}"' not in mine


def test_todo_lists_only_my_level(world, login):
    report = make(world)  # at level 2: the monitor of 化工2401
    todo = lambda p: login(world[p]).get(reverse("reports:todo")).content.decode()  # noqa: E731
    assert f'data-report-id="{report.pk}"' in todo("monitor")
    assert f'data-report-id="{report.pk}"' not in todo("counselor")
    assert f'data-report-id="{report.pk}"' not in todo("monitor_b")
    services.report_act(actor=world.monitor.user, report=report, action="escalate", note="解决不了")
    assert f'data-report-id="{report.pk}"' in todo("counselor")
    assert f'data-report-id="{report.pk}"' not in todo("monitor")


def test_report_form_offers_only_scope(world, login):
    client = login(world.dorm_head)
    page = client.get(reverse("reports:new")).content.decode()
    assert "A1002" in page and "B1002" not in page and "A2001" not in page
    response = client.post(
        reverse("reports:new"),
        {
            "category": _category("安全隐患"),
            "severity": "normal",
            "student_numbers": "B1002",
            "description": "越界上报",
        },
    )
    assert response.status_code == 200
    assert "找不到学号：B1002" in response.content.decode()
    assert not Report.objects.exists()


def test_report_form_posts_with_photo(world, login):
    client = login(world.dorm_head)
    response = client.post(
        reverse("reports:new"),
        {
            "category": _category("违章电器"),
            "severity": "serious",
            "students": ["A1002"],
            "room": "东1/301",
            "description": "发现电热锅",
            "photos": [png()],
        },
    )
    report = Report.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("reports:detail", args=[report.pk])
    assert report.level == 2 and report.photos.count() == 1


def test_form_refuses_a_non_image(world, login):
    client = login(world.dorm_head)
    fake = SimpleUploadedFile("evil.png", b"<script>alert(1)</script>", content_type="image/png")
    response = client.post(
        reverse("reports:new"),
        {
            "category": _category("安全隐患"),
            "severity": "normal",
            "students": ["A1002"],
            "description": "x问题",
            "photos": [fake],
        },
    )
    assert "不是图片" in response.content.decode()
    assert not Report.objects.exists()


def test_photos_are_served_only_in_scope(world, login):
    report = make(world, photos=[png()])
    photo = report.photos.get()
    url = reverse("reports:photo", args=[report.pk, photo.pk])
    assert login(world.monitor).get(url).status_code == 200
    assert login(world.monitor_b).get(url).status_code == 404
    assert login(world.student).get(url).status_code == 404


def test_actions_outside_scope_are_404(world, login):
    report = make(world)
    response = login(world.monitor_b).post(reverse("reports:act", args=[report.pk, "accept"]))
    assert response.status_code == 404
    report.refresh_from_db()
    assert report.state == State.REPORTED
    # In scope but not allowed: a Chinese message, nothing changes.
    response = login(world.student).post(reverse("reports:act", args=[report.pk, "accept"]), follow=True)
    assert response.status_code == 404
    response = login(world.dorm_head).post(reverse("reports:act", args=[report.pk, "accept"]), follow=True)
    assert "不能对该上报执行" in response.content.decode()
    report.refresh_from_db()
    assert report.state == State.REPORTED
    login(world.monitor).post(reverse("reports:act", args=[report.pk, "accept"]))
    report.refresh_from_db()
    assert report.state == State.ACCEPTED


def test_detail_shows_timeline_and_allowed_buttons(world, login):
    report = make(world)
    page = login(world.monitor).get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert 'data-action="accept"' in page and 'data-action="escalate"' in page
    assert 'data-action="confirm"' not in page
    assert "上报至二级" in page
    page = login(world.dorm_head).get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert 'data-action="accept"' not in page


def test_export_is_a_scoped_ledger(world, login):
    make(world)
    make(world, "dorm_head_b", students=[world.student_b], description="机械学院的问题")
    response = login(world.leader).get(reverse("reports:list") + "?format=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "异常情况处理台账"
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    assert len(rows) == 1 and "张三" in rows[0][4]


def test_list_filters(world, login):
    make(world, severity="urgent")
    make(world, category="违章电器")
    client = login(world.counselor)
    text = client.get(
        reverse("reports:list"), {"severity": "urgent"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert text.count("data-report-id") == 1
    text = client.get(
        reverse("reports:list"), {"category": _category("违章电器")}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert text.count("data-report-id") == 1


@pytest.mark.parametrize("url_name", ["reports:list", "reports:todo", "reports:mine"])
def test_report_lists_have_a_query_budget(world, login, url_name):
    client = login(world.counselor)
    from django.db import connection

    def count(n):
        for i in range(n):
            services.report_create(
                actor=world.counselor.user,
                category="安全隐患",
                severity="normal",
                description=f"问题{i}",
                students=[world.student, world.mixed_a2],
                to_level=4,
            )
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse(url_name)).status_code == 200
        return len(ctx.captured_queries)

    # Past one page (a short first page is its own count, core.paging.KeptPaginator): the page's
    # rows and a count, whether the list holds 31 rows or 60.
    few = count(31)
    many = count(29)
    assert few == many


def _category(name):
    from campusgrid.reports.models import Category

    return Category.objects.get(name=name).pk
