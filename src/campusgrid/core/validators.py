"""Validators for Chinese personal data formats."""

import re

from django.core.exceptions import ValidationError

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID_RE = re.compile(r"^\d{17}[\dX]$")
_MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")


def id_number_check_digit(first17: str) -> str:
    """GB 11643-1999 check character for the first 17 digits."""
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def id_number_problem(value: str) -> str | None:
    """Why `value` is not a valid 18-digit resident ID number, or None when it is."""
    value = (value or "").strip().upper()
    if not _ID_RE.match(value):
        return "身份证号应为18位，前17位为数字，最后一位为数字或X"
    import datetime as dt

    try:
        dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return "身份证号中的出生日期无效"
    if id_number_check_digit(value[:17]) != value[17]:
        return "身份证号校验位不正确"
    return None


def validate_id_number(value: str) -> None:
    problem = id_number_problem(value)
    if problem:
        raise ValidationError(problem, code="id_number")


def normalize_id_number(value: str) -> str:
    return (value or "").strip().upper()


def mobile_problem(value: str) -> str | None:
    value = (value or "").strip()
    if not _MOBILE_RE.match(value):
        return "手机号应为11位，以1开头"
    return None


def validate_mobile(value: str) -> None:
    problem = mobile_problem(value)
    if problem:
        raise ValidationError(problem, code="mobile")


def mask_id_number(value: str) -> str:
    """110101199003071234 -> 110***********1234"""
    if not value:
        return ""
    if len(value) <= 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_phone(value: str) -> str:
    """13812345678 -> 138****5678"""
    if not value:
        return ""
    if len(value) <= 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]
