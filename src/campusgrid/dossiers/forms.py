from django import forms

from campusgrid.core import clock
from campusgrid.core.uploads import import_upload_error

from .models import FollowUp, KeyReason, RiskLevel


class KeyStudentForm(forms.Form):
    """列入重点学生 / 调整档案."""

    reasons = forms.ModelMultipleChoiceField(
        label="原因（可多选）",
        queryset=KeyReason.objects.filter(active=True),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "请至少选择一个原因"},
    )
    risk_level = forms.ChoiceField(label="风险等级", choices=RiskLevel.choices, widget=forms.RadioSelect)
    responsible = forms.ChoiceField(label="负责人", required=False)
    review_interval_days = forms.IntegerField(label="复查间隔（天）", min_value=1, max_value=365, initial=30)
    next_review = forms.DateField(
        label="下次复查日期（留空按间隔计算）", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    follow_up_plan = forms.CharField(
        label="跟进计划", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    note = forms.CharField(label="说明（记入变更记录）", required=False, max_length=500)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, staff_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].choices = [("", "—")] + [
            (s.staff_no, f"{s.name}（{s.staff_no}）") for s in staff_choices
        ]


class RemoveForm(forms.Form):
    reason = forms.CharField(label="移出原因", max_length=255, min_length=2)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ReviewForm(forms.Form):
    note = forms.CharField(label="复查情况", widget=forms.Textarea(attrs={"rows": 3}), min_length=2)
    risk_level = forms.ChoiceField(
        label="风险等级",
        choices=[("", "不变")] + list(RiskLevel.choices),
        required=False,
        widget=forms.Select(attrs={"class": "w-auto"}),
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class TalkRecordForm(forms.Form):
    """谈心谈话: date, place, who, summary, next step."""

    talked_on = forms.DateField(label="谈话日期", widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label="地点", max_length=64)
    participants = forms.CharField(label="谈话人", max_length=128, required=False)
    summary = forms.CharField(label="谈话内容摘要", widget=forms.Textarea(attrs={"rows": 5}))
    next_step = forms.CharField(label="下一步措施", widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("talked_on", clock.today())
        super().__init__(*args, **kwargs)


class FollowUpForm(forms.Form):
    note = forms.CharField(label="跟进情况", widget=forms.Textarea(attrs={"rows": 2}), min_length=2)


class DecisionForm(forms.Form):
    """采纳 / 忽略 an early-warning proposal."""

    reasons = forms.ModelMultipleChoiceField(
        label="原因", queryset=KeyReason.objects.filter(active=True), required=False
    )
    risk_level = forms.ChoiceField(
        label="风险等级", choices=[("", "按建议")] + list(RiskLevel.choices), required=False
    )
    note = forms.CharField(label="说明", max_length=255, required=False)


class ScreeningUploadForm(forms.Form):
    semester = forms.ChoiceField(label="学期")
    file = forms.FileField(label="筛查结果文件（.xlsx 或 .csv）")

    def __init__(self, *args, semesters=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["semester"].choices = [(s.name, s.name) for s in semesters]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        error = import_upload_error(upload)
        if error:
            raise forms.ValidationError(error)
        return upload


class KeyStudentFilterForm(forms.Form):
    """The key list's filter row. It only draws the row: the selector reads the same
    GET parameters (risk_level also takes a level's Chinese name)."""

    q = forms.CharField(
        label="搜索重点学生",
        required=False,
        widget=forms.TextInput(
            attrs={"type": "search", "id": "key-search", "placeholder": "姓名、学号或拼音首字母"}
        ),
    )
    reason = forms.ChoiceField(label="原因", required=False)
    risk_level = forms.ChoiceField(
        label="风险等级", choices=[("", "全部等级")] + list(RiskLevel.choices), required=False
    )
    mine = forms.BooleanField(label="我负责的", required=False)

    def __init__(self, *args, reasons=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].choices = [("", "全部原因")] + [(r.name, r.name) for r in reasons]
        self.fields["class"] = forms.CharField(
            label="班级", required=False, widget=forms.TextInput(attrs={"aria-label": "班级"})
        )
        self.order_fields(["q", "reason", "risk_level", "class", "mine"])


class ScreeningFilterForm(forms.Form):
    semester = forms.ChoiceField(label="学期", required=False)
    q = forms.CharField(label="姓名或学号", required=False, widget=forms.TextInput(attrs={"type": "search"}))
    follow_up = forms.ChoiceField(
        label="跟进", choices=[("", "全部")] + list(FollowUp.choices), required=False
    )
    over_threshold = forms.BooleanField(label="仅达到阈值", required=False)
    crisis = forms.BooleanField(label="仅危机", required=False)

    def __init__(self, *args, semesters=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["semester"].choices = [("", "全部学期")] + [(str(s.pk), s.name) for s in semesters]


class GrantForm(forms.Form):
    staff_no = forms.CharField(label="被授权人工号", max_length=32)
    student_no = forms.CharField(label="学生学号", max_length=32)
    until = forms.DateField(label="截止日期", widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label="事由", max_length=255, min_length=2)


class AccessLogFilterForm(forms.Form):
    actor = forms.CharField(
        label="访问人", required=False, widget=forms.TextInput(attrs={"placeholder": "访问人（账号或姓名）"})
    )
    student_no = forms.CharField(label="学号", required=False)
    action = forms.ChoiceField(
        label="方式",
        required=False,
        choices=[("", "全部方式"), ("view", "查看"), ("export", "导出"), ("api_read", "接口读取")],
    )
    at = forms.DateField(label="日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    at_after = forms.DateField(
        label="起始日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    at_before = forms.DateField(
        label="截止日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
