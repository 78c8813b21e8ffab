"""PIPL retention: the dry run lists, the run erases exactly what it should, once; the
access log is append-only on PostgreSQL and purged only after its own period."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from campusgrid.core.actors import SYSTEM
from campusgrid.core.models import AuditEvent
from campusgrid.dossiers import services as dossier_services
from campusgrid.dossiers.models import KeyStudent, TalkRecord
from campusgrid.grid.services import student_status_change
from campusgrid.people.models import AccessLog, Residence, Student, StudentStatus
from campusgrid.people.retention import purge_access_log, retention_run
from campusgrid.reports import services as report_services
from campusgrid.reports.models import Report

pytestmark = pytest.mark.django_db

LEFT = dt.date(2024, 6, 30)


def at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(4, 0)))


@pytest.fixture
def graduate(world):
    dossier_services.key_student_mark(
        actor=world.counselor.user, student=world.student, reasons=["心理"], risk_level="高危"
    )
    dossier_services.talk_record_create(
        actor=world.counselor.user,
        student=world.student,
        talked_on=dt.date(2024, 5, 20),
        place="辅导员办公室",
        summary="毕业前谈话",
    )
    sensitive = report_services.report_create(
        actor=world.monitor.user,
        category="心理健康",
        severity="normal",
        description="情绪低落，失眠",
        students=[world.student],
    )
    ordinary = report_services.report_create(
        actor=world.monitor.user,
        category="安全隐患",
        severity="normal",
        description="插线板老化",
        students=[world.student],
    )
    # the student has lived in their bed since they came (the world is built today)
    Residence.objects.filter(student=world.student).update(since=dt.date(2020, 9, 1))
    student_status_change(
        actor=world.counselor.user, student=world.student, status=StudentStatus.GRADUATED, on=LEFT
    )
    student_status_change(
        actor=world.counselor_b.user, student=world.student_b, status=StudentStatus.SUSPENDED, on=LEFT
    )
    return world, sensitive, ordinary


def test_leaving_records_the_date(graduate):
    world, *_ = graduate
    assert Student.objects.get(pk=world.student.pk).left_on == LEFT


def test_dry_run_lists_and_writes_nothing(graduate, capsys):
    world, sensitive, _ = graduate
    assert retention_run(now=at(dt.date(2026, 6, 29)), dry_run=True, actor=SYSTEM) == {"students": 0}
    result = retention_run(now=at(dt.date(2026, 7, 1)), dry_run=True, actor=SYSTEM)
    assert result == {
        "students": 1,
        "身份证号与联系方式": 1,
        "重点学生档案、谈心谈话、心理筛查": 2,
        "敏感类别上报": 1,
        "党建评议": 0,
        "住宿记录": 1,
    }
    student = Student.objects.get(pk=world.student.pk)
    assert student.id_number and student.phone and student.retention_erased_at is None
    assert KeyStudent.objects.filter(student=student).exists()
    assert not AuditEvent.objects.filter(verb="retention.erase").exists()


def test_run_erases_once_and_audits_the_counts(graduate, travel):
    world, sensitive, ordinary = graduate
    result = retention_run(now=at(dt.date(2026, 7, 1)), actor=SYSTEM)
    assert result["students"] == 1
    student = Student.objects.get(pk=world.student.pk)
    assert (student.id_number, student.id_number_digest, student.phone, student.parent_phone) == (
        "",
        "",
        "",
        "",
    )
    assert student.name == "张三" and student.student_no == "A1002"  # the ledgers keep their rows
    assert not KeyStudent.objects.filter(student=student).exists()
    assert not TalkRecord.objects.filter(student=student).exists()
    assert not Residence.objects.filter(student=student).exists()  # where they lived, with when
    sensitive.refresh_from_db()
    assert "情绪低落" not in sensitive.description and not sensitive.students.exists()
    assert "情绪低落" not in " ".join(sensitive.events.values_list("note", flat=True))
    ordinary.refresh_from_db()
    assert ordinary.description == "插线板老化" and ordinary.students.filter(pk=student.pk).exists()
    suspended = Student.objects.get(pk=world.student_b.pk)  # 休学 may come back: kept
    assert suspended.id_number and suspended.retention_erased_at is None
    event = AuditEvent.objects.get(verb="retention.erase")
    assert event.data["counts"]["students"] == 1
    # idempotent
    assert retention_run(now=at(dt.date(2026, 7, 2)), actor=SYSTEM) == {"students": 0}
    assert Report.objects.filter(pk=sensitive.pk).exists()


def test_retention_command_dry_run(graduate, travel, capsys):
    travel(at(dt.date(2026, 7, 1)))
    call_command("retention", "--dry-run")
    out = capsys.readouterr().out
    assert "A1002" in out and "将删除：1 名学生" in out
    assert Student.objects.get(student_no="A1002").id_number


def test_access_log_purge_keeps_its_period(world, settings):
    settings.CAMPUSGRID_ACCESS_LOG_DAYS = 30  # never below 180
    now = timezone.now()
    recent = AccessLog.objects.create(actor=world.counselor.user, action="view", item="dossier", at=now)
    old = AccessLog.objects.create(
        actor=world.counselor.user, action="view", item="dossier", at=now - dt.timedelta(days=200)
    )
    assert purge_access_log(now) == 1
    assert list(AccessLog.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not AccessLog.objects.filter(pk=old.pk).exists()


@pytest.mark.postgres
def test_access_log_is_append_only_in_postgresql(world):
    row = AccessLog.objects.create(actor=world.counselor.user, action="view", item="dossier")
    for sql in (
        "UPDATE core_accesslog SET item = 'x' WHERE id = %s",
        "DELETE FROM core_accesslog WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [row.pk])
    assert AccessLog.objects.get(pk=row.pk).item == "dossier"
