"""Hardening (issue 11 items 5–7): malformed JSON bodies, errors as JSON, sign-in lockout,
API throttling and expiring tokens, idle sessions."""

import datetime as dt
import io
import json

import pytest
from axes.models import AccessAttempt
from django.core.cache import cache
from django.core.management import call_command
from django.db.models import F
from django.test import RequestFactory
from rest_framework.authtoken.models import Token

from campusgrid.core import clock
from campusgrid.core.api import ObjectJSONParser
from campusgrid.core.models import AuditEvent
from campusgrid.grid.models import Post, PostKind
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 10, 15, 0, tzinfo=dt.UTC)
NON_OBJECTS = ["true", "null", "3", "[]", '[{"reason": "x"}]', '"text"']


# --- malformed JSON bodies (11.5) -----------------------------------------------------------------


@pytest.mark.parametrize("body", NON_OBJECTS)
def test_ending_a_post_with_a_non_object_body_answers_400_in_chinese(world, api, body):
    post = Post.objects.filter(kind=PostKind.DORM_HEAD, student=world.dorm_head).get()
    response = api(world.counselor).post(
        f"/api/v1/posts/{post.pk}/end/", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert "JSON 对象" in response.json()["detail"]
    post.refresh_from_db()
    assert post.end_date is None  # nothing was written


def test_invalid_json_answers_400_in_chinese(world, api):
    post = Post.objects.filter(kind=PostKind.DORM_HEAD, student=world.dorm_head).get()
    response = api(world.counselor).post(
        f"/api/v1/posts/{post.pk}/end/", "{oops", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "请求体不是有效的 JSON。"}


def test_ending_a_post_validates_the_reason(world, api):
    post = Post.objects.filter(kind=PostKind.DORM_HEAD, student=world.dorm_head).get()
    response = api(world.counselor).post(
        f"/api/v1/posts/{post.pk}/end/", {"reason": "x" * 101}, format="json"
    )
    assert response.status_code == 400
    assert "reason" in response.json()
    response = api(world.counselor).post(f"/api/v1/posts/{post.pk}/end/", {"reason": "毕业"}, format="json")
    assert response.status_code == 200
    assert response.json()["end_reason"] == "毕业"


def _write_operations():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    for path, item in schema["paths"].items():
        for method in ("post", "put", "patch"):
            if method in item:
                yield method, path, "requestBody" in item[method]


WRITE_OPERATIONS = list(_write_operations())


def _fill(path: str, client) -> str:
    """The path with a real object in the caller's scope (the first of its list), so that
    the body is reached; unchanged when the list is empty."""
    for placeholder in ("{id}", "{student_no}"):
        if placeholder in path:
            listing = client.get(path.split(placeholder)[0])
            results = listing.json().get("results", []) if listing.status_code == 200 else []
            if results:
                path = path.replace(placeholder, str(results[0][placeholder.strip("{}")]))
    return path


def test_the_schema_lists_the_write_operations():
    assert len(WRITE_OPERATIONS) > 25
    assert ("post", "/api/v1/posts/{id}/end/", True) in WRITE_OPERATIONS


@pytest.mark.parametrize(("method", "path", "has_body"), WRITE_OPERATIONS)
def test_every_write_endpoint_refuses_a_non_object_json_body(world, api, method, path, has_body):
    client = api(world.office)
    filled = _fill(path, client)
    response = getattr(client, method)(filled, "true", content_type="application/json")
    assert response["Content-Type"].startswith("application/json")
    if not has_body:
        assert response.status_code < 500, (path, response.status_code)  # takes no body: ignores it
    elif "{" in filled:
        assert response.status_code == 404, (path, response.status_code)  # nothing of the kind in the world
    else:
        assert response.status_code == 400, (path, response.status_code, response.content[:300])
        assert "JSON 对象" in response.json()["detail"]


def test_every_viewset_parses_json_with_the_object_parser():
    from rest_framework.parsers import JSONParser

    from campusgrid.urls import router

    for prefix, viewset, _basename in router.registry:
        parsers = [p for p in viewset().get_parsers() if isinstance(p, JSONParser)]
        assert parsers, prefix
        assert all(isinstance(p, ObjectJSONParser) for p in parsers), prefix


def test_an_exception_inside_an_api_view_answers_json_500(world, api, monkeypatch):
    from campusgrid.notifications.api import NotificationViewSet

    def broken(self):
        raise RuntimeError("boom")

    monkeypatch.setattr(NotificationViewSet, "get_queryset", broken)
    client = api(world.counselor)
    client.raise_request_exception = False
    response = client.get("/api/v1/notifications/")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    assert "服务器内部错误" in response.json()["detail"]


def test_the_500_and_404_handlers_answer_json_under_api():
    from campusgrid import urls
    from campusgrid.core.views import page_not_found, server_error

    assert urls.handler500 == "campusgrid.core.views.server_error"
    assert urls.handler404 == "campusgrid.core.views.page_not_found"
    rf = RequestFactory()
    response = server_error(rf.get("/api/v1/reports/"))
    assert response.status_code == 500
    assert "服务器内部错误" in json.loads(response.content)["detail"]
    response = page_not_found(rf.get("/api/v1/nothing-here/"), None)
    assert response.status_code == 404
    assert json.loads(response.content)["detail"].startswith("未找到")
    assert server_error(rf.get("/students/"))["Content-Type"].startswith("text/html")


def test_a_session_api_write_without_csrf_answers_in_chinese(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.counselor.user)
    response = client.post("/api/v1/notifications/read-all/", {}, content_type="application/json")
    assert response.status_code == 403
    assert response.json() == {"detail": "CSRF 校验失败，请刷新页面后重试。"}


def test_an_unknown_api_path_answers_json_404(world, client):
    client.force_login(world.counselor.user)
    response = client.get("/api/v1/nothing-here/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")


# --- sign-in lockout (11.6) -----------------------------------------------------------------------


def _sign_in(client, username, password, ip="10.0.0.7"):
    return client.post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=ip, follow=False
    )


def test_the_sixth_wrong_password_locks_the_account_even_when_right(world, client):
    username = world.dorm_head.user.username
    for _ in range(4):
        response = _sign_in(client, username, "wrong-password")
        assert response.status_code == 200  # the form again, with the usual error
    assert _sign_in(client, username, "wrong-password").status_code == 429  # the fifth locks
    response = _sign_in(client, username, PASSWORD)
    assert response.status_code == 429
    text = response.content.decode()
    assert "登录失败次数过多" in text and "后再试" in text
    assert "_auth_user_id" not in client.session
    # Another account from the same address is not affected.
    assert _sign_in(client, world.monitor.user.username, PASSWORD).status_code == 302


def test_signing_in_to_another_account_does_not_clear_the_guessed_ones_failures(world, client):
    victim = world.dorm_head.user.username
    for _ in range(4):
        _sign_in(client, victim, "wrong-password")
    assert _sign_in(client, world.monitor.user.username, PASSWORD).status_code == 302  # own account
    client.logout()
    assert _sign_in(client, victim, "wrong-password").status_code == 429  # still the fifth


def test_the_lock_ends_after_the_cool_off(world, client):
    username = world.dorm_head.user.username
    for _ in range(5):
        _sign_in(client, username, "wrong-password")
    assert _sign_in(client, username, PASSWORD).status_code == 429
    # Axes counts in real time: age the failures by 31 minutes.
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - dt.timedelta(minutes=31))
    response = _sign_in(client, username, PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(world.dorm_head.user.pk)


def test_an_address_is_throttled_across_accounts(world, client, settings):
    settings.CAMPUSGRID_LOGIN_IP_FAILURE_LIMIT = 4
    for number in ("A9001", "A9002", "A9003", "A9004"):  # guessing through sequential 学号
        _sign_in(client, number, "123456", ip="10.0.0.9")
    assert _sign_in(client, world.monitor.user.username, PASSWORD, ip="10.0.0.9").status_code == 429
    assert _sign_in(client, world.monitor.user.username, PASSWORD, ip="10.0.0.10").status_code == 302


def test_the_admin_unlocks_an_account(world, client, django_user_model):
    username = world.dorm_head.user.username
    for _ in range(5):
        _sign_in(client, username, "wrong-password")
    assert AccessAttempt.objects.filter(username=username).exists()
    admin = django_user_model.objects.create_superuser("root", "root@example.edu.cn", "root-pass-123")
    client.force_login(admin)
    changelist = client.get("/admin/axes/accessattempt/")
    assert changelist.status_code == 200
    assert "解除锁定" in changelist.content.decode()
    ids = list(AccessAttempt.objects.filter(username=username).values_list("pk", flat=True))
    response = client.post(
        "/admin/axes/accessattempt/", {"action": "unlock", "_selected_action": ids}, follow=True
    )
    assert "已解除锁定" in response.content.decode()
    assert not AccessAttempt.objects.filter(username=username).exists()
    assert AuditEvent.objects.filter(verb="login_unlock", target_id=str(world.dorm_head.user.pk)).exists()
    client.logout()
    assert _sign_in(client, username, PASSWORD).status_code == 302


def test_axes_reset_username_unlocks_from_the_shell(world, client):
    username = world.dorm_head.user.username
    for _ in range(5):
        _sign_in(client, username, "wrong-password")
    call_command("axes_reset_username", username)
    assert _sign_in(client, username, PASSWORD).status_code == 302


def test_force_login_still_works(world, client):
    client.force_login(world.counselor.user)
    assert client.get("/").status_code == 200


# --- API throttling, tokens, schema (11.6) ---------------------------------------------------------


def test_api_requests_are_throttled_per_user(world, api, settings):
    # The throttle counts in the cache; the test settings' cache is a dummy (no state between
    # queries counted elsewhere), production's is a real one.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.CAMPUSGRID_THROTTLE_USER = "3/min"
    cache.clear()
    try:
        client = api(world.counselor)
        for _ in range(3):
            assert client.get("/api/v1/notifications/").status_code == 200
        response = client.get("/api/v1/notifications/")
        assert response.status_code == 429
        assert response.json()["detail"].startswith("请求过于频繁")
        assert api(world.leader).get("/api/v1/notifications/").status_code == 200  # per user
    finally:
        cache.clear()


def _token_client(key):
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_an_expired_token_answers_401_in_chinese(world, travel):
    travel(NOW)
    token = Token.objects.create(user=world.counselor.user)
    Token.objects.filter(pk=token.pk).update(created=NOW)
    assert _token_client(token.key).get("/api/v1/students/").status_code == 200
    travel(NOW + dt.timedelta(days=29, hours=23))
    assert _token_client(token.key).get("/api/v1/students/").status_code == 200
    travel(NOW + dt.timedelta(days=30))
    response = _token_client(token.key).get("/api/v1/students/")
    assert response.status_code == 401
    assert "令牌已过期" in response.json()["detail"]


def test_token_lifetime_is_configurable(world, travel, settings):
    settings.CAMPUSGRID_TOKEN_DAYS = 1
    travel(NOW)
    token = Token.objects.create(user=world.counselor.user)
    Token.objects.filter(pk=token.pk).update(created=NOW)
    travel(NOW + dt.timedelta(days=1, minutes=1))
    assert _token_client(token.key).get("/api/v1/students/").status_code == 401


def test_drf_create_token_still_makes_a_working_token(world):
    call_command("drf_create_token", world.counselor.user.username, stdout=io.StringIO())
    key = Token.objects.get(user=world.counselor.user).key
    assert _token_client(key).get("/api/v1/students/").status_code == 200


def test_the_owner_makes_and_revokes_a_token_on_the_profile_page(world, client):
    client.force_login(world.counselor.user)
    page = client.get("/me/")
    assert page.status_code == 200
    assert "没有 API 令牌" in page.content.decode()
    response = client.post("/me/", {"action": "create_token"})
    assert response.status_code == 200
    key = Token.objects.get(user=world.counselor.user).key
    text = response.content.decode()
    assert key in text and "只显示这一次" in text
    assert _token_client(key).get("/api/v1/students/").status_code == 200
    listed = client.get("/me/").content.decode()
    assert key not in listed and key[:4] in listed and "有效" in listed
    response = client.post("/me/", {"action": "revoke_token"})
    assert response.status_code == 302
    assert not Token.objects.filter(user=world.counselor.user).exists()
    revoked = _token_client(key).get("/api/v1/students/")
    assert revoked.status_code == 401
    assert AuditEvent.objects.filter(verb="api_token_revoke", actor=world.counselor.user).exists()


def test_regenerating_a_token_invalidates_the_old_one(world, client):
    client.force_login(world.counselor.user)
    client.post("/me/", {"action": "create_token"})
    old = Token.objects.get(user=world.counselor.user).key
    client.post("/me/", {"action": "create_token"})
    assert _token_client(old).get("/api/v1/students/").status_code == 401


def test_the_profile_page_shows_only_ones_own_token(world, client):
    other = Token.objects.create(user=world.leader.user)
    own = Token.objects.create(user=world.counselor.user)
    client.force_login(world.counselor.user)
    response = client.get("/me/")
    assert response.status_code == 200
    text = response.content.decode()
    assert f"{own.key[:4]}…{own.key[-4:]}" in text
    assert f"{other.key[:4]}…{other.key[-4:]}" not in text


def test_schema_and_docs_are_for_signed_in_users_only(world, client):
    assert client.get("/api/schema/").status_code in (401, 403)
    assert client.get("/api/docs/").status_code in (401, 403)
    client.force_login(world.student.user)
    assert client.get("/api/schema/").status_code == 200
    assert client.get("/api/docs/").status_code == 200


# --- idle sessions (11.7) -------------------------------------------------------------------------


def test_an_idle_session_ends_and_the_login_page_says_why(world, client, travel):
    travel(NOW)
    client.force_login(world.counselor.user)
    assert client.get("/").status_code == 200
    travel(NOW + dt.timedelta(minutes=31))
    response = client.get("/students/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert "idle=1" in response["Location"]
    assert "_auth_user_id" not in client.session
    login_page = client.get(response["Location"])
    assert "您已因长时间未操作而退出" in login_page.content.decode()


def test_activity_keeps_the_session_alive(world, client, travel):
    travel(NOW)
    client.force_login(world.counselor.user)
    for minutes in (20, 40, 60, 80, 100):
        travel(NOW + dt.timedelta(minutes=minutes))
        assert client.get("/").status_code == 200, minutes


def test_the_session_ends_twelve_hours_after_sign_in_whatever_the_activity(world, client, travel):
    travel(NOW)
    client.force_login(world.counselor.user)
    minutes = 0
    while minutes < 12 * 60:
        minutes += 25
        travel(NOW + dt.timedelta(minutes=minutes))
        response = client.get("/ping")
        if minutes <= 12 * 60:
            assert response.status_code == 200, minutes
    travel(NOW + dt.timedelta(hours=12, minutes=5))
    response = client.get("/ping")
    assert response.status_code == 302
    assert "idle=1" not in response["Location"]


def test_idle_timeout_is_configurable(world, client, travel, settings):
    settings.CAMPUSGRID_SESSION_IDLE_SECONDS = 5 * 60
    travel(NOW)
    client.force_login(world.counselor.user)
    client.get("/")
    travel(NOW + dt.timedelta(minutes=6))
    assert client.get("/").status_code == 302


def test_an_htmx_request_on_an_ended_session_redirects_the_whole_page(world, client, travel):
    travel(NOW)
    client.force_login(world.counselor.user)
    client.get("/")
    travel(NOW + dt.timedelta(minutes=31))
    response = client.get("/students/?q=A", HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith("/accounts/login/")
    # An htmx request without any session (login_required's redirect) is turned the same way.
    response = client.get("/students/?q=A", HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith("/accounts/login/")


def test_a_real_sign_in_sets_a_browser_session_cookie(world, client):
    response = _sign_in(client, world.counselor.user.username, PASSWORD)
    assert response.status_code == 302
    cookie = response.cookies["sessionid"]
    assert not cookie["max-age"] and not cookie["expires"]  # ends when the browser closes


def test_the_session_timestamps_use_the_project_clock(world, client, travel):
    travel(NOW)
    _sign_in(client, world.counselor.user.username, PASSWORD)
    from campusgrid.core.sessions import LAST_ACTIVITY, SIGNED_IN_AT

    assert client.session[SIGNED_IN_AT] == clock.now().timestamp()
    assert client.session[LAST_ACTIVITY] == NOW.timestamp()


# --- OpenAPI: query parameters and pages (11.9) ---------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "page=abc",
        "page=0",
        "page=-1",
        "page_size=abc",
        "page_size=0",
        "box=everything",
        "state=open",
        "level=x",
    ],
)
def test_junk_query_parameters_answer_400_in_chinese(world, api, query):
    response = api(world.counselor).get(f"/api/v1/reports/?{query}")
    assert response.status_code == 400, response.content
    name = query.split("=")[0]
    assert name in response.json()
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(response.json()[name]))


def test_a_page_past_the_last_answers_404_and_a_huge_page_size_is_clamped(world, api):
    client = api(world.counselor)
    assert client.get("/api/v1/students/?page=999").status_code == 404
    assert "没有第 999 页" in client.get("/api/v1/students/?page=999").json()["detail"]
    assert client.get("/api/v1/students/?page_size=100000").status_code == 200


def test_post_kind_outside_the_enum_answers_400(world, api):
    response = api(world.counselor).get("/api/v1/posts/?kind=emperor")
    assert response.status_code == 400
    assert "kind" in response.json()
    assert api(world.counselor).get("/api/v1/posts/?kind=dorm_head").status_code == 200


def _schema():
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)


def test_every_operation_documents_its_errors():
    schema = _schema()
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            responses = operation["responses"]
            assert {"401", "403", "429"} <= set(responses), (method, path)
            if method in ("post", "put", "patch"):
                assert {"400", "404", "409"} <= set(responses), (method, path)
            if "{" in path:
                assert "404" in responses, (method, path)


def _component(schema, name):
    return schema["components"]["schemas"][name]["properties"]


def test_nullable_fields_are_declared():
    schema = _schema()
    expected = {
        "Report": ["closed_at", "accept_due", "handle_due", "handler", "room"],
        "Leave": ["decided_at", "returned_at"],
        "HolidayRegistration": ["depart_on", "return_on", "returned_at"],
        "Post": ["staff_no", "student_no", "college", "class", "room"],
        "Student": ["bed"],
    }
    for component, fields in expected.items():
        properties = _component(schema, component)
        for field in fields:
            assert properties[field].get("nullable"), f"{component}.{field}"


def test_special_responses_have_their_true_schema():
    schema = _schema()
    paths = schema["paths"]

    def response_schema(path):
        return paths[path]["get" if "get" in paths[path] else "post"]["responses"]["200"]["content"][
            "application/json"
        ]["schema"]

    progress = response_schema("/api/v1/night-checks/progress/")
    assert progress == {"$ref": "#/components/schemas/NightProgress"}
    assert set(_component(schema, "NightProgress")) == {"date", "totals", "classes", "buildings"}
    assert _component(schema, "NightProgressTotals")["rate"]["nullable"]
    rates = response_schema("/api/v1/inspection-rounds/rates/")
    assert rates == {"$ref": "#/components/schemas/IllegalRateSeries"}
    read_all = response_schema("/api/v1/notifications/read-all/")
    assert read_all == {"$ref": "#/components/schemas/MarkedRead"}


@pytest.mark.parametrize("body", ["true", "null", "[]", "7"])
def test_a_report_action_with_a_non_object_body_answers_400_and_changes_nothing(world, api, body):
    from tests.reports.test_api import create

    report = create(api, world.dorm_head, room="东1/301").json()
    response = api(world.monitor).post(
        f"/api/v1/reports/{report['id']}/accept/", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert "JSON 对象" in response.json()["detail"]
    assert api(world.monitor).get(f"/api/v1/reports/{report['id']}/").json()["state"] == "reported"
