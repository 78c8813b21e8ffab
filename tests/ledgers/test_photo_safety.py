"""Photos (issue 11.4): a 48 KB PNG of 20,000 × 20,000 pixels answered 500 and a
144-megapixel one was stored. Both are refused with a Chinese message (page and API,
report photos and inspection findings alike, through `reports.services.check_photo`),
and what is stored is re-encoded: upright, at most 2,560 px, without EXIF (no GPS)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import ExifTags, Image

from campusgrid.ledgers.models import Finding
from campusgrid.reports.models import Category, Report, ReportPhoto
from tests import hostile_files as h

from .test_inspections import inspection_of, morning, new_round  # noqa: F401 - morning is a fixture

pytestmark = pytest.mark.django_db


def _upload(name, data, content_type):
    return SimpleUploadedFile(name, data, content_type=content_type)


def _bomb():
    return _upload("bomb.png", h.png_bomb(20_000, 20_000), "image/png")  # 400 megapixels, ~50 KB


def _144mp():
    return _upload("big.png", h.png_bomb(12_000, 12_000), "image/png")


def _form(world, photo):
    category = Category.objects.get(name="安全隐患").pk
    return {
        "category": category,
        "severity": "normal",
        "students": ["A1002"],
        "description": "插线板冒烟",
        "photos": [photo],
    }


def test_the_bomb_files_are_small():
    assert len(h.png_bomb(20_000, 20_000)) < 100_000


@pytest.mark.parametrize("make", [_bomb, _144mp], ids=["400MP-bomb", "144MP"])
def test_the_report_page_and_api_refuse_huge_images(world, login, api, make):
    page = login(world.dorm_head).post(reverse("reports:new"), _form(world, make()))
    assert page.status_code == 200
    assert "超过 4000万像素 的上限" in page.content.decode()
    answer = api(world.dorm_head).post(
        "/api/v1/reports/",
        {
            "category": "安全隐患",
            "severity": "一般",
            "students": ["A1002"],
            "description": "插线板冒烟",
            "photos": [make()],
        },
        format="multipart",
    )
    assert answer.status_code == 400, answer.content
    assert "超过 4000万像素 的上限" in answer.json()["detail"]
    assert not Report.objects.exists()


def test_the_finding_api_refuses_the_bomb(world, api, morning):  # noqa: F811
    round_ = new_round(world)
    inspection = inspection_of(round_, world.room_a1)
    answer = api(world.counselor).post(
        f"/api/v1/inspections/{inspection.pk}/findings/",
        {"item": "违章电器", "description": "电热锅", "photo": _bomb()},
        format="multipart",
    )
    assert answer.status_code == 400, answer.content
    assert "像素" in answer.json()["detail"]
    assert not Finding.objects.exists()


def _stored(photo_file) -> Image.Image:
    photo_file.open("rb")
    try:
        image = Image.open(io.BytesIO(photo_file.read()))
        image.load()
        return image
    finally:
        photo_file.close()


def test_a_phone_photo_is_stored_without_its_gps_and_upright(world, login):
    # Orientation 6: the camera held sideways; the pixels are 1200 × 900, shown 900 × 1200.
    taken = h.jpeg_with_gps((1200, 900), orientation=6)
    assert Image.open(io.BytesIO(taken)).getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the input has GPS
    response = login(world.dorm_head).post(
        reverse("reports:new"), _form(world, _upload("IMG_0001.jpg", taken, "image/jpeg"))
    )
    assert response.status_code == 302
    photo = ReportPhoto.objects.get()
    image = _stored(photo.file)
    assert image.format == "JPEG" and photo.content_type == "image/jpeg"
    assert len(image.getexif()) == 0 and "exif" not in image.info
    assert image.size == (900, 1200)  # turned upright before the orientation tag was dropped
    assert photo.size == photo.file.size


def test_a_large_photo_is_scaled_down_and_a_png_stays_png(world, login):
    big = io.BytesIO()
    Image.new("RGBA", (5000, 2500), (0, 128, 255, 128)).save(big, "PNG")
    response = login(world.dorm_head).post(
        reverse("reports:new"), _form(world, _upload("screen.png", big.getvalue(), "image/png"))
    )
    assert response.status_code == 302
    photo = ReportPhoto.objects.get()
    image = _stored(photo.file)
    assert image.format == "PNG" and photo.content_type == "image/png" and photo.file.name.endswith(".png")
    assert image.size == (2560, 1280) and image.mode == "RGBA"


def test_a_finding_photo_is_re_encoded_too(world, api, morning):  # noqa: F811
    round_ = new_round(world)
    inspection = inspection_of(round_, world.room_a1)
    answer = api(world.counselor).post(
        f"/api/v1/inspections/{inspection.pk}/findings/",
        {
            "item": "违章电器",
            "description": "电热锅",
            "photo": _upload("a.jpg", h.jpeg_with_gps(), "image/jpeg"),
        },
        format="multipart",
    )
    assert answer.status_code == 201, answer.content
    finding = Finding.objects.get()
    image = _stored(finding.photo)
    assert len(image.getexif()) == 0 and finding.photo_type == "image/jpeg"
