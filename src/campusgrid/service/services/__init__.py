"""Every write of the service app goes through these modules (actor first, keyword-only);
pages, the API, commands and `tick` call the same functions."""

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
from .visits import follow_up_to_report, follow_up_to_talk, visit_record  # noqa: F401
