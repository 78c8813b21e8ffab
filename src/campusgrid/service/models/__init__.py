"""The service app's models, one module a sub-domain; import them from here."""

from .opinion import (  # noqa: F401
    Cadence,
    ItemKind,
    ItemSeverity,
    MissingFlag,
    OpinionItem,
    OpinionReport,
    OpinionSettings,
    PeriodKind,
    Source,
    SpecialPeriod,
)
from .pairing import ContactWay, JobPost, Outcome, Pairing, PairingContact, PairingSettings  # noqa: F401
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
from .visits import DEFAULT_TARGETS, FollowUp, TargetPer, TargetRole, Visit, VisitKind, VisitTarget  # noqa: F401
