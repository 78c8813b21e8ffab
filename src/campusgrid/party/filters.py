"""The board's and the 台账's filter: one FilterSet, branch choices limited to the user's scope."""

from __future__ import annotations

import django_filters

from .models.pipeline import DevelopmentFile, Stage


class FileFilter(django_filters.FilterSet):
    stage = django_filters.ChoiceFilter(label="阶段", choices=Stage.choices, empty_label="全部阶段")
    branch = django_filters.ChoiceFilter(label="党支部", method="by_branch", empty_label="全部支部")
    q = django_filters.CharFilter(label="姓名或学号", method="search")

    class Meta:
        model = DevelopmentFile
        fields = ["stage"]

    def __init__(self, *args, user=None, branches=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["branch"].extra["choices"] = [(str(b.pk), b.name) for b in branches]
        for name, field in self.form.fields.items():
            css = "form-control form-control-sm" if name == "q" else "form-select form-select-sm"
            field.widget.attrs["class"] = css

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
