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

    class Meta:
        model = Session
        fields = ["kind", "q", "team", "date_from", "date_to"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        # A team outside the user's reach is not a valid choice (never a way to probe it).
        self.filters["team"].queryset = VolunteerTeam.objects.visible_to(user)

    def filter_q(self, queryset, name, value):
        from django.db.models import Q

        value = (value or "").strip()[:60]
        return queryset.filter(Q(title__contains=value) | Q(topic__contains=value)) if value else queryset
