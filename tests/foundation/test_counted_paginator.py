"""core.paging.CountedPaginator: the list's count comes with the page's rows (one query a
page), and says what Django's Paginator says: the count, the pages, past the end the last."""

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from campusgrid.core.paging import CountedPaginator
from campusgrid.people.models import Student

pytestmark = pytest.mark.django_db


def _read(paginator_class, queryset, number):
    with CaptureQueriesContext(connection) as queries:
        page = paginator_class(queryset, 3).get_page(number)
        rows = [s.pk for s in page]
        shown = (page.number, page.paginator.count, page.paginator.num_pages, page.has_next())
    return rows, shown, len(queries)


@pytest.mark.parametrize("number", [None, "1", "2", "5", "abc"])
def test_a_page_and_the_count_in_one_query_as_django_counts_them(world, number):
    students = Student.objects.order_by("pk")
    assert students.count() > 6
    rows, shown, queries = _read(CountedPaginator, students, number)
    assert (rows, shown) == _read(Paginator, students, number)[:2]
    assert queries == 1


def test_past_the_end_is_the_last_page_and_an_empty_list_is_counted_by_its_page(world):
    students = Student.objects.order_by("pk")
    for number in ("999", "0", "-1"):  # Django's last page; counted apart, as Django counts
        assert _read(CountedPaginator, students, number)[:2] == _read(Paginator, students, number)[:2]
    rows, shown, queries = _read(CountedPaginator, students.filter(pk=-1), None)
    assert (rows, shown[1], queries) == ([], 0, 1)
