"""The service app's REST API under /api/v1/service/… (every viewset on core.api's scoped base)."""


def register(router) -> None:
    pass
