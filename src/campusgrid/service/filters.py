"""The session filters, shared by the session list page and the API."""

from __future__ import annotations

import django_filters
from django import forms

from .models import Session, SessionKind, VolunteerTeam

DATE = forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"})


class SessionFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        choices=SessionKind.choices,
        label="类型",
        empty_label="全部类型",
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    q = django_filters.CharFilter(
        method="filter_q",
        label="标题或主题",
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm", "placeholder": "标题或主题"}),
    )
    team = django_filters.ModelChoiceFilter(
        queryset=VolunteerTeam.objects.none(),
        label="服务队",
        empty_label="全部服务队",
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    date_from = django_filters.DateFilter(
        field_name="starts_at", lookup_expr="date__gte", label="起始日期", widget=DATE
    )
    date_to = django_filters.DateFilter(
        field_name="starts_at", lookup_expr="date__lte", label="截止日期", widget=DATE
    )
    # The activities that recorded people served who are not on the register (the semester
    # report's 服务学生人数 counts them apart from those recorded by 学号).
    unregistered = django_filters.BooleanFilter(
        method="filter_unregistered", label="有未在册服务对象", widget=forms.CheckboxInput
    )

    class Meta:
        model = Session
        fields = ["kind", "q", "team", "date_from", "date_to", "unregistered"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        # A team outside the user's reach is not a valid choice (never a way to probe it).
        self.filters["team"].queryset = VolunteerTeam.objects.visible_to(user)

    def filter_q(self, queryset, name, value):
        from django.db.models import Q

        value = (value or "").strip()[:60]
        return queryset.filter(Q(title__contains=value) | Q(topic__contains=value)) if value else queryset

    def filter_unregistered(self, queryset, name, value):
        return queryset.filter(served_count__gt=0) if value else queryset


class PeriodFilter(forms.Form):
    """The dates of the volunteer activities a list of their people covers (志愿者名单,
    服务学生名单): the semester report links them with the semester's days up to today."""

    date_from = forms.DateField(label="活动起始日期", required=False, widget=DATE)
    date_to = forms.DateField(label="活动截止日期", required=False, widget=DATE)

    def period(self) -> dict:
        """{date_from, date_to} as the selectors take them (an invalid date: no filter)."""
        if not self.is_bound:
            return {"date_from": None, "date_to": None}
        self.is_valid()  # cleaned_data keeps the fields that are valid
        return {k: self.cleaned_data.get(k) for k in ("date_from", "date_to")}
