"""Forms of the appraisal and class-honour pages: they parse input; the rules are in the services."""

from django import forms

from campusgrid.core.forms import Bootstrap

from .models import AppraisalSettings, HonourKind, HonourSettings


class ScoreForm(Bootstrap, forms.Form):
    counselor_score = forms.DecimalField(
        label="辅导员评分（0–100）", min_value=0, max_value=100, max_digits=5, decimal_places=2
    )
    comment = forms.CharField(
        label="评语", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class AnswerForm(Bootstrap, forms.Form):
    answer = forms.CharField(label="答复", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    counselor_score = forms.DecimalField(
        label="修改辅导员评分（不改可留空）",
        required=False,
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=2,
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ObjectionForm(Bootstrap, forms.Form):
    reason = forms.CharField(label="申诉理由", max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))


class AppraisalSettingsForm(Bootstrap, forms.ModelForm):
    class Meta:
        model = AppraisalSettings
        fields = [
            "computed_weight",
            "counselor_weight",
            "excellent_min",
            "good_min",
            "pass_min",
            "objection_days",
            "reports_target",
            "metric_weights",
        ]

    def clean(self):
        data = super().clean()
        if data.get("computed_weight", 0) + data.get("counselor_weight", 0) != 100:
            self.add_error("counselor_weight", "记录得分与辅导员评分的权重之和须为 100")
        lines = [data.get("pass_min"), data.get("good_min"), data.get("excellent_min")]
        if None not in lines and not (lines[0] <= lines[1] <= lines[2] <= 100):
            self.add_error("good_min", "分数线须满足 合格 ≤ 良好 ≤ 优秀 ≤ 100")
        weights = data.get("metric_weights")
        if weights is not None and (
            not isinstance(weights, dict)
            or any(
                not isinstance(v, int | float) or isinstance(v, bool) or v < 0 or v > 100
                for v in weights.values()
            )
        ):
            self.add_error(
                "metric_weights", '指标权重须为对象，如 {"night_on_time": 2}，每项为 0 到 100 的数'
            )
        return data


class HonourSettingsForm(Bootstrap, forms.ModelForm):
    class Meta:
        model = HonourSettings
        fields = ["criteria_weights", "study_style_min", "sanjie_min"]

    def clean_criteria_weights(self):
        weights = self.cleaned_data.get("criteria_weights")
        if not isinstance(weights, dict) or any(
            not isinstance(v, int | float) or isinstance(v, bool) or v < 0 or v > 100
            for v in weights.values()
        ):
            raise forms.ValidationError('标准权重须为对象，如 {"class_absences": 2}，每项为 0 到 100 的数')
        return weights


class ProposeForm(Bootstrap, forms.Form):
    school_class = forms.CharField(label="班级", max_length=64, widget=forms.HiddenInput)
    kind = forms.ChoiceField(label="荣誉", choices=HonourKind.choices)
    reason = forms.CharField(label="推荐理由", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class DecideForm(Bootstrap, forms.Form):
    decision = forms.ChoiceField(label="决定", choices=[("approve", "授予"), ("reject", "不通过")])
    note = forms.CharField(label="意见", required=False, max_length=2000)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
