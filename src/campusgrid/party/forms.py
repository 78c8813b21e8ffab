"""Forms of the pipeline pages: they parse input; the rules are in rules.py and the services."""

from __future__ import annotations

from django import forms

from .models.pipeline import MaterialKind, MeetingPurpose, StepCode

S = StepCode
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = forms.Textarea(attrs={"rows": 2})


class Bootstrap:
    """Bootstrap classes on every widget, so templates render fields with `{{ field }}`."""

    def style(self):
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select form-select-sm"
            elif isinstance(widget, forms.HiddenInput):
                continue
            else:
                css = "form-control form-control-sm"
            widget.attrs["class"] = css


# The fields each step records (beyond its date and note), as form fields.
STEP_FIELDS: dict[str, dict[str, forms.Field]] = {
    S.TALK: {"talker": lambda: forms.CharField(label="谈话人", max_length=64)},
    S.ACTIVIST: {
        "source": lambda: forms.ChoiceField(
            label="产生方式", choices=[("推优", "团组织推优"), ("推荐", "党员推荐")]
        ),
        "filed_on": lambda: forms.DateField(label="报上级党委备案日期", required=False, widget=DATE),
    },
    S.MENTORS: {
        "people": lambda: forms.CharField(label="培养联系人学号/工号（1–2人，逗号分隔）", max_length=80)
    },
    S.REVIEW: {"text": lambda: forms.CharField(label="考察意见", widget=TEXT, max_length=4000)},
    S.REPORT: {"title": lambda: forms.CharField(label="题目", max_length=200, required=False)},
    S.PUBLICITY: {"end": lambda: forms.DateField(label="公示结束日期", widget=DATE)},
    S.SPONSORS: {
        "people": lambda: forms.CharField(label="入党介绍人学号/工号（2人，逗号分隔）", max_length=80)
    },
    S.POLITICAL_REVIEW: {
        "conclusion": lambda: forms.CharField(label="政审结论（书面）", widget=TEXT, max_length=4000)
    },
    S.TRAINING: {
        "course": lambda: forms.CharField(label="培训班", max_length=200, required=False),
        "days": lambda: forms.DecimalField(label="天数", min_value=0, max_value=1000, required=False),
        "hours": lambda: forms.DecimalField(label="学时", min_value=0, max_value=1000, required=False),
    },
    S.PRE_REVIEW: {"result": lambda: forms.CharField(label="预审结果", max_length=200, initial="合格")},
    S.PROBATIONARY: {
        "extended": lambda: forms.BooleanField(label="延长审批（超过三个月）", required=False),
        "extension_reason": lambda: forms.CharField(label="延长理由", max_length=200, required=False),
    },
    S.EXTEND_PROBATION: {
        "months": lambda: forms.IntegerField(label="延长月数（6–12）", min_value=6, max_value=12),
        "reason": lambda: forms.CharField(label="理由", max_length=500),
    },
    S.CLOSE: {"reason": lambda: forms.CharField(label="终止原因", max_length=255)},
}


class StepForm(Bootstrap, forms.Form):
    """One step's form: its date, what it records, a note."""

    date = forms.DateField(label="日期", widget=DATE)

    def __init__(self, *args, code: str, **kwargs):
        super().__init__(*args, prefix=code, **kwargs)
        self.code = code
        for name, make in STEP_FIELDS.get(code, {}).items():
            self.fields[name] = make()
        self.fields["note"] = forms.CharField(label="说明", widget=TEXT, max_length=4000, required=False)
        self.style()

    def step_data(self) -> dict:
        data = {}
        for name in STEP_FIELDS.get(self.code, {}):
            value = self.cleaned_data.get(name)
            if value in (None, ""):
                continue
            if hasattr(value, "isoformat"):
                value = value.isoformat()
            elif not isinstance(value, bool | int | str):
                value = float(value)
            data[name] = value
        return data


class OpenFileForm(Bootstrap, forms.Form):
    student_no = forms.CharField(label="学号", max_length=32)
    applied_on = forms.DateField(label="递交入党申请书日期", widget=DATE)
    branch = forms.TypedChoiceField(label="党支部", coerce=int, required=False)
    rule_version = forms.ChoiceField(
        label="适用细则",
        required=False,
        choices=[("", "按建档日期"), ("2026", "2026年修订"), ("2014", "2014年")],
    )

    def __init__(self, *args, branches=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].choices = [("", "按寝室所在支部")] + [(b.pk, b.name) for b in branches]
        self.style()


class MaterialForm(Bootstrap, forms.Form):
    kind = forms.ChoiceField(label="材料", choices=MaterialKind.choices)
    upload = forms.FileField(label="文件（PDF、Word 或图片）")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style()


class MeetingScheduleForm(Bootstrap, forms.Form):
    branch = forms.TypedChoiceField(label="党支部", coerce=int)
    purpose = forms.ChoiceField(label="议题", choices=MeetingPurpose.choices)
    scheduled_for = forms.DateField(label="计划日期", widget=DATE)
    files = forms.MultipleChoiceField(
        label="表决对象（逐个表决）", widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args, branches=(), candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].choices = [(b.pk, b.name) for b in branches]
        self.fields["files"].choices = [
            (str(f.pk), f"{f.person_name}（{f.get_stage_display()}）") for f in candidates
        ]
        self.style()


class MeetingTallyForm(Bootstrap, forms.Form):
    held_on = forms.DateField(label="召开日期", widget=DATE)
    members_due = forms.IntegerField(label="应到有表决权的党员", min_value=1, max_value=100000)
    present = forms.IntegerField(label="实到有表决权的党员", min_value=0, max_value=100000)
    written_opinions = forms.IntegerField(
        label="因故缺席党员的书面意见", min_value=0, max_value=100000, initial=0
    )
    ballots_issued = forms.IntegerField(label="发出选票", min_value=0, max_value=100000)
    ballots_returned = forms.IntegerField(label="收回选票", min_value=0, max_value=100000)

    attended = forms.MultipleChoiceField(
        label="到会党员（考勤）", widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args, votes=(), audience=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.audience = {f"{'s' if hasattr(p, 'student_no') else 't'}{p.pk}": p for p in audience}
        self.fields["attended"].choices = [(key, p.name) for key, p in self.audience.items()]
        self.vote_rows = []
        for vote in votes:
            p = f"v{vote.file_id}"
            names = {}
            for key, label in (("yes", "赞成"), ("no", "反对"), ("abstain", "弃权")):
                self.fields[f"{p}_{key}"] = forms.IntegerField(label=label, min_value=0, max_value=100000)
                names[key] = f"{p}_{key}"
            self.fields[f"{p}_resolution"] = forms.CharField(
                label="支部大会决议", widget=TEXT, max_length=4000, required=False
            )
            self.fields[f"{p}_graduation_exception"] = forms.CharField(
                label="三个月内离校的特殊情况说明", max_length=500, required=False
            )
        self.style()
        for vote in votes:
            p = f"v{vote.file_id}"
            keys = ("yes", "no", "abstain", "resolution", "graduation_exception")
            self.vote_rows.append((vote, [self[f"{p}_{k}"] for k in keys]))

    def attended_people(self) -> list:
        return [self.audience[key] for key in self.cleaned_data.get("attended") or [] if key in self.audience]

    def votes(self) -> dict[int, dict]:
        out = {}
        for vote, _ in self.vote_rows:
            p = f"v{vote.file_id}"
            out[vote.file_id] = {
                "yes": self.cleaned_data[f"{p}_yes"],
                "no": self.cleaned_data[f"{p}_no"],
                "abstain": self.cleaned_data[f"{p}_abstain"],
                "resolution": self.cleaned_data.get(f"{p}_resolution") or "",
                "graduation_exception": self.cleaned_data.get(f"{p}_graduation_exception") or "",
            }
        return out
