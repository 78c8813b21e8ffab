"""Helpers of the service pages."""

from __future__ import annotations

from campusgrid.core.pages import export, page_of, wants_export  # noqa: F401 (the pages import them from here)
