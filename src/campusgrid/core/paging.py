"""Keyset paging for long lists: one page by a unique sort key, without counting the list.

Django's Paginator counts the whole (scoped) list on every page to draw "第 3 / 1667 页";
a list read a page at a time only needs to know whether there is another page, which one
row more than the page answers. `?after=<key>` opens the page after a row, `?before=<key>`
the page before one; the rows never shift under a reader as offsets do when a row is added.
"""

from __future__ import annotations

from functools import cached_property

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator

AFTER = "after"
BEFORE = "before"
# Above this many rows a filtered list says "N 人以上" instead of counting every one.
COUNT_CAP = 1000


class KeysetPage:
    """One page of `queryset` ordered by `key` (a unique, non-null field). `annotate`: values
    the page's rows carry (a joined name) that the count of the list has no need to join."""

    def __init__(
        self,
        queryset,
        *,
        key: str,
        size: int,
        after: str = "",
        before: str = "",
        annotate: dict | None = None,
    ):
        self.queryset = queryset
        self.key = key
        self.size = size
        self.after = after if not before else ""
        self.before = before
        if annotate:
            queryset = queryset.annotate(**annotate)
        if self.before:
            rows = list(queryset.filter(**{f"{key}__lt": before}).order_by(f"-{key}")[: size + 1])
            self.has_previous = len(rows) > size
            self.object_list = rows[:size][::-1]
            self.has_next = True  # the row `before` names (or where it was) comes next
        else:
            narrowed = queryset.filter(**{f"{key}__gt": after}) if after else queryset
            rows = list(narrowed.order_by(key)[: size + 1])
            self.has_next = len(rows) > size
            self.object_list = rows[:size]
            self.has_previous = bool(after)
        self.is_first = not self.after and not self.before

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous

    @property
    def next_key(self) -> str | None:
        return getattr(self.object_list[-1], self.key) if self.has_next and self.object_list else None

    @property
    def previous_key(self) -> str | None:
        return getattr(self.object_list[0], self.key) if self.has_previous and self.object_list else None

    @property
    def known_count(self) -> int | None:
        """The list's length when this page shows it all (no query), else None."""
        return len(self.object_list) if self.is_first and not self.has_next else None

    def capped_count(self, cap: int | None = None) -> tuple[int, bool]:
        """(rows, more): the list's length up to `cap` (COUNT_CAP), and whether it goes past
        it. One bounded query (COUNT over a LIMIT) unless this page already shows it all."""
        cap = COUNT_CAP if cap is None else cap
        if self.known_count is not None:
            return self.known_count, False
        counted = self.queryset.order_by()[: cap + 1].count()
        return min(counted, cap), counted > cap

    @cached_property
    def count(self) -> int:
        """The exact length of the list: free when this page shows it all, else a COUNT.
        The page itself never asks for it on a long list."""
        known = self.known_count
        return known if known is not None else self.queryset.order_by().count()

    @property
    def paginator(self):
        # Django's Page interface, for callers that read `page.paginator.count`.
        return self


def keyset_page(request, queryset, *, key: str, size: int, annotate: dict | None = None) -> KeysetPage:
    """The page that the request's `?after=` / `?before=` asks for."""
    return KeysetPage(
        queryset,
        key=key,
        size=size,
        after=request.GET.get(AFTER, "").strip(),
        before=request.GET.get(BEFORE, "").strip(),
        annotate=annotate,
    )


class CountedPaginator(Paginator):
    """Django's Paginator, with the list's count read with the page's rows: each row carries
    `COUNT(*) OVER ()` (the window is taken before LIMIT, so it counts the whole list), so a
    page costs one query instead of a COUNT and the page. For short lists (待我处理, 我的上报),
    where the database reads every row for the count anyway; a long list is counted apart.
    A page past the end has no row to carry the count: it is counted as before (an empty
    first page says the list is empty)."""

    def __init__(self, object_list, per_page, **kwargs):
        from django.db.models import Count, Window

        super().__init__(object_list.annotate(_list_count=Window(Count("*"))), per_page, **kwargs)
        self._read: dict[int, list] = {}

    def page(self, number):
        if not (str(number).isdigit() and int(number) > 0):
            return super().page(number)  # Django's errors, which get_page answers as Django does
        number = int(number)
        if "count" not in self.__dict__ and not self.orphans:
            bottom = (number - 1) * self.per_page
            rows = list(self.object_list[bottom : bottom + self.per_page])
            if rows or not bottom:  # no row on the first page: the list is empty
                self.__dict__["count"] = rows[0]._list_count if rows else 0
                self._read[number] = rows
        number = self.validate_number(number)
        if number in self._read:
            return self._get_page(self._read[number], number, self)
        return super().page(number)

    def get_page(self, number):
        try:
            return self.page(number)
        except PageNotAnInteger:
            return self.page(1)
        except EmptyPage:
            return self.page(self.num_pages)


class KeptPaginator(Paginator):
    """Django's Paginator over a scoped list whose count and page ids are kept between requests
    (core.fingerprint.kept: per user, scope and minute, under the change counters of `inputs`,
    the tables the list reads), and whose rows are read fresh by id through `rows(ids)` — so a
    list's plan (its scope's subqueries and joins, its count) runs once until a table it reads
    changes, while the rows drawn, their states and badges, are this request's.

    `object_list` may be a function returning the queryset: it is then built only when a kept
    head is computed (building a scoped list's SQL is a good part of a short list's cost).
    `detail` tells lists of one user apart (the filter's parameters). A first page shorter than
    the page size is its own count: no COUNT is asked of a short list. A page past the end is
    answered as Django's Paginator answers it (get_page: the last page)."""

    def __init__(self, object_list, per_page, *, user, name: str, inputs: tuple, rows, detail: tuple = ()):
        super().__init__(object_list, per_page)
        self._user, self._name, self._inputs, self._rows, self._detail = user, name, inputs, rows, detail
        self._heads: dict[int, tuple[int, list]] = {}

    def _head(self, number: int) -> tuple[int, list]:
        """(count, ids of page `number`), kept."""
        if number not in self._heads:
            from .fingerprint import check_inputs, kept

            def compute() -> tuple[int, list]:
                queryset = self.object_list() if callable(self.object_list) else self.object_list
                check_inputs(self._name, self._inputs, [queryset])
                bottom = (number - 1) * self.per_page
                ids = list(queryset.values_list("pk", flat=True)[bottom : bottom + self.per_page])
                if len(ids) < self.per_page and (ids or not bottom):
                    return bottom + len(ids), ids
                return queryset.count(), ids

            self._heads[number] = kept(
                self._user, self._name, self._inputs, compute, detail=(*self._detail, number)
            )
        return self._heads[number]

    @cached_property
    def count(self) -> int:
        return self._head(1)[0]

    def page(self, number):
        number = self.validate_number(number)
        ids = self._head(number)[1]
        found = {row.pk: row for row in self._rows(ids)} if ids else {}
        return self._get_page([found[pk] for pk in ids if pk in found], number, self)
