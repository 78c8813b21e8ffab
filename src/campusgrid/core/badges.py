"""Colours of state badges, declared beside each state enum (STYLE: one `state_badge`
tag draws every state). Decorate the TextChoices class:

    @badge_colours(reported="warning", accepted="primary", closed="secondary")
    class State(models.TextChoices): ...

and draw `{% state_badge report "state" %}` (a model instance and its field) anywhere.
Colours are Bootstrap's contextual names: primary, secondary, success, danger, warning,
info, light, dark. A value without a colour draws as "light"."""

from __future__ import annotations

COLOURS = frozenset({"primary", "secondary", "success", "danger", "warning", "info", "light", "dark"})

# (value, label) pairs of an enum -> {value: colour}; a model field's `choices` equals its
# enum's `choices`, which is how the tag finds the colours of a field.
_BY_CHOICES: dict[tuple, dict[str, str]] = {}


def badge_colours(**colours: str):
    def decorate(enum_cls):
        values = set(enum_cls.values)
        unknown = set(colours) - values
        if unknown:
            raise ValueError(f"{enum_cls.__name__}: no such states {sorted(unknown)}")
        bad = {c for c in colours.values() if c not in COLOURS}
        if bad:
            raise ValueError(f"{enum_cls.__name__}: unknown colours {sorted(bad)}")
        _BY_CHOICES[tuple(enum_cls.choices)] = dict(colours)
        return enum_cls

    return decorate


def colour_of(choices, value) -> str:
    return _BY_CHOICES.get(tuple(choices or ()), {}).get(value, "light")
