"""The grouped menu (issue 15): a leader's ~45 items under a few groups, no group drawn empty,
the current page's group open, a short menu left flat, and every link one the user may open."""

import re

import pytest
from django.urls import reverse

from campusgrid.core import context_processors
from campusgrid.core.registry import NAV_GROUPS

pytestmark = pytest.mark.django_db

GROUP = re.compile(
    r'<li class="nav-item nav-group" data-nav-group="(?P<key>[a-z]+)">\s*<button[^>]*>'
    r'<i class="bi [^"]+"></i> (?P<label>[^<]+)<i[^>]*></i></button>\s*'
    r'<div class="collapse(?P<show> show)?" id="nav-group-(?P=key)"><div[^>]*>(?P<body>.*?)</div></div>\s*</li>',
    re.S,
)
LINK = re.compile(r'<a class="nav-link[^"]*" href="([^"]+)"')


def _nav(client, path="/") -> str:
    html = client.get(path).content.decode()
    return html.split('id="main-nav"', 1)[1].split("</ul>", 1)[0]


def _top_level(nav: str) -> list[str]:
    """The menu's top-level entries: each group once, each plain item once."""
    entries = []
    for block in re.split(r"\n\s*<li ", nav)[1:]:
        group = re.match(r'class="nav-item nav-group" data-nav-group="([a-z]+)"', block)
        entries.append(f"group:{group.group(1)}" if group else LINK.search(block).group(1))
    return entries


def test_a_leaders_menu_is_a_few_groups_none_of_them_empty(world, login):
    nav = _nav(login(world.leader))
    groups = {m["key"]: m for m in GROUP.finditer(nav)}
    labels = {g.key: g.label for g in NAV_GROUPS}
    assert {"report", "ledger", "grid", "dossier", "board", "admin"} <= set(groups)
    for key, match in groups.items():
        assert match["label"] == labels[key]
        assert len(LINK.findall(match["body"])) >= 2, key  # a group of one is drawn as its item
    assert nav.count('data-nav-group="') == len(groups)  # every group drawn is one the regex read
    top = _top_level(nav)
    assert len(top) <= 10, top
    assert top[:1] == [reverse("home")]
    assert len(LINK.findall(nav)) > 20  # every item is still there, under its group


def test_the_current_pages_group_is_open_and_the_others_closed(world, login):
    client = login(world.leader)
    nav = _nav(client, reverse("ledgers:night-list"))
    groups = {m["key"]: m for m in GROUP.finditer(nav)}
    assert groups["ledger"]["show"] and 'aria-current="page"' in groups["ledger"]["body"]
    assert not groups["grid"]["show"] and not groups["admin"]["show"]
    assert 'aria-expanded="true" aria-controls="nav-group-ledger"' in nav


@pytest.mark.parametrize("persona", ["leader", "counselor", "dorm_head", "monitor", "student", "office"])
def test_the_menu_draws_only_pages_the_user_may_open(world, term, login, persona):
    """Every link of the menu opens (a semester is running: without any semester the party
    desk's pages answer 404 while its items are drawn)."""
    client = login(world[persona])
    nav = _nav(client)
    links = LINK.findall(nav)
    assert links
    for href in links:
        response = client.get(href)
        assert response.status_code in (200, 302), (persona, href)
        assert not response.get("Location", "").startswith(reverse("login")), (persona, href)


def test_a_students_menu_is_flat_and_a_long_one_is_grouped(world, login, monkeypatch):
    nav = _nav(login(world.student))
    items = len(LINK.findall(nav))
    assert 2 <= items <= context_processors.FLAT_MENU_MAX, items
    assert "nav-group" not in nav and len(_top_level(nav)) == items  # one tap to each page
    client = login(world.student)
    items = len(LINK.findall(_nav(client)))
    monkeypatch.setattr(context_processors, "FLAT_MENU_MAX", items - 1)
    grouped = _nav(client)
    assert "nav-group" in grouped and len(LINK.findall(grouped)) == items
    assert all(len(LINK.findall(m["body"])) >= 2 for m in GROUP.finditer(grouped))
