"""Issue 12 item 6: every form page opens its errors with one summary at the top that
links to each field (one shared include, `{% form_errors form %}`); the photo limits
are told to the browser so that it can check before uploading."""

import pathlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from campusgrid.reports.models import Category, Report

pytestmark = pytest.mark.django_db
SRC = pathlib.Path(__file__).resolve().parents[2] / "src" / "campusgrid"


def test_a_rejected_photo_is_summarised_at_the_top_with_a_link_to_the_field(world, login):
    big = SimpleUploadedFile("big.jpg", b"\xff\xd8" + b"0" * (6 * 1024 * 1024), content_type="image/jpeg")
    response = login(world.dorm_head).post(
        reverse("reports:new"),
        {
            "category": Category.objects.get(name="违章电器").pk,
            "severity": "normal",
            "students": ["A1002"],
            "description": "发现电热锅",
            "photos": [big],
        },
    )
    text = response.content.decode()
    assert response.status_code == 200 and not Report.objects.exists()
    summary = text.index('id="form-errors"')
    assert summary < text.index('name="category"')  # above the first field
    box = text[summary : text.index("</div>", summary)]
    assert 'href="#id_photos"' in box and "超过5MB" in box
    # The browser is told the limits (static/campusgrid/forms.js checks them).
    assert 'data-max-bytes="5242880"' in text and "campusgrid/forms.js" in text


def _templates():
    return [p for p in SRC.rglob("*.html") if "templates" in p.parts]


def test_every_form_page_uses_the_shared_error_summary():
    """No form page writes its own error box: each uses `{% form_errors %}`."""
    own = []
    for path in _templates():
        text = path.read_text()
        if "non_field_errors" in text and path.name != "form_errors.html":
            own.append(str(path.relative_to(SRC)))
    assert not own, own
    users = [p for p in _templates() if "{% form_errors" in p.read_text()]
    assert len(users) >= 15
    js = (SRC / "static" / "campusgrid" / "forms.js").read_text()
    assert "innerHTML" not in js and "textContent" in js
