"""FilterSets of the pairing and visit ledgers, shared by the pages, their exports and the API."""

import django_filters
from django import forms

from .models import Outcome, Pairing, Visit, VisitKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PairingFilter(django_filters.FilterSet):
    outcome = django_filters.ChoiceFilter(choices=Outcome.choices, label="去向", empty_label="全部去向")
    quiet = django_filters.BooleanFilter(
        method="filter_quiet", label="超期未联系", widget=forms.CheckboxInput
    )
    student_no = django_filters.CharFilter(field_name="student__student_no", label="学号")

    class Meta:
        model = Pairing
        fields: list = []

    def filter_quiet(self, queryset, name, value):
        return queryset.quiet() if value else queryset


class VisitFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=VisitKind.choices, label="类型", empty_label="全部类型")
    date_from = django_filters.DateFilter(
        field_name="visited_on", lookup_expr="gte", label="起始日期", widget=DATE
    )
    date_to = django_filters.DateFilter(
        field_name="visited_on", lookup_expr="lte", label="截止日期", widget=DATE
    )

    class Meta:
        model = Visit
        fields: list = []


def filtered(filterset_class, data, queryset):
    """The queryset narrowed by the bound FilterSet (invalid values answer nothing narrower)."""
    filterset = filterset_class(data or None, queryset=queryset)
    for field in filterset.form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs["class"] = "form-check-input"
        else:
            widget.attrs["class"] = (
                "form-select form-select-sm"
                if isinstance(widget, forms.Select)
                else "form-control form-control-sm"
            )
    if filterset.is_bound and filterset.is_valid():
        return filterset, filterset.qs
    return filterset, queryset
