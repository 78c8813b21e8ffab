"""The party app's models, one module a sub-domain; import them from here."""

from .assess import Assessment, AssessmentKind  # noqa: F401
from .awards import DEFAULT_QUOTAS, HOLDING_STATES, Award, AwardKind, AwardQuota, AwardState  # noqa: F401
from .meetings import BranchMeeting, MeetingDecision, MeetingQuarterFlag, OpinionItem  # noqa: F401
