"""Forms of the service pages (rendered by Django's form templates through service/_field.html)."""

from __future__ import annotations

from django import forms

from campusgrid.grid.models import PartyBranch, PostKind
from campusgrid.org.models import SchoolClass

from .models import AttendanceStatus, SessionKind, VolunteerTeam
from .models.teams import TEAM_THEMES

TEXT = {"class": "form-control"}
SELECT = {"class": "form-select"}
CHECK = {"class": "form-check-input"}


class SessionForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=SessionKind.choices, widget=forms.Select(attrs=SELECT))
    title = forms.CharField(label="标题", max_length=120, widget=forms.TextInput(attrs=TEXT))
    topic = forms.CharField(
        label="主题",
        max_length=64,
        required=False,
        widget=forms.TextInput(attrs={**TEXT, "list": "topic-choices"}),
        help_text="如 安全教育、反诈宣传、心理健康宣传；培训填写与培训要求一致的主题",
    )
    starts_at = forms.DateTimeField(
        label="开始时间",
        widget=forms.DateTimeInput(attrs={**TEXT, "type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    ends_at = forms.DateTimeField(
        label="结束时间",
        widget=forms.DateTimeInput(attrs={**TEXT, "type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    place = forms.CharField(label="地点", max_length=120, required=False, widget=forms.TextInput(attrs=TEXT))
    hours = forms.DecimalField(
        label="时长（小时）",
        min_value=0,
        max_value=24,
        decimal_places=1,
        initial=0,
        widget=forms.NumberInput(attrs={**TEXT, "step": "0.5"}),
    )
    quota = forms.IntegerField(
        label="名额", min_value=1, max_value=100000, required=False, widget=forms.NumberInput(attrs=TEXT)
    )
    signup_required = forms.BooleanField(
        label="需报名", required=False, widget=forms.CheckboxInput(attrs=CHECK)
    )
    audience_college = forms.BooleanField(
        label="面向全院学生", required=False, widget=forms.CheckboxInput(attrs=CHECK)
    )
    audience_classes = forms.ModelMultipleChoiceField(
        label="面向班级",
        queryset=SchoolClass.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs=SELECT),
    )
    audience_post_kind = forms.ChoiceField(
        label="面向网格职务",
        choices=[("", "—")] + PostKind.choices,
        required=False,
        widget=forms.Select(attrs=SELECT),
    )
    branch = forms.ModelChoiceField(
        label="党支部", queryset=PartyBranch.objects.none(), required=False, widget=forms.Select(attrs=SELECT)
    )
    audience_branch = forms.BooleanField(
        label="面向支部党员", required=False, widget=forms.CheckboxInput(attrs=CHECK)
    )
    team = forms.ModelChoiceField(
        label="志愿服务队",
        queryset=VolunteerTeam.objects.none(),
        required=False,
        widget=forms.Select(attrs=SELECT),
    )
    posts = forms.CharField(
        label="志愿岗位",
        required=False,
        widget=forms.Textarea(attrs={**TEXT, "rows": 2}),
        help_text="每行一个岗位，可写名额，如“引导员 5”",
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Choices come from what the user can see, never from the whole table.
        self.fields["audience_classes"].queryset = SchoolClass.objects.visible_to(user).order_by("name")
        self.fields["branch"].queryset = PartyBranch.objects.visible_to(user).order_by("name")
        self.fields["team"].queryset = (
            VolunteerTeam.objects.visible_to(user).filter(active=True).order_by("name")
        )

    def clean_posts(self):
        rows = []
        for line in (self.cleaned_data.get("posts") or "").splitlines():
            parts = line.split()
            if not parts:
                continue
            quota = None
            if len(parts) > 1 and parts[-1].isdigit():
                quota = int(parts[-1])
                parts = parts[:-1]
            name = " ".join(parts)[:64]
            if quota is not None and not 1 <= quota <= 10000:
                raise forms.ValidationError(f"岗位“{name}”的名额应为正整数")
            rows.append((name, quota))
        if len(rows) > 50:
            raise forms.ValidationError("岗位不超过50个")
        return rows


class SignInForm(forms.Form):
    code = forms.CharField(
        label="签到码",
        max_length=12,
        widget=forms.TextInput(
            attrs={
                **TEXT,
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "pattern": "[0-9]*",
                "class": "form-control form-control-lg text-center fs-2",
                "placeholder": "6位数字",
            }
        ),
    )
    session = forms.IntegerField(required=False, widget=forms.HiddenInput)


class AttendanceForm(forms.Form):
    person = forms.CharField(max_length=40, widget=forms.HiddenInput)  # "s-<id>" or "t-<id>"
    status = forms.ChoiceField(choices=AttendanceStatus.choices)


class HoursCreditForm(forms.Form):
    hours = forms.DecimalField(
        label="每人认定时长（小时）",
        min_value=0.1,
        max_value=24,
        decimal_places=1,
        widget=forms.NumberInput(attrs={**TEXT, "step": "0.5"}),
    )


class HoursCorrectForm(forms.Form):
    person = forms.CharField(label="学号/工号", max_length=32, widget=forms.TextInput(attrs=TEXT))
    hours = forms.DecimalField(
        label="更正后的时长（小时）",
        min_value=0,
        max_value=24,
        decimal_places=1,
        widget=forms.NumberInput(attrs={**TEXT, "step": "0.5"}),
    )
    reason = forms.CharField(label="更正原因", max_length=200, widget=forms.TextInput(attrs=TEXT))


class ServedForm(forms.Form):
    student_numbers = forms.CharField(
        label="服务对象学号（在册）",
        required=False,
        widget=forms.Textarea(attrs={**TEXT, "rows": 2}),
        help_text="每行或以空格分隔",
    )
    served_count = forms.IntegerField(
        label="未在册的服务人数",
        min_value=0,
        max_value=100000,
        initial=0,
        widget=forms.NumberInput(attrs=TEXT),
    )

    def numbers(self) -> list[str]:
        return (self.cleaned_data.get("student_numbers") or "").replace("，", " ").replace(",", " ").split()


class TeamForm(forms.Form):
    name = forms.CharField(label="队名", max_length=100, widget=forms.TextInput(attrs=TEXT))
    theme = forms.CharField(
        label="服务主题", max_length=32, widget=forms.TextInput(attrs={**TEXT, "list": "theme-choices"})
    )
    branch = forms.ModelChoiceField(
        label="党支部", queryset=PartyBranch.objects.none(), required=False, widget=forms.Select(attrs=SELECT)
    )
    leader = forms.CharField(
        label="队长学号", max_length=32, required=False, widget=forms.TextInput(attrs=TEXT)
    )
    description = forms.CharField(
        label="简介", required=False, widget=forms.Textarea(attrs={**TEXT, "rows": 2})
    )

    themes = TEAM_THEMES

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = PartyBranch.objects.visible_to(user, "change").order_by("name")


class MembersForm(forms.Form):
    student_numbers = forms.CharField(
        label="新增队员学号", widget=forms.Textarea(attrs={**TEXT, "rows": 2}), help_text="每行或以空格分隔"
    )

    def numbers(self) -> list[str]:
        return (self.cleaned_data.get("student_numbers") or "").replace("，", " ").replace(",", " ").split()
