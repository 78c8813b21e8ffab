"""Figures kept between requests and checked against their inputs (issue 15: a leader's first look).

Some figures walk every row of a college in Python (the coverage audit, the party pipeline's
warnings). `remember()` keeps such a result in Django's cache per scope and day under a
*fingerprint* of the tables it reads: one query of cheap scalar subqueries (counts, sums of ids
and version counters, latest timestamps). Any write that can change the figure — by a service,
an import's bulk update or the admin — changes the fingerprint, so the next request recomputes;
nothing needs to remember to invalidate, and a change shows the moment it is committed."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.core.cache import cache
from django.db import connection

CACHE_SECONDS = 600


def table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def fingerprint(parts: list[tuple]) -> tuple:
    """One query: each part is (model, an aggregate over its table, e.g. "COUNT(*)" or
    "COALESCE(SUM(version),0)"[, a WHERE condition])."""
    sql = "SELECT " + ", ".join(
        f"(SELECT {part[1]} FROM {table(part[0])}{' WHERE ' + part[2] if len(part) > 2 else ''})"
        for part in parts
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return tuple(str(v) for v in cursor.fetchone())


def remember(name: str, key: tuple, inputs: tuple, compute: Callable, seconds: int = CACHE_SECONDS):
    """compute(), kept under `name`, `key` (scope, day …) and the fingerprint `inputs`."""
    digest = hashlib.sha1(repr((key, inputs)).encode()).hexdigest()
    cache_key = f"cg:{name}:{digest}"
    result = cache.get(cache_key)
    if result is None:
        result = compute()
        cache.set(cache_key, result, seconds)
    return result
