"""Forms of the pairing, 舆情 and visit pages: they parse input; the rules are in the services."""

from django import forms

from campusgrid.core.forms import BootstrapForm

from .models import ContactWay, ItemKind, ItemSeverity, Outcome, PeriodKind, Source, VisitKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class MarkDifficultyForm(BootstrapForm):
    student_no = forms.CharField(label="学号", max_length=32)
    note = forms.CharField(label="说明", required=False, max_length=255)


class PairingForm(BootstrapForm):
    student_no = forms.CharField(label="帮扶学生学号", max_length=32)
    mentor = forms.CharField(label="结对党员学号或工号", max_length=32)
    goal = forms.CharField(label="帮扶目标", max_length=255)


class ContactForm(BootstrapForm):
    contacted_on = forms.DateField(label="联系日期", widget=DATE)
    way = forms.ChoiceField(label="方式", choices=ContactWay.choices)
    content = forms.CharField(label="沟通内容", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    next_step = forms.CharField(label="下一步", required=False, max_length=255)


class OutcomeForm(BootstrapForm):
    outcome = forms.ChoiceField(label="去向", choices=Outcome.choices)
    outcome_on = forms.DateField(label="去向日期", required=False, widget=DATE)
    note = forms.CharField(label="说明（单位、学校等）", required=False, max_length=255)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class JobPostForm(BootstrapForm):
    company = forms.CharField(label="单位", max_length=100)
    position = forms.CharField(label="岗位", max_length=100)
    majors = forms.ModelMultipleChoiceField(
        label="适合专业", queryset=None, widget=forms.CheckboxSelectMultiple
    )
    deadline = forms.DateField(label="截止日期", widget=DATE)
    link = forms.URLField(label="链接", required=False, max_length=500, assume_scheme="https")
    note = forms.CharField(label="说明", required=False, max_length=255)

    def __init__(self, *args, majors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["majors"].queryset = majors


class OpinionItemForm(BootstrapForm):
    kind = forms.ChoiceField(label="类别", choices=ItemKind.choices)
    source = forms.ChoiceField(
        label="来源", choices=Source.choices, initial=Source.OFFLINE, widget=forms.RadioSelect
    )
    platform = forms.CharField(label="平台（线上填写）", required=False, max_length=32)
    summary = forms.CharField(label="内容摘要", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    students = forms.CharField(label="涉及学生学号（选填，多个用逗号分隔）", required=False, max_length=500)
    severity = forms.ChoiceField(label="严重程度", choices=ItemSeverity.choices, initial=ItemSeverity.NORMAL)

    def numbers(self) -> list[str]:
        raw = self.cleaned_data.get("students") or ""
        return [
            n for n in raw.replace("，", ",").replace("、", ",").replace(" ", ",").split(",") if n.strip()
        ]


class SpecialPeriodForm(BootstrapForm):
    college = forms.ModelChoiceField(label="学院", queryset=None, empty_label=None)
    kind = forms.ChoiceField(label="类型", choices=PeriodKind.choices)
    name = forms.CharField(label="名称", max_length=64)
    start = forms.DateField(label="开始日期", widget=DATE)
    end = forms.DateField(label="结束日期", widget=DATE)
    due_time = forms.TimeField(label="每日报送截止", widget=TIME, initial="20:00")

    def __init__(self, *args, colleges, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["college"].queryset = colleges


class VisitForm(BootstrapForm):
    kind = forms.ChoiceField(
        label="类型", choices=VisitKind.choices, widget=forms.RadioSelect, initial=VisitKind.DORM
    )
    visited_on = forms.DateField(label="走访日期", widget=DATE)
    rooms = forms.ModelMultipleChoiceField(
        label="寝室（深入宿舍）", queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    school_class = forms.ModelChoiceField(label="班级（深入课堂）", queryset=None, required=False)
    companions = forms.CharField(label="同行人员", required=False, max_length=255)
    seen = forms.CharField(label="走访情况", widget=forms.Textarea(attrs={"rows": 4}), max_length=4000)
    follow_ups = forms.CharField(
        label="后续事项（每行一条，选填）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
    )

    def __init__(self, *args, rooms, classes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rooms"].queryset = rooms
        self.fields["rooms"].label_from_instance = lambda r: r.label
        self.fields["school_class"].queryset = classes


class FollowUpForm(BootstrapForm):
    student_no = forms.CharField(label="涉及学生学号", required=False, max_length=32)
    summary = forms.CharField(label="谈话内容摘要", required=False, max_length=2000)
