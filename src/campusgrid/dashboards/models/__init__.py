"""The dashboards app's models, one module a sub-domain; import them from here."""

from .report import RunState, SemesterReportRun  # noqa: F401 - the semester report
