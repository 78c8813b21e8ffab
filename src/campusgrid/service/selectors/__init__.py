"""Every read of the service app that pages, the API, exports and panels share."""

from .sessions import (  # noqa: F401
    attendance_for,
    attendance_sheet,
    audience_staff,
    audience_students,
    has_audience,
    hours_list,
    hours_of,
    in_audience,
    my_hours,
    my_sessions,
    own_attendance,
    session_get,
    session_list,
    volunteer_hours_ledger,
)
