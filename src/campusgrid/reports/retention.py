"""What reports erase when a student's retention period ends (people/retention.py):
reports of sensitive categories (心理健康, 违纪, 生活困难) that concern them lose the
link to the student, their description, timeline notes and photos. The report stays
as a dated, categorised row so the ledger's counts do not change."""

from .models import Report, ReportEvent, ReportPhoto

ERASED = "（已按个人信息保留期限删除）"


def erase_sensitive_reports(students, dry_run: bool) -> int:
    reports = Report.objects.filter(category__sensitive=True, students__in=students).distinct()
    ids = list(reports.values_list("pk", flat=True))
    if dry_run or not ids:
        return len(ids)
    for photo in ReportPhoto.objects.filter(report_id__in=ids):
        photo.file.delete(save=False)
        photo.delete()
    ReportEvent.objects.filter(report_id__in=ids).exclude(note="").update(note=ERASED)
    Report.objects.filter(pk__in=ids).update(description=ERASED)
    Report.students.through.objects.filter(report_id__in=ids, student__in=students).delete()
    return len(ids)
