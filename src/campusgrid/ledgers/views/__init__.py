"""The ledger pages: server-rendered, phone first; one URL renders the page or,
for htmx, the fragment it needs."""

from .holiday import (
    holiday_depart,
    holiday_ledger,
    holiday_list,
    holiday_open,
    holiday_register,
    holiday_return,
    holiday_window,
)
from .inspections import (
    finding_detail,
    finding_list,
    finding_photo,
    inspection_list,
    inspection_new,
    inspection_room,
    inspection_round,
    ratings,
)
from .leave import leave_act, leave_detail, leave_list, leave_new
from .night import night_check, night_index, night_list, night_progress

__all__ = [
    "finding_detail",
    "finding_list",
    "finding_photo",
    "holiday_depart",
    "holiday_ledger",
    "holiday_list",
    "holiday_open",
    "holiday_register",
    "holiday_return",
    "holiday_window",
    "inspection_list",
    "inspection_new",
    "inspection_room",
    "inspection_round",
    "leave_act",
    "leave_detail",
    "leave_list",
    "leave_new",
    "night_check",
    "night_index",
    "night_list",
    "night_progress",
    "ratings",
]
