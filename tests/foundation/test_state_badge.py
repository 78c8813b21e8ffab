"""One state_badge tag draws every state with the colours declared beside its enum."""

import pytest
from django.db import models
from django.template import Context, Template

from campusgrid.core.badges import badge_colours, colour_of


def test_colours_are_declared_beside_the_enum_and_found_by_the_field_choices():
    from campusgrid.reports.models import Report

    field = Report._meta.get_field("state")
    assert colour_of(field.choices, "reported") == "warning"
    assert colour_of(field.choices, "closed") == "secondary"


def test_an_unknown_state_or_colour_is_refused_at_import():
    with pytest.raises(ValueError, match="no such states"):

        @badge_colours(nonsense="warning")
        class A(models.TextChoices):
            ONE = "one", "一"

    with pytest.raises(ValueError, match="unknown colours"):

        @badge_colours(one="purple")
        class B(models.TextChoices):
            ONE = "one", "一"


def test_the_tag_draws_the_label_in_its_colour():
    from campusgrid.reports.models import Report

    report = Report(state="returned")
    html = Template('{% load cg %}{% state_badge report "state" %}').render(Context({"report": report}))
    assert 'class="badge text-bg-danger"' in html
    assert "退回补充" in html
    assert 'data-state="returned"' in html
