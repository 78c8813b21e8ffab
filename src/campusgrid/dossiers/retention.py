"""What dossiers erase when a student's retention period ends (people/retention.py):
the key-student file with its history, talk records, screening results and the
early-warning proposals about them. Deleted, not hidden."""

from .models import KeyStudent, ScreeningResult, TalkRecord, WarningProposal


def erase_dossiers(students, dry_run: bool) -> int:
    parts = [
        WarningProposal.objects.filter(student__in=students),
        TalkRecord.objects.filter(student__in=students),
        ScreeningResult.objects.filter(student__in=students),
        KeyStudent.objects.filter(student__in=students),  # its history cascades
    ]
    if dry_run:
        return sum(part.count() for part in parts)
    return sum(part.delete()[1].get(part.model._meta.label, 0) for part in parts)
