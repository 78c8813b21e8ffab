"""Notifications: in-app, private; group-robot webhooks with retry against a local server."""

import datetime as dt
import http.server
import json
import threading

import pytest
from django.urls import reverse

from campusgrid.core import clock
from campusgrid.notifications import services
from campusgrid.notifications.models import Delivery, Notification, WebhookEndpoint
from campusgrid.reports import services as report_services

pytestmark = pytest.mark.django_db


class Robot(http.server.BaseHTTPRequestHandler):
    """A local WeCom-style group robot: answers errcode 0, or fails while `failing`."""

    received: list = []
    failing = False

    def do_POST(self):  # noqa: N802 - http.server API
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if Robot.failing:
            self.send_response(500)
            self.end_headers()
            self.wfile.write(b"down")
            return
        Robot.received.append(json.loads(body))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"errcode": 0, "errmsg": "ok"}')

    def log_message(self, *args):
        pass


@pytest.fixture
def robot():
    Robot.received = []
    Robot.failing = False
    server = http.server.HTTPServer(("127.0.0.1", 0), Robot)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/cgi-bin/webhook/send?key=test"
    server.shutdown()


@pytest.fixture(autouse=True)
def _no_background_delivery(settings):
    settings.CAMPUSGRID_DELIVER_ON_COMMIT = False


def _report(world):
    return report_services.report_create(
        actor=world.dorm_head.user,
        category="安全隐患",
        severity="normal",
        description="张三的插线板冒烟",
        students=[world.student],
    )


def test_webhook_message_carries_no_personal_data(world, robot):
    WebhookEndpoint.objects.create(college=world.college_a, kind="wecom", name="化工学院群", url=robot)
    _report(world)
    assert services.deliver_due() == 1
    text = Robot.received[0]["text"]["content"]
    assert "张三" not in text and "A1002" not in text and "插线板" not in text
    assert "/reports/" in text
    assert Delivery.objects.get().status == Delivery.Status.SENT


def test_other_colleges_robots_are_not_told(world, robot):
    WebhookEndpoint.objects.create(college=world.college_b, kind="wecom", name="机械学院群", url=robot)
    _report(world)
    assert not Delivery.objects.exists()


def test_failing_robot_is_retried_then_given_up_and_never_blocks(world, robot):
    WebhookEndpoint.objects.create(
        college=world.college_a, kind="dingtalk", name="钉钉群", url=robot, secret="SEC"
    )
    Robot.failing = True
    report = _report(world)  # the action itself succeeds while the robot is down
    assert report.pk
    delivery = Delivery.objects.get()
    now = clock.now()
    assert services.deliver_due(now) == 0
    delivery.refresh_from_db()
    assert (
        delivery.status == Delivery.Status.PENDING
        and delivery.attempts == 1
        and "HTTP" in delivery.last_error
    )
    assert services.deliver_due(now) == 0  # not due again yet
    Robot.failing = False
    assert services.deliver_due(now + dt.timedelta(minutes=2)) == 1
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENT and delivery.attempts == 2
    # A robot that stays down is given up after the last attempt, and the failure is kept.
    Robot.failing = True
    _report(world)
    later = now
    for _ in range(10):
        later += dt.timedelta(hours=2)
        services.deliver_due(later)
    failed = Delivery.objects.get(status=Delivery.Status.FAILED)
    assert failed.attempts == services.MAX_ATTEMPTS and failed.last_error


def test_dingtalk_signing(world):
    url = services._dingtalk_signed("https://oapi.dingtalk.com/robot/send?access_token=x", "SECret")
    assert "timestamp=" in url and "sign=" in url


def test_notifications_are_private(world, login, api):
    _report(world)
    note = Notification.objects.get(user=world.monitor.user)
    assert note.title in login(world.monitor).get(reverse("notifications:list")).content.decode()
    assert login(world.counselor).get(reverse("notifications:list")).content.decode().count(note.title) == 0
    assert login(world.counselor).post(reverse("notifications:open", args=[note.pk])).status_code == 404
    response = login(world.monitor).post(reverse("notifications:open", args=[note.pk]))
    assert response.status_code == 302 and "/reports/" in response["Location"]
    note.refresh_from_db()
    assert note.read_at is not None
    assert api(world.counselor).get("/api/v1/notifications/").json()["count"] == 0
    assert api(world.monitor).get("/api/v1/notifications/").json()["count"] == 1
    login(world.monitor).post(reverse("notifications:read-all"))
    assert api(world.monitor).post("/api/v1/notifications/read-all/").json()["marked"] == 0


def test_unread_badge_in_navigation(world, login):
    _report(world)
    page = login(world.monitor).get("/").content.decode()
    assert "通知" in page and 'badge rounded-pill text-bg-danger">1<' in page
