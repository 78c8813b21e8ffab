"""Views and API modules reach scoped data only through `visible_to` (or a selector):
a grep over their source for `<ScopedModel>.objects` that is not `visible_to`.
The few exceptions are listed with the reason they are safe."""

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
    # The person a report is transferred to: the service refuses anyone not at the report's level.
    ("reports/views.py", "Staff.objects.filter(staff_no=number)"),
    ("reports/views.py", "Student.objects.filter(student_no=number)"),
}


def _scoped_model_names() -> set[str]:
    return {m.__name__ for m in apps.get_models() if hasattr(m, "scope_q")}


def test_views_and_api_reach_scoped_models_through_visible_to():
    names = "|".join(sorted(_scoped_model_names()))
    pattern = re.compile(rf"\b({names})\.objects\.(?!visible_to\b|none\b)\S*")
    files = [p for p in SRC.rglob("*.py") if p.name in ("views.py", "api.py") or p.parent.name == "views"]
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
