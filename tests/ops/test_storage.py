"""Uploads on shared storage: with CAMPUSGRID_STORAGE=s3 a report photo goes to the bucket
of an S3-compatible server (moto's S3 server on a loopback port, speaking the real S3
HTTP protocol) and is served from there through the scoped view."""

import io
import socket

import boto3
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from campusgrid.reports import services

pytestmark = pytest.mark.django_db


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def s3_server():
    from moto.server import ThreadedMotoServer

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    client = boto3.client(
        "s3", endpoint_url=endpoint, aws_access_key_id="k", aws_secret_access_key="s", region_name="us-east-1"
    )
    client.create_bucket(Bucket="campusgrid")
    yield endpoint, client
    server.stop()


def test_report_photos_live_in_the_bucket(world, login, settings, s3_server):
    endpoint, client = s3_server
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": "campusgrid",
                "endpoint_url": endpoint,
                "access_key": "k",
                "secret_key": "s",
                "region_name": "us-east-1",
                "location": "campusgrid",
                "default_acl": "private",
                "file_overwrite": False,
                "addressing_style": "path",
            },
        },
    }
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "red").save(buffer, "PNG")
    report = services.report_create(
        actor=world.dorm_head.user,
        category="安全隐患",
        severity="normal",
        description="插线板老化",
        students=[world.student],
        photos=[SimpleUploadedFile("插线板.png", buffer.getvalue(), content_type="image/png")],
    )
    photo = report.photos.get()
    keys = [o["Key"] for o in client.list_objects_v2(Bucket="campusgrid").get("Contents", [])]
    assert keys == [f"campusgrid/{photo.file.name}"]
    stored = client.get_object(Bucket="campusgrid", Key=keys[0])["Body"].read()
    url = reverse("reports:photo", args=[report.pk, photo.pk])
    served = login(world.counselor).get(url)
    assert served.status_code == 200 and b"".join(served.streaming_content) == stored
    assert login(world.counselor_b).get(url).status_code == 404
