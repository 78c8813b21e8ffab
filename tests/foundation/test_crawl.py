"""Every link a person is shown opens (issue 12 item 2): for every persona of the test
world, follow the same-site links breadth-first from `/` and fail on a 404 or a 5xx.

The world gets the records that draw the links people hit: submitted night checks
(最近提交, 查寝进度), a night-check absence report, a leave, an open holiday window.
The crawl is bounded per URL pattern (a few argument values, a few query strings each),
skips logout, the admin and the API, and does not parse file downloads."""

from __future__ import annotations

import collections
import datetime as dt
import html.parser
import urllib.parse

import pytest
from django.urls import Resolver404, resolve

from campusgrid.core.scoping import forget_scope
from campusgrid.ledgers import services as ledger_services

from ..ledgers.conftest import NIGHT, at
from ..world import PERSONAS

pytestmark = pytest.mark.django_db

SKIP_PREFIXES = ("/accounts/logout/", "/admin/", "/api/", "/static/", "/media/")
MAX_ARGS_PER_NAME = 3  # distinct argument values followed per URL name
MAX_QUERIES_PER_PATH = 2  # distinct query strings followed per path
MAX_PAGES = 400


class _Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def links_of(content: str) -> list[str]:
    parser = _Links()
    parser.feed(content)
    return parser.hrefs


@pytest.fixture
def crawl_world(world, term, travel):
    """The test world with the records behind the links of dashboards and progress pages."""
    from campusgrid.ledgers.models import LeaveRequest, LeaveState

    travel(at(NIGHT, 21, 30))
    ledger_services.night_check_submit(
        actor=world.dorm_head.user, room=world.room_a1, date=NIGHT, entries={"A1002": {"status": "absent"}}
    )
    ledger_services.night_check_submit(actor=world.dorm_head_mixed.user, room=world.room_mixed, date=NIGHT)
    ledger_services.night_check_submit(actor=world.dorm_head_b.user, room=world.room_b1, date=NIGHT)
    LeaveRequest.objects.create(
        student=world.student,
        start=at(NIGHT, 8),
        end=at(NIGHT + dt.timedelta(days=1), 20),
        reason="看病复查",
        state=LeaveState.APPROVED,
    )
    ledger_services.holiday_window_open(
        actor=world.counselor.user, holiday=term["new_year"], classes=[world.class_a1, world.class_a2]
    )
    return world


def _key(url: str) -> tuple[str, str]:
    parts = urllib.parse.urlsplit(url)
    return parts.path, "&".join(sorted(parts.query.split("&"))) if parts.query else ""


def crawl(client, user, start="/"):
    """Breadth-first over same-site links; returns {url: status} and {url: first page linking it}."""
    queue = collections.deque([start])
    seen = {_key(start)}
    per_name = collections.defaultdict(set)
    per_path = collections.defaultdict(set)
    statuses, referrer = {}, {}
    while queue and len(statuses) < MAX_PAGES:
        url = queue.popleft()
        forget_scope(user)
        response = client.get(url)
        statuses[url] = response.status_code
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        if "attachment" in response.get("Content-Disposition", ""):
            continue
        for href in links_of(response.content.decode()):
            parts = urllib.parse.urlsplit(urllib.parse.urljoin(url, href))
            if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
                continue
            path = parts.path
            if not path or path.startswith(SKIP_PREFIXES):
                continue
            target = path + (f"?{parts.query}" if parts.query else "")
            key = _key(target)
            if key in seen:
                continue
            try:
                match = resolve(path)
            except Resolver404:
                statuses[target] = 404
                referrer.setdefault(target, url)
                seen.add(key)
                continue
            args = tuple(match.args) + tuple(sorted(match.kwargs.items()))
            names = per_name[match.view_name]
            if args not in names and len(names) >= MAX_ARGS_PER_NAME:
                continue
            queries = per_path[path]
            if key[1] not in queries and len(queries) >= MAX_QUERIES_PER_PATH:
                continue
            names.add(args)
            queries.add(key[1])
            seen.add(key)
            referrer.setdefault(target, url)
            queue.append(target)
    return statuses, referrer


EXTRA = ["dorm_head_mixed", "monitor_a2", "activist_mixed", "monitor_b"]


@pytest.mark.parametrize("persona", PERSONAS + EXTRA)
def test_every_link_shown_to_a_persona_opens(crawl_world, client, persona):
    user = crawl_world[persona].user
    client.force_login(user)
    client.raise_request_exception = True
    statuses, referrer = crawl(client, user)
    assert len(statuses) > 3, statuses
    broken = {url: code for url, code in statuses.items() if code == 404 or code >= 500}
    assert not broken, "\n".join(
        f"{code} {url}  (linked from {referrer.get(url)})" for url, code in broken.items()
    )
