"""What the service app plugs into the rest: navigation, home panels (render functions in
panels.py), student-page sections, `tick` jobs, demo steps. One register(), called from
the app's ready()."""

from __future__ import annotations

from . import hooks_more


def register() -> None:
    hooks_more.register()  # pairing, 舆情, visits
