"""Recording what services do."""

from django.db import models

from .actors import is_system
from .models import AuditEvent


def audit_record(*, actor, verb: str, target: models.Model | None, summary: str = "", **data) -> AuditEvent:
    """`target` None for an event about many rows (e.g. a retention run); its counts go in `data`.
    The system (`actor=SYSTEM`) is no user: its rows have no actor and say so in `data`."""
    if is_system(actor):
        data = {"actor": "system", **data}
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        verb=verb,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        summary=summary[:255],
        data=data,
    )


def audit_history(target: models.Model):
    return AuditEvent.objects.filter(
        target_type=target._meta.label_lower, target_id=str(target.pk)
    ).select_related("actor")
