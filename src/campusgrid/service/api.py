"""The service app's REST API under /api/v1/service/… (every viewset on core.api's scoped base)."""

from . import api_more


def register(router) -> None:
    api_more.register(router)  # pairing, 舆情, visits
