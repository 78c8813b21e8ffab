"""The dashboards app's models, one module a sub-domain; import them from here."""

from .appraisal import Appraisal, AppraisalSettings, AppraisalState, Grade  # noqa: F401
from .honours import ClassHonour, HonourKind, HonourSettings, HonourState  # noqa: F401
from .report import RunState, SemesterReportRun  # noqa: F401 - the semester report
