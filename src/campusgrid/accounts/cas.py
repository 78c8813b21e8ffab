"""CAS (统一身份认证) sign-in: the authentication backend and the attribute whitelist.

django-cas-ng's view and python-cas's client validate the ticket; this backend decides who
that is. It only ever signs in an *existing* account whose 学号 or 工号 is the CAS user name,
never creates one, never touches is_staff / is_superuser, and copies only the attributes of
CAMPUSGRID_CAS_ATTRIBUTE_MAP onto the account. Why a sign-in was refused is left on the
request for the view's Chinese page."""

from __future__ import annotations

import dataclasses
import json
import logging
from xml.etree.ElementTree import ParseError

import requests
from cas import CASError
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Q
from django_cas_ng.backends import CASBackend
from django_cas_ng.utils import get_cas_client

from campusgrid.core.auth import Backend as LocalBackend

from .config import CAS_FIELDS

log = logging.getLogger("campusgrid.accounts")


@dataclasses.dataclass(frozen=True)
class Refusal:
    """Why CAS sign-in did not happen; `code` picks the page's wording."""

    code: str  # invalid_ticket | unknown_user | inactive | no_username | unreachable | ambiguous
    cas_user: str = ""


def refusal_of(request) -> Refusal | None:
    return getattr(request, "_campusgrid_cas_refusal", None)


def _refuse(request, code: str, cas_user: str = "") -> None:
    if request is not None:
        request._campusgrid_cas_refusal = Refusal(code, cas_user)
    log.info("CAS sign-in refused: %s %s", code, cas_user)


def normalise_attributes(raw: dict | None) -> dict[str, list[str]]:
    """Every attribute as a list of non-empty strings. python-cas gives a string for a single
    value and a list for a repeated element; some schools send JSON strings instead
    (`["学生","团员"]`, or one element holding a JSON object of attributes)."""
    out: dict[str, list[str]] = {}
    nested: dict[str, list[str]] = {}
    for name, value in (raw or {}).items():
        values = value if isinstance(value, list) else [value]
        for item in values:
            if item is None:
                continue
            item = str(item).strip()
            decoded = _json(item)
            if isinstance(decoded, dict):
                for key, inner in decoded.items():
                    inner_values = inner if isinstance(inner, list) else [inner]
                    nested.setdefault(str(key), []).extend(
                        str(v).strip() for v in inner_values if v is not None and not isinstance(v, dict)
                    )
                continue
            if isinstance(decoded, list):
                out.setdefault(name, []).extend(
                    str(v).strip() for v in decoded if v is not None and not isinstance(v, (dict, list))
                )
            elif isinstance(decoded, str):
                out.setdefault(name, []).append(decoded.strip())
            else:
                out.setdefault(name, []).append(item)
    for key, values in nested.items():
        out.setdefault(key, values)  # an attribute of its own wins over one inside a JSON blob
    return {k: [v for v in vs if v] for k, vs in out.items() if any(vs)}


def _json(text: str):
    if not text or text[0] not in '[{"':
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


def first(attributes: dict[str, list[str]], name: str) -> str:
    values = attributes.get(name) or []
    return values[0] if values else ""


def apply_whitelist(user, attributes: dict[str, list[str]]) -> list[str]:
    """Copy the mapped attributes onto the account; returns the fields that changed."""
    changed = []
    for attribute, field in settings.CAMPUSGRID_CAS_ATTRIBUTE_MAP.items():
        value = first(attributes, attribute)
        if not value:
            continue
        target = CAS_FIELDS[field]
        if field == "name":
            value = value[:150]
        elif field == "email":
            try:
                validate_email(value)
            except ValidationError:
                continue
        if getattr(user, target) != value:
            setattr(user, target, value)
            changed.append(target)
    if changed:
        user.save(update_fields=changed)
    return changed


def account_for(cas_user: str):
    """The account whose 学号 or 工号 is `cas_user`: a list of 0, 1 or (a clash) 2 users."""
    User = get_user_model()
    return list(
        User.objects.filter(Q(student__student_no=cas_user) | Q(staff__staff_no=cas_user))
        .select_related("student", "staff")
        .distinct()[:2]
    )


class Backend(CASBackend):
    """django-cas-ng's backend with our matching rules (see the module docstring)."""

    def authenticate(self, request, ticket, service):
        client = get_cas_client(service_url=service, request=request)
        try:
            cas_user, raw_attributes, _pgtiou = client.verify_ticket(ticket)
        except (requests.RequestException, ParseError, CASError, IndexError, AttributeError) as exc:
            # IndexError/AttributeError: python-cas on an empty or unexpected XML document.
            log.warning("CAS ticket validation failed: %s: %s", type(exc).__name__, exc)
            _refuse(request, "unreachable")
            return None
        attributes = normalise_attributes(raw_attributes)
        if cas_user is None and not attributes:
            _refuse(request, "invalid_ticket")  # INVALID_TICKET: bad, expired or already used
            return None
        if settings.CAS_USERNAME_ATTRIBUTE != "cas:user":
            cas_user = first(attributes, settings.CAS_USERNAME_ATTRIBUTE)
        cas_user = self.clean_username((cas_user or "").strip())
        if not cas_user:
            _refuse(request, "no_username")
            return None
        matches = account_for(cas_user)
        if len(matches) != 1:
            _refuse(request, "ambiguous" if matches else "unknown_user", cas_user)
            return None
        user = matches[0]
        if not self.user_can_authenticate(user):
            _refuse(request, "inactive", cas_user)
            return None
        apply_whitelist(user, attributes)
        return user

    def get_user(self, user_id):
        # The same user loading as a local login (student and staff records joined).
        return LocalBackend().get_user(user_id)
