"""The report filters, shared by the list page, its export and the API list."""

import django_filters
from django import forms
from django.db.models import F, OuterRef, Q, Subquery

from campusgrid.core import clock
from campusgrid.core.forms import bootstrap, select_choices
from campusgrid.org.models import College

from .models import Category, Report, ReportEvent, Severity, State, overdue_q

TRUE = {"on", "1", "true", "True", "yes", "是"}


class ReportFilter(django_filters.FilterSet):
    category = django_filters.CharFilter(method="filter_category", label="类别")
    severity = django_filters.CharFilter(method="filter_severity", label="严重程度")
    state = django_filters.ChoiceFilter(choices=State.choices, label="状态", empty_label="全部")
    level = django_filters.NumberFilter(field_name="level", label="当前层级")
    overdue = django_filters.CharFilter(method="filter_overdue", label="仅超时")
    open = django_filters.CharFilter(method="filter_open", label="仅未办结")
    college = django_filters.ModelChoiceFilter(queryset=College.objects.none(), label="学院")
    school_class = django_filters.CharFilter(method="filter_class", label="班级")
    building = django_filters.CharFilter(method="filter_building", label="楼栋")
    student_no = django_filters.CharFilter(method="filter_student", label="学号")
    escalated = django_filters.CharFilter(method="filter_escalated", label="仅逐级上报过的")
    within_deadline = django_filters.CharFilter(method="filter_within_deadline", label="按期处理")
    date_from = django_filters.DateFilter(
        field_name="created_at",
        lookup_expr="date__gte",
        label="起始日期",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = django_filters.DateFilter(
        field_name="created_at",
        lookup_expr="date__lte",
        label="截止日期",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = Report
        fields = []

    def __init__(self, data=None, *args, user=None, **kwargs):
        if data is not None and "class" in data and "school_class" not in data:
            # The API's `?class=` is the page's `school_class`.
            data = data.copy()
            data["school_class"] = data.get("class")
        super().__init__(data, *args, **kwargs)
        # Choices come from what the user can see, never from the whole table.
        self.filters["college"].queryset = College.objects.visible_to(user)
        self.user = user

    # A category by id (the page's select) or by name (the API).
    def filter_category(self, queryset, name, value):
        if str(value).isdigit():
            return queryset.filter(category_id=int(value))
        return queryset.filter(category__name=value)

    def filter_severity(self, queryset, name, value):
        return queryset.filter(severity=Severity.from_label(value) or value)

    def filter_open(self, queryset, name, value):
        return queryset.open() if value in TRUE else queryset

    def filter_overdue(self, queryset, name, value):
        """on: past their deadline; no: within it (the dashboards' stacked bars open both)."""
        if value in TRUE:
            return queryset.overdue(clock.now())
        if value == "no":
            return queryset.exclude(overdue_q(clock.now()))
        return queryset

    def filter_escalated(self, queryset, name, value):
        """on: reports moved up a level (逐级上报, by hand or automatically when overdue)."""
        return escalated(queryset) if value in TRUE else queryset

    def filter_within_deadline(self, queryset, name, value):
        """yes: handled within their deadline; no: handled after it (the semester report's
        按期处理率 is yes of yes + no; reports not handled yet are in neither)."""
        if value in TRUE:
            return handled_within_deadline(queryset, True)
        if value == "no":
            return handled_within_deadline(queryset, False)
        return queryset

    # To-many filters as subqueries: one report appears once however many students match.
    def filter_class(self, queryset, name, value):
        return queryset.filter(pk__in=Report.objects.filter(classes__name=value).values("pk"))

    def filter_building(self, queryset, name, value):
        inside = Report.objects.filter(students__bed__room__building__name=value).values("pk")
        return queryset.filter(Q(room__building__name=value) | Q(pk__in=inside))

    def filter_student(self, queryset, name, value):
        return queryset.filter(pk__in=Report.objects.filter(students__student_no=value).values("pk"))

    def page_form(self, choices: dict) -> forms.Form:
        """The list page's filter row: the API's text filters drawn as selects of what
        `choice_lists` found (no second query), through core.forms.bootstrap."""
        form = self.form
        fields = form.fields
        fields["college"].widget.choices = select_choices(
            "全部学院", [(str(pk), name) for pk, name in choices["colleges"]]
        )
        fields["category"].widget = forms.Select(
            choices=select_choices("全部类别", [(str(pk), name) for pk, name in choices["categories"]])
        )
        fields["severity"].widget = forms.Select(choices=select_choices("严重程度", choices["severities"]))
        fields["overdue"].widget = forms.CheckboxInput()
        return bootstrap(form, small=True)

    def choice_lists(self):
        """The page's select boxes, as (id, name): kept between requests for everyone of the
        same reach until a category or a college changes (core.fingerprint)."""
        from campusgrid.core.fingerprint import check_inputs, kept_for
        from campusgrid.core.scoping import reach_key

        def compute() -> dict:
            colleges = self.filters["college"].queryset.order_by("pk").values_list("pk", "name")
            categories = Category.objects.order_by("order", "id").values_list("pk", "name")
            check_inputs("report-filter-choices", (College, Category), [colleges, categories])
            return {"colleges": list(colleges), "categories": list(categories)}

        lists = kept_for("report-filter-choices", reach_key(self.user, College), (College, Category), compute)
        return {
            "categories": lists["categories"],
            "severities": Severity.choices,
            "states": State.choices,
            "colleges": lists["colleges"] if len(lists["colleges"]) > 1 else [],
        }


def escalations(queryset):
    """The escalation events of the reports: moved up a level (逐级上报)."""
    return ReportEvent.objects.filter(
        report_id__in=queryset.values("pk"),
        action__in=["escalate", "auto_escalate"],
        to_level__gt=F("from_level"),
    )


def escalated(queryset):
    """The reports escalated at least once: the semester report's 逐级上报 and its list."""
    return queryset.filter(pk__in=escalations(queryset).values("report_id"))


def handled_within_deadline(queryset, within: bool):
    """The reports first handled within their deadline (no deadline counts as within), or
    handled after it: the semester report's 按期处理率 and the lists it opens."""
    first_handled = (
        ReportEvent.objects.filter(report=OuterRef("pk"), action="handle").order_by("at").values("at")[:1]
    )
    handled = queryset.annotate(first_handled=Subquery(first_handled)).filter(first_handled__isnull=False)
    in_time = Q(handle_due__isnull=True) | Q(first_handled__lte=F("handle_due"))
    return handled.filter(in_time) if within else handled.exclude(in_time)
