"""Every write of the service app (actor first, keyword-only); pages, the API, commands and
`tick` call the same functions."""

from .codes import current_code  # noqa: F401
from .sessions import (  # noqa: F401
    attendance_close,
    attendance_record,
    attendance_sign_in,
    hours_correct,
    hours_credit,
    session_create,
    session_record_served,
    signup_cancel,
    signup_create,
)
from .teams import team_create, team_member_add, team_member_remove  # noqa: F401
from .training import training_remind  # noqa: F401
