"""The semester report's page: a leader generates their college's report (a run whose progress
the page polls), reads the figures with a link to each one's rows and downloads both
documents; other colleges' reports answer 404; the command writes the same documents."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from campusgrid.core.audit import AuditEvent
from campusgrid.dashboards.models import RunState, SemesterReportRun

from .. import pdf_render
from . import report_records

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(world, settings):
    settings.CAMPUSGRID_REPORT_INLINE = True  # the background thread's work, done in the request
    return report_records.build(world)


def test_a_leader_generates_reads_and_downloads_their_college_report(world, records, login):
    client = login(world.leader)
    page = client.get(reverse("dashboards:report")).content.decode()
    assert "生成报告" in page and "化工学院" in page and "机械学院" not in page and "全校" not in page
    response = client.post(
        reverse("dashboards:report"), {"college": world.college_a.pk, "semester": records["semester"].pk}
    )
    run = SemesterReportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "dashboards:report-run", args=[run.pk]
    )
    assert run.state == RunState.DONE and run.requested_by == world.leader.user
    assert AuditEvent.objects.filter(verb="semester_report.request").count() == 1
    page = client.get(response["Location"]).content.decode()
    assert "-60.0%" in page and "未启用" in page and "hx-trigger" not in page
    assert f'href="/grid/posts/?kind=dorm_head&amp;college={world.college_a.pk}"' in page  # a link per figure
    pdf = client.get(reverse("dashboards:report-download", args=[run.pk, "pdf"]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    pdf_render.assert_headings(pdf.content, ["一、网格建设", "九、网格覆盖率"], size=13)
    xlsx = client.get(reverse("dashboards:report-download", args=[run.pk, "xlsx"]))
    book = load_workbook(io.BytesIO(xlsx.content), read_only=True)
    assert book["学期报告"]["A1"].value == "化工学院2025-2026学年第一学期学生网格化管理工作报告"


def test_the_office_may_report_on_the_university(world, records, login):
    client = login(world.office)
    assert "全校（各学院合计）" in client.get(reverse("dashboards:report")).content.decode()
    client.post(reverse("dashboards:report"), {"college": "all", "semester": records["semester"].pk})
    run = SemesterReportRun.objects.get()
    assert run.college is None and run.data["scope_name"] == "全校"


def test_the_leader_of_college_b_cannot_get_college_a_report(world, records, login):
    run = SemesterReportRun.objects.create(college=world.college_a, semester=records["semester"])
    client = login(world.leader_b)
    assert client.get(reverse("dashboards:report-run", args=[run.pk])).status_code == 404
    assert client.get(reverse("dashboards:report-download", args=[run.pk, "pdf"])).status_code == 404
    response = client.post(
        reverse("dashboards:report"), {"college": world.college_a.pk, "semester": records["semester"].pk}
    )
    assert response.status_code == 404 and SemesterReportRun.objects.count() == 1


def test_a_run_left_behind_by_a_restart_stops_polling(world, records, login, travel):
    from campusgrid.core import clock

    run = SemesterReportRun.objects.create(
        college=world.college_a, semester=records["semester"], state=RunState.RUNNING
    )
    travel(clock.now() + dt.timedelta(minutes=11))
    fragment = login(world.leader).get(
        reverse("dashboards:report-run", args=[run.pk]), HTTP_HX_REQUEST="true"
    )
    text = fragment.content.decode()
    assert "报告生成已中断" in text and "hx-trigger" not in text


def test_the_export_generates_in_the_request_within_the_person_reach(world, records, login):
    semester = records["semester"].pk
    url = reverse("dashboards:report-export")
    response = login(world.leader).get(url, {"semester": semester, "format": "xlsx"})
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    assert book["学期报告"]["A1"].value.startswith("化工学院")
    assert (
        login(world.leader_b).get(url, {"college": world.college_a.pk, "semester": semester}).status_code
        == 404
    )
    office = login(world.office)
    assert office.get(url, {"college": world.college_b.pk, "semester": semester}).status_code == 200
    assert office.get(url, {"semester": semester, "format": "doc"}).status_code == 400
    assert not SemesterReportRun.objects.exists()


def test_a_missing_semester_is_named_in_chinese(world, records, login):
    response = login(world.leader).post(
        reverse("dashboards:report"), {"college": world.college_a.pk, "semester": "999"}
    )
    assert response.status_code == 400 and "学期：请选择学期" in response.content.decode()
    assert not SemesterReportRun.objects.exists()


def test_a_running_report_shows_its_progress_and_polls(world, records, login):
    run = SemesterReportRun.objects.create(
        college=world.college_a,
        semester=records["semester"],
        state=RunState.RUNNING,
        done=7,
        total=26,
        stage="问题上报（按类别）",
    )
    client = login(world.leader)
    fragment = client.get(
        reverse("dashboards:report-run", args=[run.pk]), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert fragment.lstrip().startswith('<div id="report-status"') and "<html" not in fragment
    assert 'hx-trigger="every 1s"' in fragment and '<progress class="w-100" max="26" value="7"' in fragment
    assert "正在计算：问题上报（按类别）（7/26）" in fragment
    SemesterReportRun.objects.filter(pk=run.pk).update(state=RunState.FAILED, error="磁盘已满")
    fragment = client.get(
        reverse("dashboards:report-run", args=[run.pk]), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "报告生成失败：磁盘已满" in fragment and "hx-trigger" not in fragment
    assert client.get(reverse("dashboards:report-download", args=[run.pk, "pdf"])).status_code == 404


@pytest.mark.parametrize("count", [2, 12])
def test_the_list_of_runs_takes_the_same_queries_for_few_and_many(
    world, records, login, django_assert_num_queries, count
):
    for _ in range(count):
        SemesterReportRun.objects.create(
            college=world.college_a, semester=records["semester"], requested_by_name="院领导甲"
        )
    client = login(world.leader)
    client.get(reverse("dashboards:report"))  # warm the session and the scope
    with django_assert_num_queries(QUERIES) as captured:
        client.get(reverse("dashboards:report"))
    # The list never reads the stored documents.
    assert not any('"dashboards_semesterreportrun"."pdf"' in q["sql"] for q in captured.captured_queries)


QUERIES = 12  # the layout and its navigation included (constant in rows)


def test_the_command_writes_the_pdf_and_the_xlsx(world, records, tmp_path, capsys):
    out = tmp_path / "report.pdf"
    call_command(
        "semester_report", "--college", "化工学院", "--semester", records["semester"].name, "--out", str(out)
    )
    assert "已生成" in capsys.readouterr().out
    pdf_render.assert_headings(out.read_bytes(), ["五、问题上报与处理"], size=13)
    xlsx = tmp_path / "report.xlsx"
    call_command(
        "semester_report",
        "--college",
        "全校",
        "--semester",
        records["semester"].name,
        "--format",
        "xlsx",
        "--out",
        str(xlsx),
    )
    book = load_workbook(xlsx, read_only=True)
    assert book["学期报告"]["A1"].value.startswith("全校")


@pytest.mark.parametrize(
    "college, semester, message",
    [
        ("不存在学院", report_records.SEMESTER_NAME, "找不到学院“不存在学院”"),
        ("化工学院", "2099学年", "找不到学期“2099学年”"),
    ],
)
def test_the_command_exits_1_in_chinese_for_an_unknown_college_or_semester(
    world, records, tmp_path, capsys, college, semester, message
):
    with pytest.raises(SystemExit) as exit_:
        call_command(
            "semester_report", "--college", college, "--semester", semester, "--out", str(tmp_path / "x.pdf")
        )
    assert exit_.value.code == 1
    assert message in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()
