"""Helpers of the pairing, 舆情 and visit pages."""

from campusgrid.core.errors import ServiceError
from campusgrid.core.pages import export, page_of, wants_export  # noqa: F401 (the pages import them from here)


def put_errors(form, exc: ServiceError) -> None:
    """A service's refusal at the fields it names (all of them), or at the form's top."""
    errors = exc.errors or {None: exc.message}
    for field, message in errors.items():
        form.add_error(field if field in form.fields else None, message)
