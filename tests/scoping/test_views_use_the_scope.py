"""Views, API modules, panels (panels.py), forms, template tags and PDF code
reach scoped data only through `visible_to` (or a selector): a grep over their source
for `<ScopedModel>.objects` that is not `visible_to`. The few exceptions are listed
with the reason they are safe."""

import pathlib
import re

from django.apps import apps

SRC = pathlib.Path(__file__).resolve().parents[2] / "src" / "campusgrid"

ALLOWED = {
    # Target places of a move chosen by a counselor; the service checks the student is theirs
    # and, for classes, that the new class is theirs too.
    ("grid/views.py", "Room.objects.by_label"),
    ("grid/views.py", "Bed.objects.get_or_create"),
    ("grid/views.py", "SchoolClass.objects.filter(name="),
    ("grid/views.py", "Student.objects.filter(bed__room=room)"),  # free beds of that room, no data shown
    # get_visible_or_404 applies visible_to to the queryset it is given.
    ("grid/views.py", "SchoolClass.objects.all(), user"),
    ("grid/views.py", "College.objects.all(), user"),
    # Branches and small grids by pk within the colleges the user sees (College.visible_to).
    (
        "grid/views.py",
        "SmallGrid.objects.filter(pk=pk, branch__college__in=College.objects.visible_to(user))",
    ),
    ("grid/views.py", "PartyBranch.objects.filter(pk=pk, college__in=College.objects.visible_to(user))"),
    ("grid/api.py", "SmallGrid.objects.filter(branch__college__in=College.objects.visible_to(user))"),
    # Sections of a student, class or room page: the object itself was fetched through
    # visible_to by the page; these are its own posts (the chain the page shows).
    ("grid/panels.py", "Post.objects.filter(student=student)"),
    ("grid/panels.py", "Post.objects.current().filter(school_class=school_class)"),
    ("grid/panels.py", "Post.objects.current().filter(room=room)"),
    # Aggregates over the reports the user sees (`visible` is Report.objects.visible_to).
    ("reports/panels.py", 'Report.objects.filter(pk__in=visible.values("pk"))'),
    # The 学院 select: the colleges of the person's scope before a ?college= focus narrowed it
    # (all for the university office, scope.college_ids otherwise) — names only.
    ("grid/templatetags/grid_tags.py", 'College.objects.order_by("name").values_list("id", "name")'),
    ("grid/templatetags/grid_tags.py", "College.objects.filter(pk__in=scope.college_ids)"),
    # FilterSet methods: subqueries that narrow the queryset they are given, which the
    # selector already scoped (Report.objects.visible_to); they select nothing on their own.
    ("reports/filters.py", 'Report.objects.filter(classes__name=value).values("pk")'),
    ("reports/filters.py", 'Report.objects.filter(students__bed__room__building__name=value).values("pk")'),
    ("reports/filters.py", 'Report.objects.filter(students__student_no=value).values("pk")'),
    # django.contrib.sessions' Session (logins), not service.Session, whose name it shares.
    ("accounts/ui.py", "Session.objects.filter(expire_date__gt=now)"),
}


def _scoped_model_names() -> set[str]:
    return {m.__name__ for m in apps.get_models() if hasattr(m, "scope_q")}


SCREEN_MODULES = {"views.py", "api.py", "panels.py", "forms.py", "filters.py", "pdf.py"}
SCREEN_PACKAGES = {"views", "api", "templatetags", "panels", "forms"}


def _reaches_the_screen(path: pathlib.Path) -> bool:
    """Modules whose reads end on a page, in a response, a panel, a form's choices or a PDF."""
    return path.name in SCREEN_MODULES or path.parent.name in SCREEN_PACKAGES


def test_the_grep_covers_panels_forms_template_tags_and_pdf():
    covered = {str(p.relative_to(SRC)) for p in SRC.rglob("*.py") if _reaches_the_screen(p)}
    for expected in (
        "grid/panels.py",
        "ledgers/forms.py",
        "dossiers/pdf.py",
        "reports/templatetags/reports_tags.py",
    ):
        assert expected in covered


def test_views_and_api_reach_scoped_models_through_visible_to():
    names = "|".join(sorted(_scoped_model_names()))
    pattern = re.compile(rf"\b({names})\.objects\.(?!visible_to\b|none\b)\S*")
    files = [p for p in SRC.rglob("*.py") if _reaches_the_screen(p)]
    offenders = []
    for path in files:
        relative = str(path.relative_to(SRC))
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if not pattern.search(line):
                continue
            text = line.strip()
            if any(relative == f and snippet in text for f, snippet in ALLOWED):
                continue
            offenders.append(f"{relative}:{number}: {text}")
    assert not offenders, "scoped data reached without visible_to:\n" + "\n".join(offenders)
