"""`get_FOO_display()` of the versioned models reads each field's labels once
(core.models.ChoiceLabels) and answers exactly what Django's own does, for every choice of every
choices field and for a value that is not a choice."""

from django.apps import apps
from django.db.models import Model

from campusgrid.core.models import ChoiceLabels


def _choice_fields():
    for model in apps.get_models():
        if not issubclass(model, ChoiceLabels):
            continue
        for field in model._meta.concrete_fields:
            if field.choices:
                yield model, field


def test_every_versioned_model_draws_its_labels_as_django_does():
    checked = 0
    for model, field in _choice_fields():
        for value, _label in field.flatchoices:
            row = model(**{field.attname: value})
            ours = getattr(row, f"get_{field.name}_display")()
            assert ours == Model._get_FIELD_display(row, field), (model, field.name, value)
            checked += 1
        stray = model(**{field.attname: "not-a-choice"})
        assert getattr(stray, f"get_{field.name}_display")() == "not-a-choice"
    assert checked > 50  # the student's status and political status, reports' states …


def test_the_roster_rows_draw_their_labels_through_it():
    from campusgrid.people.models import PoliticalStatus, Student, StudentStatus

    student = Student(status=StudentStatus.ENROLLED, political_status=PoliticalStatus.values[0])
    assert student.get_status_display() == StudentStatus.ENROLLED.label
    field = Student._meta.get_field("status")
    assert "_campusgrid_labels" in field.__dict__  # read once, kept on the field
