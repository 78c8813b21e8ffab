"""The service app's models, one module a sub-domain; import them from here."""

from .sessions import (  # noqa: F401
    ATTENDED,
    Attendance,
    AttendanceHow,
    AttendanceStatus,
    HoursCredit,
    HoursKind,
    Session,
    SessionKind,
    SessionPost,
    Signup,
)
from .teams import TeamMember, VolunteerTeam  # noqa: F401
from .training import TrainingReminder, TrainingRequirement  # noqa: F401
