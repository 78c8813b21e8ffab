"""The party pages; each sub-domain in its own module, re-exported here."""

from .pipeline import (  # noqa: F401
    board,
    file_detail,
    file_new,
    material_download,
    material_upload,
    meeting_detail,
    meetings,
    register_pdf,
    step_record,
)
