"""The demo college's pipeline: seed 004's proportions, files at every stage consistent with
the students' political status, and the warnings the demo promises."""

import io

import pytest
from django.core.management import call_command

from campusgrid.party.models import DevelopmentFile, Stage
from campusgrid.party.selectors import pipeline as sel
from campusgrid.people.models import Staff, Student

pytestmark = pytest.mark.django_db

STATUS = {
    "applicant": "applicant",
    "activist": "activist",
    "candidate": "candidate",
    "probationary": "probationary",
    "full": "member",
}


def test_demo_pipeline(db):
    call_command("demo", "--students", "400", "--seed", "3", stdout=io.StringIO())
    files = DevelopmentFile.objects.select_related("student")
    stages = {stage: files.filter(stage=stage).count() for stage in Stage.values}
    assert all(stages.values()), stages
    assert stages["activist"] > stages["full"]
    for file in files:
        assert file.student.political_status == STATUS[file.stage], file
    first = (
        Student.objects.order_by("-school_class__grade__year")
        .values_list("school_class__grade__year", flat=True)
        .first()
    )
    freshmen = Student.objects.filter(school_class__grade__year=first)
    applied = freshmen.filter(party_file__isnull=False).count()
    assert 0.6 < applied / freshmen.count() < 0.95
    views = sel.file_views(sel.open_files(sel._base()))
    codes = {w.code for v in views for w in v.warnings}
    assert {"talk_overdue", "candidate_early", "graduating", "review_overdue"} <= codes, codes
    # Most activists have their 半年考察 on time; a handful are overdue, so a warning means
    # something: the board's warnings are a small share of its files.
    activists = [v for v in views if v.file.stage == "activist"]
    overdue = [v for v in activists if any(w.code == "review_overdue" for w in v.warnings)]
    warned = [v for v in views if v.warnings]
    summary = f"{len(overdue)}/{len(activists)} activists overdue, {len(warned)}/{len(views)} files warned"
    assert 0.04 <= len(overdue) / len(activists) <= 0.10, summary
    assert len(warned) / len(views) <= 0.12, summary
    assert Staff.objects.filter(roles__contains="organiser").exists()
