"""Every write to the ledgers goes through these functions (actor first,
keyword-only); pages, the API, commands and `tick` call the same ones."""

from .holiday import (
    holiday_confirm_departure,
    holiday_confirm_return,
    holiday_flag_overdue,
    holiday_register,
    holiday_window_open,
)
from .inspections import (
    finding_add,
    finding_escalate_overdue,
    finding_recheck,
    inspection_record,
    inspection_round_create,
    rate_ended_semesters,
    room_ratings_compute,
)
from .leave import leave_cancel, leave_decide, leave_flag_overdue, leave_request, leave_return
from .night import leaves_covering, night_check_submit, night_flag_unchecked

__all__ = [
    "finding_add",
    "finding_escalate_overdue",
    "finding_recheck",
    "holiday_confirm_departure",
    "holiday_confirm_return",
    "holiday_flag_overdue",
    "holiday_register",
    "holiday_window_open",
    "inspection_record",
    "inspection_round_create",
    "leave_cancel",
    "leave_decide",
    "leave_flag_overdue",
    "leave_request",
    "leave_return",
    "leaves_covering",
    "night_check_submit",
    "night_flag_unchecked",
    "rate_ended_semesters",
    "room_ratings_compute",
]
