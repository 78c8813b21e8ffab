"""Every read of the service app that pages, the API, exports and panels share."""

from .sessions import (  # noqa: F401
    attendance_counts,
    attendance_for,
    attendance_sheet,
    audience_or_attendee,
    audience_staff,
    audience_students,
    classes_by_names,
    has_audience,
    hours_list,
    hours_of,
    in_audience,
    is_signed_up,
    my_hours,
    my_sessions,
    own_attendance,
    semester_choices,
    session_for_sign_in,
    session_get,
    session_list,
    volunteer_hours_ledger,
)
from .teams import default_college, team_get, team_list, team_members, team_sessions, team_totals  # noqa: F401
from .training import (  # noqa: F401
    post_training,
    requirement_list,
    training_records,
    training_status,
    untrained_by_class,
    untrained_everywhere,
    untrained_list,
)
