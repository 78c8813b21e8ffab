"""Encryption of sensitive text at rest (Fernet, keys from the environment).

The first key of settings.FIELD_ENCRYPTION_KEYS encrypts; all keys decrypt, so a
key is rotated by prepending a new one, running `campusgrid rotate_field_keys`,
then removing the old one. `digest()` gives a keyed hash for equality lookups
(e.g. duplicate ID numbers) without storing the value in clear.
"""

import functools
import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models

PREFIX = "enc1:"


@functools.cache
def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in settings.FIELD_ENCRYPTION_KEYS])


def reset_keys_cache() -> None:
    _fernet.cache_clear()
    _digest_key.cache_clear()


def encrypt(value: str) -> str:
    if value in (None, ""):
        return value
    return PREFIX + _fernet().encrypt(value.encode()).decode()


def decrypt(value: str) -> str:
    if not value or not value.startswith(PREFIX):
        return value
    try:
        return _fernet().decrypt(value[len(PREFIX) :].encode()).decode()
    except InvalidToken as exc:  # a wrong or removed key must not pass silently
        raise RuntimeError("无法解密敏感字段：加密密钥不匹配（检查 CAMPUSGRID_FIELD_KEYS）") from exc


def rotate(value: str) -> str:
    if not value or not value.startswith(PREFIX):
        return encrypt(value)
    return PREFIX + _fernet().rotate(value[len(PREFIX) :].encode()).decode()


@functools.cache
def _digest_key() -> bytes:
    # Derived from the secret key, so it survives field-key rotation.
    return hashlib.sha256(("campusgrid-digest:" + settings.SECRET_KEY).encode()).digest()


def digest(value: str) -> str:
    if not value:
        return ""
    return hmac.new(_digest_key(), value.encode(), hashlib.sha256).hexdigest()[:32]


class EncryptedTextField(models.TextField):
    """A text column that holds ciphertext; Python sees the clear text."""

    description = "Encrypted text"

    def from_db_value(self, value, expression, connection):
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "" or str(value).startswith(PREFIX):
            return value
        return encrypt(str(value))
