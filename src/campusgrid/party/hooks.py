"""What the party app plugs into the rest: navigation, home panels (render functions in
panels.py), student-page sections, `tick` jobs, demo steps. One register(), called from
the app's ready()."""

from __future__ import annotations


def register() -> None:
    from . import hooks_assess

    hooks_assess.register()  # assessments, awards, meetings (party-assess)
