"""The party app's writes; each sub-domain in its own module, re-exported here."""

from .pipeline import (  # noqa: F401
    check_document,
    file_open,
    material_upload,
    meeting_record,
    meeting_schedule,
    step_record,
    vote_outcome,
    warnings_tick,
)

"""The party app's services, one module a sub-domain (import from the module: `services.assess`, …)."""
