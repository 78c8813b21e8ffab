"""Forms of the ledger pages: they parse input; the rules are in the services."""

from django import forms

from .models import FindingRecheck, HolidayPlan, InspectionItem, LeaveKind, NightStatus, RoundKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


class NightFilterForm(forms.Form):
    status = forms.ChoiceField(
        label="情况",
        required=False,
        choices=[("", "异常（未归、晚归、请假）"), ("all", "全部")] + NightStatus.choices,
    )
    date_from = forms.DateField(label="起始日期", required=False, widget=DATE)
    date_to = forms.DateField(label="截止日期", required=False, widget=DATE)
    school_class = forms.CharField(label="班级", required=False)
    building = forms.CharField(label="楼栋", required=False)
    student_no = forms.CharField(label="学号", required=False)


class LeaveForm(forms.Form):
    student_no = forms.CharField(label="学生学号（代为登记时填写）", required=False)
    kind = forms.ChoiceField(label="类型", choices=LeaveKind.choices, initial=LeaveKind.PERSONAL)
    start = forms.DateTimeField(label="离校时间", widget=DATETIME, input_formats=DATETIME_FORMATS)
    end = forms.DateTimeField(label="返校时间", widget=DATETIME, input_formats=DATETIME_FORMATS)
    reason = forms.CharField(label="事由", widget=forms.Textarea(attrs={"rows": 2}))
    destination = forms.CharField(label="去向", required=False, max_length=100)
    contact = forms.CharField(label="联系电话", required=False, max_length=20)


class DecisionForm(forms.Form):
    comment = forms.CharField(label="审批意见", required=False, max_length=255)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class HolidayOpenForm(forms.Form):
    holiday = forms.ModelChoiceField(label="节假日", queryset=None, empty_label=None)
    classes = forms.ModelMultipleChoiceField(label="班级", queryset=None, widget=forms.CheckboxSelectMultiple)
    register_by = forms.DateField(label="登记截止日期（默认假期前一天）", required=False, widget=DATE)
    return_due = forms.DateTimeField(
        label="返校截止时间（默认假期最后一天晚上）",
        required=False,
        widget=DATETIME,
        input_formats=DATETIME_FORMATS,
    )
    note = forms.CharField(label="说明", required=False, max_length=255)

    def __init__(self, *args, holidays, classes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["holiday"].queryset = holidays
        self.fields["classes"].queryset = classes


class HolidayRegisterForm(forms.Form):
    plan = forms.ChoiceField(label="去留", choices=HolidayPlan.choices, widget=forms.RadioSelect)
    destination = forms.CharField(label="目的地", required=False, max_length=100)
    depart_on = forms.DateField(label="离校日期", required=False, widget=DATE)
    return_on = forms.DateField(label="计划返校日期", required=False, widget=DATE)
    transport = forms.CharField(label="交通方式", required=False, max_length=64)
    emergency_contact = forms.CharField(label="紧急联系人", required=False, max_length=64)
    emergency_phone = forms.CharField(label="紧急联系电话", required=False, max_length=20)
    late_reason = forms.CharField(
        label="晚返原因（计划返校晚于返校截止时间时填写）", required=False, max_length=200
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class RoundForm(forms.Form):
    title = forms.CharField(label="检查名称", max_length=100)
    kind = forms.ChoiceField(label="类型", choices=RoundKind.choices, initial=RoundKind.BOTH)
    date = forms.DateField(label="检查日期", widget=DATE)
    buildings = forms.MultipleChoiceField(
        label="楼栋（整栋检查）", required=False, widget=forms.CheckboxSelectMultiple
    )
    rooms = forms.CharField(
        label="寝室（楼栋/寝室号，多个用逗号或换行分隔）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    note = forms.CharField(label="说明", required=False, max_length=255)

    def __init__(self, *args, buildings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["buildings"].choices = [(b, b) for b in buildings]


class InspectionForm(forms.Form):
    hygiene_score = forms.IntegerField(label="卫生得分（0–100）", required=False, min_value=0, max_value=100)
    note = forms.CharField(label="备注", required=False, max_length=255)


class FindingForm(forms.Form):
    item = forms.ModelChoiceField(
        label="检查项目", queryset=InspectionItem.objects.filter(active=True), empty_label=None
    )
    description = forms.CharField(label="情况描述", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    photo = forms.FileField(label="照片", required=False)
    students = forms.MultipleChoiceField(
        label="责任学生", required=False, widget=forms.CheckboxSelectMultiple
    )
    deadline = forms.DateField(label="整改期限", required=False, widget=DATE)
    cannot_fix = forms.BooleanField(label="寝室内无法整改，直接上报", required=False)

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["students"].choices = [(s.student_no, s.name) for s in members]


class RecheckForm(forms.Form):
    result = forms.ChoiceField(label="复查结果", choices=FindingRecheck.Result.choices)
    note = forms.CharField(label="说明", required=False, max_length=255)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
