"""The dashboards app's REST API under /api/v1/dashboards/… (every viewset on core.api's scoped base)."""


def register(router) -> None:
    from . import api_appraisal

    api_appraisal.register(router)
