"""Filters of the award list, shared by the page, its export and the API."""

from __future__ import annotations

import django_filters

from campusgrid.grid.models import PartyBranch
from campusgrid.org.models import Semester

from .models import Award, AwardKind, AwardState


class AwardFilter(django_filters.FilterSet):
    semester = django_filters.ModelChoiceFilter(queryset=Semester.objects.all(), label="学期")
    branch = django_filters.ModelChoiceFilter(queryset=PartyBranch.objects.none(), label="党支部")
    kind = django_filters.ChoiceFilter(choices=AwardKind.choices, label="奖项")
    state = django_filters.ChoiceFilter(choices=AwardState.choices, label="状态")

    class Meta:
        model = Award
        fields = ["semester", "branch", "kind", "state"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Branch choices come from what the user sees, never the whole table.
        self.filters["branch"].queryset = PartyBranch.objects.visible_to(user)
