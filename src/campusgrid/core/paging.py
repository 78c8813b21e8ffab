"""Keyset paging for long lists: one page by a unique sort key, without counting the list.

Django's Paginator counts the whole (scoped) list on every page to draw "第 3 / 1667 页";
a list read a page at a time only needs to know whether there is another page, which one
row more than the page answers. `?after=<key>` opens the page after a row, `?before=<key>`
the page before one; the rows never shift under a reader as offsets do when a row is added.
"""

from __future__ import annotations

from functools import cached_property

AFTER = "after"
BEFORE = "before"
# Above this many rows a filtered list says "N 人以上" instead of counting every one.
COUNT_CAP = 1000


class KeysetPage:
    """One page of `queryset` ordered by `key` (a unique, non-null field)."""

    def __init__(self, queryset, *, key: str, size: int, after: str = "", before: str = ""):
        self.queryset = queryset
        self.key = key
        self.size = size
        self.after = after if not before else ""
        self.before = before
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


def keyset_page(request, queryset, *, key: str, size: int) -> KeysetPage:
    """The page that the request's `?after=` / `?before=` asks for."""
    return KeysetPage(
        queryset,
        key=key,
        size=size,
        after=request.GET.get(AFTER, "").strip(),
        before=request.GET.get(BEFORE, "").strip(),
    )
