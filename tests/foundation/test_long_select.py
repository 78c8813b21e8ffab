"""core.forms.LongSelect (issue 17 item 2): a select of hundreds of choices (a leader's classes)
drawn without a template include per option, and drawn exactly as Django's Select draws it."""

import pytest
from django import forms
from django.utils.safestring import mark_safe

from campusgrid.core.forms import LongSelect, bootstrap, select_choices

CHOICES = [
    ("", "全部班级"),
    ("化工2401", "化工2401"),
    ('a<b"&', "x & <y> \"'"),
    ("7", "7"),
    ("7", "the same value again"),
    (None, mark_safe("<b>已转义</b>")),
]
ATTRS = {"class": "form-select form-select-sm", "aria-label": "班级", "id": "id_school_class"}


@pytest.mark.parametrize("value", [None, "", "化工2401", 'a<b"&', 7, "7", "missing", ["化工2401"]])
def test_it_draws_exactly_what_djangos_select_draws(value):
    expected = forms.Select(choices=CHOICES, attrs=ATTRS).render("school_class", value)
    assert LongSelect(choices=CHOICES, attrs=ATTRS).render("school_class", value) == expected


def test_it_escapes_values_and_labels_and_selects_one_option():
    html = LongSelect(choices=CHOICES).render("school_class", "7")
    assert '<option value="a&lt;b&quot;&amp;">x &amp; &lt;y&gt; &quot;&#x27;</option>' in html
    assert '<option value="7" selected>7</option>' in html
    assert '<option value="7">the same value again</option>' in html  # only the first is selected
    assert "<b>已转义</b>" in html  # a label already safe is not escaped twice
    assert html.count(" selected") == 1


def test_bootstrap_and_a_form_field_draw_it_like_any_select():
    form = forms.Form()
    form.fields["school_class"] = forms.CharField(
        label="班级", required=False, widget=LongSelect(choices=select_choices("全部班级", ["化工2401"]))
    )
    bootstrap(form, small=True)
    html = str(form["school_class"])
    assert html.startswith('<select name="school_class" class="form-select form-select-sm" aria-label="班级"')
    assert 'id="id_school_class"' in html and '<option value="" selected>全部班级</option>' in html
    assert isinstance(form.fields["school_class"].widget, forms.Select)  # bootstrap's form-select


def test_many_choices_cost_a_fraction_of_djangos_select():
    import time

    many = [("", "全部班级"), *[(f"化工{i}", f"化工{i}") for i in range(400)]]
    stock, light = forms.Select(choices=many), LongSelect(choices=many)
    assert light.render("c", "化工7") == stock.render("c", "化工7")

    def best(widget):
        times = []
        for _ in range(5):
            started = time.perf_counter()
            widget.render("c", "化工7")
            times.append(time.perf_counter() - started)
        return min(times)

    assert best(light) < best(stock) / 3
