"""The board's and the 台账's filter: one FilterSet, branch choices limited to the user's scope."""

from __future__ import annotations

import django_filters

from .models.pipeline import DevelopmentFile, Stage


class FileFilter(django_filters.FilterSet):
    stage = django_filters.ChoiceFilter(label="阶段", choices=Stage.choices, empty_label="全部阶段")
    branch = django_filters.ChoiceFilter(label="党支部", method="by_branch", empty_label="全部支部")
    q = django_filters.CharFilter(label="姓名或学号", method="search")
    developed_from = django_filters.DateFilter(label="发展日期自", method="developed")
    developed_to = django_filters.DateFilter(label="发展日期至", method="developed")

    class Meta:
        model = DevelopmentFile
        fields = ["stage"]

    def __init__(self, *args, user=None, branches=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["branch"].extra["choices"] = [(str(b.pk), b.name) for b in branches]
        for name, field in self.form.fields.items():
            css = (
                "form-select form-select-sm"
                if name in ("stage", "branch")
                else "form-control form-control-sm"
            )
            field.widget.attrs["class"] = css
        for name in ("developed_from", "developed_to"):
            self.form.fields[name].widget.input_type = "date"

    def developed(self, queryset, name, value):
        """预备党员 approved on or after / on or before the date (the report's 发展党员人数)."""
        from .selectors.pipeline import developed_between

        if name == "developed_from":
            return developed_between(queryset, first=value)
        return developed_between(queryset, last=value)

    def by_branch(self, queryset, name, value):
        return queryset.filter(branch_id=value)

    def search(self, queryset, name, value):
        value = value.strip()[:32]
        if not value:
            return queryset
        from django.db.models import Q

        return queryset.filter(
            Q(student__name__contains=value)
            | Q(student__student_no__startswith=value)
            | Q(staff__name__contains=value)
        )
