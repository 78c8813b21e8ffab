"""The party app's reads; each sub-domain in its own module, re-exported here."""

from .pipeline import *  # noqa: F401,F403
from .pipeline import board, facts_of, file_get, file_list, file_view, file_views, leaves_on  # noqa: F401

"""The party app's selectors, one module a sub-domain (import from the module: `selectors.assess`, …)."""
