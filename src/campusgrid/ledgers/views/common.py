"""Helpers of the ledger pages (the list-page ones are core's)."""

from campusgrid.core.pages import export, page_of, wants_export  # noqa: F401 (the pages import them from here)
from campusgrid.core.params import date_param  # noqa: F401 (the pages' name for it)
