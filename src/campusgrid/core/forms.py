"""Forms render through Django's form and widget templates, never hand-written
`<select>` loops: the `Bootstrap` mixin of a Form or ModelForm (`BootstrapForm` is a Form
with it; `bootstrap(form)` serves a FilterSet's form) gives each widget Bootstrap's class
and its label as aria-label, so `{{ form.field }}` is the whole control. Choices limited to the viewer's scope are set on the form field by whoever
builds the form (a FilterSet's __init__), so page and API agree."""

from __future__ import annotations

import html

from django import forms
from django.utils.safestring import mark_safe


def _css(widget) -> str:
    if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple | forms.RadioSelect):
        return "form-check-input"
    if isinstance(widget, forms.Select):
        return "form-select"
    return "form-control"


def bootstrap(form: forms.BaseForm, *, small: bool = False) -> forms.BaseForm:
    """Bootstrap's classes on every widget (`small`: the -sm sizes of a filter row), the
    label as aria-label and, on a text box, as placeholder. Idempotent."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.HiddenInput):
            continue
        css = _css(widget)
        wanted = [css] + ([f"{css}-sm"] if small and css != "form-check-input" else [])
        classes = widget.attrs.get("class", "").split()
        classes += [c for c in wanted if c not in classes]
        widget.attrs["class"] = " ".join(classes)
        if field.label:
            widget.attrs.setdefault("aria-label", str(field.label))
            if type(widget) is forms.TextInput:
                widget.attrs.setdefault("placeholder", str(field.label))
    return form


class Bootstrap:
    """A Form's or ModelForm's mixin: `bootstrap()` on every widget, and once the form is
    validated `is-invalid` on the widgets of the fields that have errors."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                classes = widget.attrs.get("class", "").split()
                if "is-invalid" not in classes:
                    widget.attrs["class"] = " ".join([*classes, "is-invalid"])


class BootstrapForm(Bootstrap, forms.Form):
    pass


def select_choices(empty_label: str, values) -> list[tuple[str, str]]:
    """Choices for a select rendered over a CharFilter: (value, label) pairs or plain values,
    after one empty choice that means 'all'."""
    pairs = [v if isinstance(v, tuple) else (str(v), str(v)) for v in values]
    return [("", empty_label), *pairs]


def picker_form(*, auto_id: str | bool = False, small: bool = True, **fields) -> forms.Form:
    """A row of selects a page picks what it shows with (党支部, 学期, 议题 …), the choice
    the view settled on selected: each keyword is `name=(label, choices, selected)`, the
    choices already limited to the viewer's scope. `{{ form.name }}` draws the select."""
    form = forms.Form(auto_id=auto_id, initial={name: spec[2] for name, spec in fields.items()})
    for name, (label, choices, _selected) in fields.items():
        form.fields[name] = forms.ChoiceField(label=label, choices=list(choices), required=False)
    return bootstrap(form, small=small)


def put_errors(form: forms.BaseForm, exc) -> None:
    """A service's refusal (`ServiceError`) on the form: each problem it names at its field
    (one, or every field of a form checked at once), a problem of no field of the form at the
    form's top."""
    for field, message in (exc.errors or {None: exc.message}).items():
        form.add_error(field if field in form.fields else None, message)


class LongSelect(forms.Select):
    """A select of many plain choices (every class of a college: hundreds), drawn as Django's
    Select draws it — the same `<select>` and attributes through the widget template, the same
    `<option>`s, the same one selected — but with the options joined in Python: the stock
    widget renders a template include per option, which on a list page costs more than the
    rows. Flat choices only (no optgroups), as a filter row has."""

    template_name = "core/widgets/long_select.html"

    def get_context(self, name, value, attrs):
        context = forms.Widget.get_context(self, name, value, attrs)
        chosen = set(context["widget"]["value"])
        parts, selected = [], False
        for option_value, label in self.choices:
            option_value = "" if option_value is None else str(option_value)
            mark = not selected and option_value in chosen
            selected = selected or mark
            parts.append(
                f'\n  <option value="{_escape(option_value)}"{" selected" if mark else ""}>{_escape(label)}</option>\n'
            )
        context["widget"]["options_html"] = mark_safe("".join(parts))
        return context


def _escape(text) -> str:
    """conditional_escape() without its per-call overhead (the same output)."""
    return text.__html__() if hasattr(text, "__html__") else html.escape(str(text))
