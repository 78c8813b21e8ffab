"""Every write of the service app (actor first, keyword-only); pages, the API, commands and
`tick` call the same functions."""

from .codes import current_code  # noqa: F401
from .opinion import (  # noqa: F401
    opinion_flag_missing,
    opinion_item_add,
    opinion_item_escalate,
    opinion_report_nothing,
    special_period_create,
)
from .pairing import (  # noqa: F401
    employment_difficulty_mark,
    job_post_create,
    pairing_contact_add,
    pairing_create,
    pairing_flag_quiet,
    pairing_outcome_set,
)
from .sessions import (  # noqa: F401
    attendance_close,
    attendance_record,
    attendance_sign_in,
    hours_correct,
    hours_credit,
    session_create,
    session_end,
    session_record_served,
    signup_cancel,
    signup_create,
)
from .teams import team_create, team_member_add, team_member_remove  # noqa: F401
from .training import training_remind  # noqa: F401
from .visits import follow_up_to_report, follow_up_to_talk, visit_record  # noqa: F401
