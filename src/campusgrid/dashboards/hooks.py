"""What the dashboards app plugs into the rest: navigation, home panels (render functions in
panels.py), student-page sections, `tick` jobs, demo steps. One register(), called from
the app's ready()."""

from __future__ import annotations


def register() -> None:
    from . import hooks_appraisal

    hooks_appraisal.register()
    from . import hooks_report

    hooks_report.register()  # semester report
