"""The party app's REST API under /api/v1/party/… (every viewset on core.api's scoped base)."""


def register(router) -> None:
    from . import api_assess

    api_assess.register(router)  # assessments, awards, meetings (party-assess)
