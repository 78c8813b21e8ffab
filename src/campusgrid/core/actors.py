"""The system as an actor: `tick` and the rules that make or withdraw records act
as `SYSTEM`, never as `actor=None`. Policies recognise it by identity
(`actor is SYSTEM`): a system row of a workflow table admits only it, and no
human row admits it, so "no actor" can never mean "allowed everything"."""

from __future__ import annotations


class SystemActor:
    """Not a user: no primary key, never authenticated, never in anyone's scope."""

    pk = None
    id = None
    is_authenticated = False
    is_active = False
    is_superuser = False
    name = "系统"

    def __repr__(self) -> str:
        return "SYSTEM"

    def __str__(self) -> str:
        return self.name

    def __bool__(self) -> bool:
        # Truthy on purpose: `if actor:` must not treat the system as "nobody".
        return True


SYSTEM = SystemActor()


def is_system(actor) -> bool:
    return actor is SYSTEM


def require_actor(actor) -> None:
    """Guarded services call this first: `actor=None` is a programming error (it used to
    mean "the system, allowed everything"), so it fails loudly instead of passing every check."""
    if actor is None:
        raise TypeError(
            "actor=None is not allowed: pass the acting user, or core.actors.SYSTEM for system work"
        )


def as_user(actor):
    """For a user foreign key (appointed_by, created_by …): the system is no user, so None."""
    return None if actor is SYSTEM else actor
