"""The ledgers (台账, SPEC §6 and §8): night checks, leave, holiday departures and
returns, safety and hygiene inspections, semester room ratings.

Names here are read by other apps (the key-student dossiers' early-warning rules),
so they are plain and kept stable:

- NightCheck(room, date) with NightCheckEntry(night_check, student, date, status, time);
  status is present | leave | late | absent.
- LeaveRequest(student, start, end, state, returned_at); overdue = approved, not
  returned (销假) and past `end`.
- HolidayWindow(holiday, school_class) opened by a counselor; HolidayRegistration(
  student, holiday, plan stay | leave, return_due, returned_at); overdue = plan leave,
  not returned and past `return_due`.
- InspectionRound → Inspection(round, room, hygiene_score) → Finding(item, deadline,
  state open | fixed | escalated); RoomRating(room, semester).

One module a sub-domain; import the models from here.
"""

# The original module's order, so that the models register (apps.get_models()) as before.
# isort: off
from .common import SETTINGS_TTL, LedgerSettings, _without_self, forget_settings  # noqa: F401
from .night import (  # noqa: F401
    NightCheck,
    NightCheckCorrection,
    NightCheckEntry,
    NightCheckEntryQuerySet,
    NightCheckFlag,
    NightCheckQuerySet,
    NightStatus,
)
from .leave import LeaveKind, LeaveRequest, LeaveRequestQuerySet, LeaveState  # noqa: F401
from .holiday import (  # noqa: F401
    HOLIDAY_BADGE,
    HOLIDAY_EARLY_DAYS,
    HOLIDAY_STATUS,
    HolidayPlan,
    HolidayRegistration,
    HolidayRegistrationQuerySet,
    HolidayStatus,
    HolidayWindow,
    HolidayWindowQuerySet,
    holiday_status_q,
)
from .inspections import (  # noqa: F401
    DEFAULT_ITEMS,
    EscalationReason,
    Finding,
    FindingQuerySet,
    FindingRecheck,
    FindingState,
    Inspection,
    InspectionItem,
    InspectionQuerySet,
    InspectionRound,
    InspectionRoundQuerySet,
    RoomRating,
    RoomRatingQuerySet,
    RoundKind,
    _finding_photo_path,
    ensure_default_items,
)
# isort: on
