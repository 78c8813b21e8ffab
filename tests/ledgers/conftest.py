"""Ledger fixtures: a semester around the test dates, a clock at 21:30 on a
school night, image uploads."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from campusgrid.org.models import Holiday, Semester

NIGHT = dt.date(2025, 11, 3)  # a Monday in the autumn semester


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


@pytest.fixture
def term(db):
    semester = Semester.objects.create(
        name="2025-2026学年第一学期", start=dt.date(2025, 9, 1), end=dt.date(2026, 1, 17)
    )
    national_day = Holiday.objects.create(
        semester=semester, name="国庆节", start=dt.date(2025, 10, 1), end=dt.date(2025, 10, 7)
    )
    new_year = Holiday.objects.create(
        semester=semester, name="元旦", start=dt.date(2026, 1, 1), end=dt.date(2026, 1, 3)
    )
    return {"semester": semester, "national_day": national_day, "new_year": new_year}


@pytest.fixture
def evening(travel, term):
    """21:30 on a school night: the night check is open."""
    return travel(at(NIGHT, 21, 30))


def png(name="hazard.png", size=(8, 8)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture(autouse=True)
def _fresh_ledger_settings():
    """The settings row is cached in the process; a rolled-back test must not leak its values."""
    from campusgrid.ledgers import models

    models.forget_settings()
    yield
    models.forget_settings()
