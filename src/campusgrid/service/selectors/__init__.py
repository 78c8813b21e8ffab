"""Every read of the service app that pages, the API, exports and panels share."""

from .opinion import (  # noqa: F401
    my_period,
    my_period_state,
    opinion_item_get,
    opinion_item_list,
    opinion_report_list,
    opinion_summary,
    special_period_list,
)
from .pairing import (  # noqa: F401
    difficulty_candidates,
    job_post_list,
    job_posts_for_me,
    my_pairings,
    outcome_rate,
    pairing_get,
    pairing_list,
)
from .sessions import (  # noqa: F401
    attendance_counts,
    attendance_for,
    attendance_sheet,
    audience_or_attendee,
    audience_staff,
    audience_students,
    classes_by_names,
    has_audience,
    hours_class_choice,
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
    volunteer_credits,
    volunteer_hours_by_class,
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
from .visits import (  # noqa: F401
    follow_up_get,
    my_visit_progress,
    semester_span,
    visit_get,
    visit_list,
    visit_progress,
)
