"""Admin of the service app (each part in its own module)."""

from . import admin_more  # noqa: F401  (pairing, 舆情, visits)
