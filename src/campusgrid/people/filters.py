"""The student filters, shared by the list page and the API."""

import django_filters
from django import forms

from campusgrid.core.fingerprint import check_inputs, kept_for
from campusgrid.core.forms import LongSelect, bootstrap, select_choices
from campusgrid.core.scoping import reach_key, scope_for, sees_everything
from campusgrid.org.models import Bed, Building, College, Grade, Room, SchoolClass

from .models import PoliticalStatus, Student, StudentStatus


class StudentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_search",
        label="搜索学生",
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": "姓名、学号或拼音首字母（如 zs）", "id": "student-search"}
        ),
    )
    college = django_filters.ModelChoiceFilter(
        queryset=College.objects.none(), label="学院", empty_label="全部学院", widget=LongSelect
    )
    # Free values (the API takes any), drawn as selects of what the viewer may see (with_choices).
    # Every select is a LongSelect: the same HTML as Django's, without a template include per
    # option (a leader's classes run to hundreds: the stock widget cost more than the rows).
    grade = django_filters.NumberFilter(method="filter_grade", label="年级", widget=LongSelect)
    school_class = django_filters.CharFilter(field_name="school_class__name", label="班级", widget=LongSelect)
    building = django_filters.CharFilter(
        field_name="bed__room__building__name", label="楼栋", widget=LongSelect
    )
    status = django_filters.ChoiceFilter(
        choices=StudentStatus.choices, label="学籍状态", empty_label="状态", widget=LongSelect
    )
    political_status = django_filters.ChoiceFilter(
        choices=PoliticalStatus.choices, label="政治面貌", empty_label="政治面貌", widget=LongSelect
    )

    class Meta:
        model = Student
        fields = ["q", "college", "grade", "school_class", "building", "status", "political_status"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Choices come from what the user can see, never from the whole table.
        self.filters["college"].queryset = College.objects.visible_to(user)
        self.user = user

    def filter_search(self, queryset, name, value):
        return queryset.search(value)

    def filter_grade(self, queryset, name, value):
        """The students of one 入学年份, as the classes of that year that students in reach sit
        in (kept: `grade_classes`), from the year's smallest 学号 on. Joined to class and grade
        instead, a leader's newest grade — whose 学号 sort last — walked the college's 4,500
        older students in 学号 order, two joins each, to find a page of 30 (issue 17). By its
        classes alone the walk stayed (the planner cannot know that a year's 学号 sit together):
        the office's newest grade read 37,000 rows of older ones for its first page (16 ms at
        50,000 students). The lower bound, which no student of the year is below, starts the
        walk at the year's first student."""
        if value != int(value):
            return queryset.none()
        classes, first = grade_classes(self.user).get(int(value), ([], ""))
        if not classes:
            return queryset.none()
        return queryset.filter(school_class_id__in=classes, student_no__gte=first)

    def with_choices(self):
        """The page's form, its selects holding what the viewer may see (the API skips this)."""
        lists = self.choice_lists()
        fields = self.form.fields
        # The field keeps its queryset, which checks a chosen college; only the drawn options are kept.
        fields["college"].widget.choices = select_choices("全部学院", lists["colleges"])
        fields["grade"].widget.choices = select_choices("年级", [(str(y), f"{y}级") for y in lists["years"]])
        fields["school_class"].widget.choices = select_choices("全部班级", lists["classes"])
        fields["building"].widget.choices = select_choices("楼栋", lists["buildings"])
        bootstrap(self.form)
        return self

    def choice_lists(self) -> dict:
        """Values for the page's select boxes, limited to the user's scope: kept between requests
        (core.fingerprint) for everyone of the same reach until a table they read changes, so
        that a page costs one query (the counters) instead of four, one of them a DISTINCT over
        every student in reach."""

        def compute():
            querysets = self.choice_querysets()
            check_inputs("student-filter-choices", choice_inputs(), querysets.values())
            return {name: list(qs) for name, qs in querysets.items()}

        key = reach_key(self.user, College, SchoolClass, Student)
        return kept_for("student-filter-choices", key, choice_inputs(), compute)

    def choice_querysets(self) -> dict:
        colleges = College.objects.visible_to(self.user).order_by("name").values_list("pk", "name")
        classes = SchoolClass.objects.visible_to(self.user).order_by("name").values_list("name", flat=True)
        years = (
            Grade.objects.filter(classes__in=SchoolClass.objects.visible_to(self.user))
            .values_list("year", flat=True)
            .distinct()
            .order_by("-year")
        )
        if scope_for(self.user).everything:
            buildings = Building.objects.order_by("name").values_list("name", flat=True)
        else:
            buildings = (
                Student.objects.visible_to(self.user)
                .filter(bed__isnull=False)
                .values_list("bed__room__building__name", flat=True)
                .distinct()
                .order_by("bed__room__building__name")
            )
        return {"colleges": colleges, "classes": classes, "years": years, "buildings": buildings}


def grade_classes(user) -> dict[int, tuple[list[int], str]]:
    """{入学年份: (ids of that year's classes that students in the user's reach sit in, the
    smallest 学号 among those students)}: what the grade filter narrows to (the same students as
    a join to class and grade), and where in 学号 order they start. Kept for everyone of the same
    reach until the students, classes or grades change; the whole university's classes are read
    from the classes, and its first numbers by one GROUP BY over the students (about 50 ms at
    50,000 students, once per change of the students' table)."""
    from django.db.models import Min

    def compute():
        if sees_everything(scope_for(user), Student):
            pairs = SchoolClass.objects.visible_to(user).order_by().values_list("grade__year", "pk")
            firsts = (
                Student.objects.visible_to(user)  # every student: the reach is the university
                .filter(school_class__isnull=False)
                .order_by()
                .values("school_class__grade__year")
                .annotate(first=Min("student_no"))
                .values_list("school_class__grade__year", "first")
            )
            check_inputs("student-grade-classes", grade_inputs(), [pairs, firsts])
            first_of = dict(firsts)
        else:
            rows = (
                Student.objects.visible_to(user)
                .filter(school_class__isnull=False)
                .order_by()
                .values("school_class__grade__year", "school_class_id")
                .annotate(first=Min("student_no"))
                .values_list("school_class__grade__year", "school_class_id", "first")
            )
            check_inputs("student-grade-classes", grade_inputs(), [rows])
            first_of: dict[int, str] = {}
            pairs = []
            for year, pk, first in rows:
                pairs.append((year, pk))
                first_of[year] = min(first, first_of.get(year, first))
        years: dict[int, list[int]] = {}
        for year, pk in pairs:
            years.setdefault(year, []).append(pk)
        return {year: (sorted(ids), first_of.get(year, "")) for year, ids in years.items()}

    return kept_for("student-grade-classes", reach_key(user, Student), grade_inputs(), compute)


def grade_inputs() -> tuple:
    return (Student, SchoolClass, Grade)


def choice_inputs() -> tuple:
    """The tables the select boxes' values are read from (their change counters key them)."""
    return (College, SchoolClass, Grade, Student, Bed, Room, Building)


class StudentProfileForm(forms.Form):
    """学生信息维护 (counselor and above): contact and identity fields."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    phone = forms.CharField(label="手机号", max_length=20, required=False)
    parent_phone = forms.CharField(label="家长电话", max_length=20, required=False)
    id_number = forms.CharField(label="身份证号（留空则不修改）", max_length=18, required=False)
    ethnicity = forms.CharField(label="民族", max_length=16, required=False)
    origin = forms.CharField(label="生源地", max_length=64, required=False)
