"""The API's scoped viewset bases (apart from core.api, which DRF's settings name for the
pagination class: importing DRF's viewsets there would import core.api within itself)."""

from rest_framework import mixins, viewsets

from .api import ScopedViewSetMixin


class ScopedReadViewSet(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """A scoped list and detail (`selector`, `selector_kwargs`); what writes is an `@action`
    that calls a service."""
