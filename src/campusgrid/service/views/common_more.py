"""Helpers of the pairing, 舆情 and visit pages."""

from campusgrid.core.pages import export, page_of, wants_export  # noqa: F401 (the pages import them from here)
