"""Every read of the service app that pages, the API, exports and panels share."""

from .opinion import (  # noqa: F401
    my_period,
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
from .visits import follow_up_get, semester_span, visit_get, visit_list, visit_progress  # noqa: F401
