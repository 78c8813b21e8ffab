"""The grid-post filters, shared by the 网格员 page and the posts API (the selector
applies them)."""

import django_filters
from django import forms
from django.db.models import Q

from campusgrid.core.forms import bootstrap

from .models import Post, PostKind


class PostFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=PostKind.choices, label="职务", empty_label="全部职务")
    q = django_filters.CharFilter(
        method="filter_search",
        label="学号、工号或姓名",
        widget=forms.TextInput(attrs={"placeholder": "学号、工号或姓名"}),
    )
    holder = django_filters.CharFilter(method="filter_holder", label="学号或工号")
    history = django_filters.BooleanFilter(
        method="filter_nothing", label="含历史任期", widget=forms.CheckboxInput(attrs={"value": "1"})
    )

    class Meta:
        model = Post
        fields = ["kind", "q", "holder", "history"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        bootstrap(self.form)

    def filter_search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(student__student_no=value)
            | Q(staff__staff_no=value)
            | Q(student__name=value)
            | Q(staff__name=value)
        )

    def filter_holder(self, queryset, name, value):
        return queryset.filter(Q(student__student_no=value) | Q(staff__staff_no=value))

    def filter_nothing(self, queryset, name, value):
        return queryset  # history is the selector's current_only: ended terms are a different base


def wants_history(params) -> bool:
    return (params or {}).get("history") in ("1", "true", "on")
