from django import forms

from campusgrid.core.forms import bootstrap
from campusgrid.core.imports import split_multi

from .models import LEVEL_NAMES, Category, Severity


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*", "capture": "environment"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class ReportForm(forms.Form):
    """The phone form: category, severity, who/where, what, photos (under a minute)."""

    category = forms.ModelChoiceField(
        label="类别",
        queryset=Category.objects.filter(active=True),
        empty_label=None,
        widget=forms.Select(attrs={"class": "form-select form-select-lg"}),
    )
    severity = forms.ChoiceField(
        label="严重程度", choices=Severity.choices, initial=Severity.NORMAL, widget=forms.RadioSelect
    )
    students = forms.MultipleChoiceField(
        label="涉及学生", required=False, widget=forms.CheckboxSelectMultiple
    )
    student_numbers = forms.CharField(label="涉及学生学号（多个用逗号分隔）", required=False)
    room = forms.ChoiceField(label="涉及寝室", required=False)
    description = forms.CharField(label="问题描述", widget=forms.Textarea(attrs={"rows": 3}), min_length=2)
    to_level = forms.ChoiceField(label="上报至", required=False)
    photos = MultipleFileField(label="照片（可多张）", required=False)

    def __init__(self, *args, students=(), rooms=(), reporter_level=0, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["students"].choices = [(s.student_no, f"{s.name}（{s.student_no}）") for s in students]
        self.fields["room"].choices = [("", "—")] + [(r.label, r.label) for r in rooms]
        higher = range(max(reporter_level + 1, 1), 6)
        self.fields["to_level"].choices = [("", "下一级（默认）")] + [
            (str(level), f"直接上报{LEVEL_NAMES[level]}") for level in higher
        ][1:]

    def student_numbers_list(self) -> list[str]:
        return list(self.cleaned_data.get("students") or []) + split_multi(
            self.cleaned_data.get("student_numbers", "")
        )


class ActionForm(forms.Form):
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    to_level = forms.IntegerField(required=False, min_value=1, max_value=5)
    assignee = forms.CharField(required=False, label="转办给（学号或工号）")
    also_feedback = forms.BooleanField(required=False, label="同时作为反馈结果发送")
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class LevelPickerForm(forms.Form):
    """The level select of a workflow action that needs one (上报至): the levels above the
    report's, the one typed before a refused attempt selected."""

    def __init__(self, *, name: str, label: str, choices, selected=None, invalid: bool = False):
        super().__init__(initial={name: selected}, auto_id=False)
        self.fields[name] = forms.ChoiceField(label=label, choices=choices, required=False)
        bootstrap(self, small=True)
        widget = self.fields[name].widget
        widget.attrs["class"] += " mb-1" + (" is-invalid" if invalid else "")
