from django import forms

from campusgrid.core.uploads import import_upload_error
from campusgrid.people.models import StudentStatus


class AppointForm(forms.Form):
    holder = forms.CharField(label="任职人（学号或工号）", max_length=32)
    start = forms.DateField(
        label="任职开始日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class EndPostForm(forms.Form):
    reason = forms.CharField(label="离任原因", max_length=100, required=False)


class PlacementForm(forms.Form):
    """调整寝室、班级、学籍状态 on the student page (counselor and above)."""

    action = forms.ChoiceField(
        choices=[("move", "调整寝室"), ("class", "调整班级"), ("status", "变更学籍状态")]
    )
    room = forms.CharField(label="寝室（楼栋/寝室号）", required=False)
    bed = forms.IntegerField(label="床号", required=False, min_value=1)
    school_class = forms.CharField(label="班级", required=False)
    status = forms.ChoiceField(label="学籍状态", choices=StudentStatus.choices, required=False)


class ImportUploadForm(forms.Form):
    KIND_CHOICES = [
        ("roster", "学生名册（学生、班级、寝室、学生职务）"),
        ("staff", "教职工（辅导员、班主任、学院领导）"),
    ]
    kind = forms.ChoiceField(label="导入类型", choices=KIND_CHOICES)
    file = forms.FileField(label="文件（.xlsx 或 .csv）")

    def clean_file(self):
        f = self.cleaned_data["file"]
        error = import_upload_error(f)
        if error:
            raise forms.ValidationError(error)
        return f
