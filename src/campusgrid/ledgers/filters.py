"""The leave and findings filters, shared by the list pages, their exports and the API
(the selectors apply them); choices come from what the user may see."""

import django_filters
from django import forms

from campusgrid.core import clock
from campusgrid.org.models import Building, SchoolClass

from .models import (
    Finding,
    FindingState,
    InspectionItem,
    InspectionRound,
    LeaveRequest,
    LeaveState,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class _AliasedFilterSet(django_filters.FilterSet):
    """`?class=` (the API's name, a Python keyword) is read as `school_class`."""

    aliases: dict[str, str] = {}

    def __init__(self, data=None, *args, user=None, **kwargs):
        if data is not None:
            data = data.copy()
            for alias, name in self.aliases.items():
                if data.get(alias) and not data.get(name):
                    data[name] = data[alias]
        super().__init__(data, *args, **kwargs)
        self.user = user


class LeaveFilter(_AliasedFilterSet):
    state = django_filters.ChoiceFilter(choices=LeaveState.choices, label="状态", empty_label="全部状态")
    overdue = django_filters.BooleanFilter(
        method="filter_overdue", label="逾期未销假", widget=forms.CheckboxInput
    )
    current = django_filters.BooleanFilter(method="filter_current", label="在假", widget=forms.CheckboxInput)
    school_class = django_filters.ModelChoiceFilter(
        field_name="student__school_class",
        to_field_name="name",
        queryset=SchoolClass.objects.none(),
        label="班级",
        empty_label="全部班级",
    )
    student_no = django_filters.CharFilter(field_name="student__student_no", label="学号")
    date_from = django_filters.DateFilter(
        field_name="end", lookup_expr="date__gte", label="起始日期", widget=DATE
    )
    date_to = django_filters.DateFilter(
        field_name="start", lookup_expr="date__lte", label="截止日期", widget=DATE
    )

    aliases = {"class": "school_class"}

    class Meta:
        model = LeaveRequest
        fields = ["state", "overdue", "current", "school_class", "student_no", "date_from", "date_to"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        # A class outside the user's reach is not a valid choice (never a way to probe it).
        self.filters["school_class"].queryset = SchoolClass.objects.visible_to(user)

    def filter_overdue(self, queryset, name, value):
        return queryset.overdue(clock.now()) if value else queryset

    def filter_current(self, queryset, name, value):
        return queryset.approved_on(clock.now()) if value else queryset


class FindingFilter(_AliasedFilterSet):
    state = django_filters.ChoiceFilter(choices=FindingState.choices, label="状态", empty_label="全部状态")
    overdue = django_filters.BooleanFilter(
        method="filter_overdue", label="逾期未整改", widget=forms.CheckboxInput
    )
    item = django_filters.ModelChoiceFilter(
        queryset=InspectionItem.objects.all(), label="项目", empty_label="全部项目"
    )
    round = django_filters.ModelChoiceFilter(
        field_name="inspection__round",
        queryset=InspectionRound.objects.none(),
        label="检查",
        empty_label="全部检查",
    )
    building = django_filters.ModelChoiceFilter(
        field_name="room__building",
        to_field_name="name",
        queryset=Building.objects.none(),
        label="楼栋",
        empty_label="全部楼栋",
    )
    date_from = django_filters.DateFilter(
        field_name="found_at", lookup_expr="date__gte", label="起始日期", widget=DATE
    )
    date_to = django_filters.DateFilter(
        field_name="found_at", lookup_expr="date__lte", label="截止日期", widget=DATE
    )

    class Meta:
        model = Finding
        fields = ["state", "overdue", "item", "round", "building", "date_from", "date_to"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.filters["round"].queryset = InspectionRound.objects.visible_to(user)
        self.filters["building"].queryset = Building.objects.filter(
            rooms__in=Finding.objects.visible_to(user).values("room_id")
        ).distinct()

    def filter_overdue(self, queryset, name, value):
        return queryset.overdue(clock.today()) if value else queryset
