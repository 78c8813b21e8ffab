"""The semester report's form: the college (or the university, for the office) and the semester."""

from __future__ import annotations

from django import forms

UNIVERSITY = "all"


class SemesterReportForm(forms.Form):
    college = forms.ChoiceField(
        label="学院",
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={"invalid_choice": "请选择您负责的学院"},
    )
    semester = forms.ChoiceField(
        label="学期",
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={"invalid_choice": "请选择学期"},
    )

    def __init__(self, *args, colleges, semesters, university: bool, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(str(c.pk), c.name) for c in colleges]
        if university:
            choices = [(UNIVERSITY, "全校（各学院合计）"), *choices]
        self.fields["college"].choices = choices
        self.fields["semester"].choices = [(str(s.pk), s.name) for s in semesters]
        self._colleges = {str(c.pk): c for c in colleges}
        self._semesters = {str(s.pk): s for s in semesters}

    def offers(self, value: str) -> bool:
        """Whether the college (or the university) is one of the person's choices."""
        return value in dict(self.fields["college"].choices) or not value

    def chosen(self):
        """(college or None for the university, semester)."""
        data = self.cleaned_data
        return self._colleges.get(data["college"]), self._semesters[data["semester"]]
