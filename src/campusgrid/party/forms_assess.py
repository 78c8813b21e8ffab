"""Forms of the assessment, award and meeting pages (rendered by Django's form templates)."""

from __future__ import annotations

from django import forms

from .models import AwardKind

INPUT = {"class": "form-control"}


class AssessmentForm(forms.Form):
    """评议: a score from 0 to 100 and a comment (phone)."""

    score = forms.IntegerField(
        label="评分（0–100）",
        min_value=0,
        max_value=100,
        widget=forms.NumberInput(attrs={**INPUT, "inputmode": "numeric", "min": 0, "max": 100}),
    )
    comment = forms.CharField(
        label="评语",
        min_length=2,
        max_length=500,
        widget=forms.Textarea(attrs={**INPUT, "rows": 4, "placeholder": "寝室表现、带头作用、需改进之处"}),
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ProposeForm(forms.Form):
    kind = forms.ChoiceField(label="奖项", choices=AwardKind.choices, widget=forms.HiddenInput)
    student_no = forms.CharField(label="学号", max_length=32, widget=forms.HiddenInput)
    note = forms.CharField(
        label="推荐意见", required=False, max_length=255, widget=forms.TextInput(attrs=INPUT)
    )


class DecideForm(forms.Form):
    decision = forms.ChoiceField(label="支委会决定", choices=[("approve", "通过"), ("reject", "不通过")])
    decided_on = forms.DateField(
        label="支委会日期", widget=forms.DateInput(format="%Y-%m-%d", attrs={**INPUT, "type": "date"})
    )
    note = forms.CharField(
        label="支委会意见", required=False, max_length=255, widget=forms.TextInput(attrs=INPUT)
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class QuotaForm(forms.Form):
    kind = forms.ChoiceField(
        label="奖项", choices=AwardKind.choices, widget=forms.Select(attrs={"class": "form-select"})
    )
    quota = forms.IntegerField(label="名额", min_value=0, max_value=50, widget=forms.NumberInput(attrs=INPUT))


class MeetingForm(forms.Form):
    """公寓党建工作例会: date, place, host, attendees, minutes."""

    date = forms.DateField(
        label="会议日期", widget=forms.DateInput(format="%Y-%m-%d", attrs={**INPUT, "type": "date"})
    )
    place = forms.CharField(label="地点", required=False, max_length=100, widget=forms.TextInput(attrs=INPUT))
    host_name = forms.CharField(
        label="主持人", required=False, max_length=64, widget=forms.TextInput(attrs=INPUT)
    )
    attendees = forms.ModelMultipleChoiceField(
        label="出席人员", queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    other_attendees = forms.CharField(
        label="其他出席人员（老师等）", required=False, max_length=255, widget=forms.TextInput(attrs=INPUT)
    )
    minutes = forms.CharField(
        label="会议纪要", max_length=5000, widget=forms.Textarea(attrs={**INPUT, "rows": 6})
    )

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = people
        self.fields["attendees"].label_from_instance = lambda s: s.name


class DecisionForm(forms.Form):
    text = forms.CharField(label="决定事项", max_length=255, widget=forms.TextInput(attrs=INPUT))
    responsible = forms.ModelChoiceField(
        label="责任人", queryset=None, required=False, widget=forms.Select(attrs={"class": "form-select"})
    )
    responsible_name = forms.CharField(
        label="或责任人姓名", required=False, max_length=64, widget=forms.TextInput(attrs=INPUT)
    )
    due_on = forms.DateField(
        label="完成期限", widget=forms.DateInput(format="%Y-%m-%d", attrs={**INPUT, "type": "date"})
    )

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = people
        self.fields["responsible"].label_from_instance = lambda s: s.name


class OpinionForm(forms.Form):
    text = forms.CharField(
        label="舆情内容", max_length=1000, widget=forms.Textarea(attrs={**INPUT, "rows": 2})
    )
    room = forms.ModelChoiceField(
        label="涉及寝室", queryset=None, required=False, widget=forms.Select(attrs={"class": "form-select"})
    )

    def __init__(self, *args, rooms=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = rooms
        self.fields["room"].label_from_instance = lambda r: r.label


DecisionFormSet = forms.formset_factory(DecisionForm, extra=2, max_num=30, validate_max=True)
OpinionFormSet = forms.formset_factory(OpinionForm, extra=2, max_num=30, validate_max=True)
