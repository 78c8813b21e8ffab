"""The party pages; each sub-domain in its own module, re-exported here."""

from .pipeline import (  # noqa: F401
    assemblies,
    assembly_detail,
    board,
    file_detail,
    file_new,
    material_download,
    material_upload,
    register_pdf,
    step_record,
)
