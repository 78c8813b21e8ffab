"""Helpers of the service pages."""

from __future__ import annotations

from campusgrid.core.pages import export, page_of, wants_export  # noqa: F401 (the pages import them from here)


def form_error(form, exc) -> None:
    """A service's refusal at the field it names (or at the top of the form)."""
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)
