"""Helpers of the assessment, award and meeting pages."""

from __future__ import annotations

from campusgrid.core.errors import ServiceError


def put_error(form, error: ServiceError) -> None:
    """A service's refusal at the field it names (or at the top), nothing the user typed lost."""
    field = error.field if error.field in getattr(form, "fields", {}) else None
    form.add_error(field, error.message)
