"""The party app's models, one module a sub-domain; import them from here."""

from .assess import Assessment, AssessmentKind  # noqa: F401
from .awards import DEFAULT_QUOTAS, HOLDING_STATES, Award, AwardKind, AwardQuota, AwardState  # noqa: F401
from .meetings import MeetingDecision, MeetingQuarterFlag, OpinionItem, WorkMeeting  # noqa: F401
from .pipeline import (  # noqa: F401
    REPEATABLE_STEPS,
    SENSITIVE_MATERIALS,
    BranchMeeting,
    DevelopmentFile,
    Material,
    MaterialKind,
    MeetingPurpose,
    MeetingState,
    MeetingVote,
    MemberDiscipline,
    Mentor,
    RuleVersion,
    Stage,
    Step,
    StepCode,
    WarningSent,
)
