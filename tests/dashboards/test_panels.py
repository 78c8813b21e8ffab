"""Every figure on every home panel opens the list of exactly the rows it counts (issue 15
item 1): for a leader, a counselor and the university office (on its own landing and on a
college it opens with ?college=), each figure's link is followed and the list's row count
must equal the figure. Parametrised over the registered panels, so a new panel joins."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client

from campusgrid.core.figures import Figure, figures_in
from campusgrid.core.registry import PANELS

PERSONAS = ["leader", "counselor", "office", "office-in-college"]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """A small demo university (every app's demo step: reports, night checks, leave, holidays,
    hazards, key students…), built once for the module and rolled back after it."""
    from campusgrid.core import clock
    from campusgrid.demo.bench import personas

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("demo", "--students", "400", "--seed", "7", stdout=io.StringIO())
            cast = personas()
            yield cast
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            clock.set_now(None)


def _client(demo, persona: str) -> tuple[Client, str]:
    who = "office" if persona.startswith("office") else persona
    client = Client()
    client.force_login(demo[who])
    home = "/" + (f"?college={demo['college'].pk}" if persona == "office-in-college" else "")
    return client, home


def rows_of(client: Client, url: str) -> int:
    """The row count of the list a figure opens: the page's paginator, the data rows of a
    ledger export (the first column of a data row is its 序号), or the party board's open
    files (a board of stage columns, not a paged list: its `total`)."""
    response = client.get(url)
    assert response.status_code == 200, url
    if response["Content-Type"].startswith("application/vnd.openxmlformats"):
        import openpyxl

        content = b"".join(response.streaming_content) if response.streaming else response.content
        sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True).active
        return sum(1 for row in sheet.iter_rows(values_only=True) if isinstance(row[0], int))
    if "page" not in response.context and "columns" in response.context:
        return response.context["total"]
    return response.context["page"].paginator.count


def panel_figures(client: Client, home: str, key: str) -> list[Figure] | None:
    response = client.get(home)
    assert response.status_code == 200
    for panel in response.context["panels"]:
        if panel["key"] == key:
            return figures_in(panel["context"])
    return None


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("key", [p.key for p in PANELS])
def test_every_figure_equals_the_rows_of_its_list(demo, db, persona, key):
    client, home = _client(demo, persona)
    figures = panel_figures(client, home, key)
    if figures is None:
        pytest.skip(f"{key} is not shown to {persona}")
    wrong = []
    for f in figures:
        listed = rows_of(client, f.url)
        if listed != f.count:
            wrong.append(f"{f.label}: figure {f.count}, list {listed} ({f.url})")
    assert not wrong, "\n".join(wrong)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_sees_figures_that_count_something(demo, db, persona):
    """The comparison above is not vacuous: every persona's landing has figures, some non-zero."""
    client, home = _client(demo, persona)
    response = client.get(home)
    figures = [f for panel in response.context["panels"] for f in figures_in(panel["context"])]
    assert len(figures) >= 3
    assert any(f.count for f in figures)
    html = response.content.decode()
    for f in figures:
        assert f'href="{f.url}"'.replace("&", "&amp;") in html or f'href="{f.url}"' in html
