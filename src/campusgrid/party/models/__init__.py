"""The party app's models, one module a sub-domain; import them from here."""

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
