"""Query counts of the dashboards stay constant in rows (issue 15: "with query counts constant
in rows"): the home page (its figures), the dashboard page and every chart endpoint cost the
same number of queries for 3 and for 13 rooms of students with a night check, an absence, a
leave, a holiday registration, an inspection finding, a rating and a report each."""

import pytest
from django.urls import reverse

from campusgrid.core.registry import CHARTS
from campusgrid.reports import services as reports
from campusgrid.reports.models import Category
from tests.ledgers.conftest import term  # noqa: F401 (the ledgers fixture's semester)
from tests.ledgers.test_queries import count_queries, ledgers, populate  # noqa: F401

pytestmark = pytest.mark.django_db

# The home page gathers a panel from every app (issue 15, "a leader's first look is fast": was 42–49
# with the party, service and dashboards panels; 30–32 before them). Measured without a cache
# (DummyCache): every kept figure computed. The panels' report rows by id without prefetches.
HOME_BUDGETS = {"counselor": 28, "leader": 25, "office": 22}

PAGES = [
    ("home", lambda: reverse("home")),
    ("dashboard", lambda: reverse("dashboards:index")),
    *[(f"chart {c.key}", lambda key=c.key: reverse("dashboard-chart-detail", args=[key])) for c in CHARTS],
]


def add_rows(world, ledgers, start, count):  # noqa: F811
    populate(world, ledgers, start, count)
    category = Category.objects.order_by("id").first()
    for _ in range(count):
        reports.report_create(
            actor=world.dorm_head.user,
            category=category,
            severity="normal",
            description="门锁坏了",
            room=world.room_a1,
        )


@pytest.mark.parametrize("persona", ["counselor", "leader", "office"])
@pytest.mark.parametrize("label,url", PAGES, ids=[p[0] for p in PAGES])
def test_dashboards_cost_the_same_queries_for_3_and_13_rooms(world, login, ledgers, persona, label, url):  # noqa: F811
    client = login(world[persona])
    add_rows(world, ledgers, 0, 3)
    count_queries(client, url())  # warm caches (content types, sessions)
    few = count_queries(client, url())
    add_rows(world, ledgers, 3, 10)
    more = count_queries(client, url())
    assert few == more, f"{label}: {few} queries for 3 rooms, {more} for 13"
    assert more <= (HOME_BUDGETS[persona] if label == "home" else 18), f"{label}: {more} queries"
