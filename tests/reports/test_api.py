"""The reports API: create by Chinese names, actions as endpoints, scoping, refusals."""

import pytest

from campusgrid.reports.models import Report

pytestmark = pytest.mark.django_db


def create(api, person, **body):
    payload = {"category": "安全隐患", "severity": "一般", "students": ["A1002"], "description": "插线板冒烟"}
    payload.update(body)
    return api(person).post("/api/v1/reports/", payload, format="json")


def test_create_and_read(world, api):
    response = create(api, world.dorm_head, room="东1/301")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["category"] == "安全隐患" and data["severity"] == "一般"
    assert data["state"] == "reported" and data["level"] == 2 and data["students"] == ["A1002"]
    assert data["room"] == "东1/301" and data["accept_due"] and data["handle_due"]
    assert data["timeline"][0]["action"] == "create"
    detail = api(world.monitor).get(f"/api/v1/reports/{data['id']}/").json()
    assert "accept" in detail["actions"] and detail["handler"] is None


def test_create_errors_are_chinese(world, api):
    response = create(api, world.dorm_head, severity="很严重")
    assert response.status_code == 400 and "严重程度" in response.json()["detail"]
    response = create(api, world.dorm_head, students=["B1002"])
    assert response.status_code == 400 and "B1002" in response.json()["detail"]
    response = create(api, world.dorm_head, category="不存在的类别")
    assert response.status_code == 400 and "类别" in response.json()["detail"]
    response = create(api, world.counselor, to_level=2)
    assert response.status_code == 400 and "更高层级" in response.json()["detail"]
    assert not Report.objects.exists()


def test_skip_level_with_to_level(world, api):
    assert create(api, world.dorm_head, to_level=4).json()["level"] == 4


def test_full_cycle_through_action_endpoints(world, api):
    rid = create(api, world.dorm_head).json()["id"]
    monitor, counselor, dorm_head = api(world.monitor), api(world.counselor), api(world.dorm_head)
    assert (
        monitor.post(f"/api/v1/reports/{rid}/escalate/", {"note": "协调不了"}, format="json").json()["level"]
        == 3
    )
    assert counselor.post(f"/api/v1/reports/{rid}/accept/", {}, format="json").json()["state"] == "accepted"
    counselor.post(f"/api/v1/reports/{rid}/handle/", {"note": "已处理"}, format="json")
    counselor.post(f"/api/v1/reports/{rid}/feedback/", {"note": "请注意安全"}, format="json")
    data = dorm_head.post(f"/api/v1/reports/{rid}/confirm/", {}, format="json").json()
    assert data["state"] == "closed"
    assert [e["action"] for e in data["timeline"]] == [
        "create",
        "escalate",
        "accept",
        "handle",
        "feedback",
        "confirm",
    ]


def test_refusals_answer_409_or_403_in_chinese(world, api):
    rid = create(api, world.dorm_head).json()["id"]
    response = api(world.dorm_head).post(f"/api/v1/reports/{rid}/accept/", {}, format="json")
    assert response.status_code == 403 and "不能" in response.json()["detail"]
    response = api(world.monitor).post(f"/api/v1/reports/{rid}/handle/", {"note": "x"}, format="json")
    assert response.status_code == 409 and "当前状态" in response.json()["detail"]
    api(world.monitor).post(f"/api/v1/reports/{rid}/accept/", {}, format="json")
    response = api(world.monitor).post(f"/api/v1/reports/{rid}/accept/", {}, format="json")
    assert response.status_code == 409


def test_api_list_follows_scope(world, api):
    a = create(api, world.dorm_head).json()["id"]
    b = create(api, world.dorm_head_b, students=["B1002"]).json()["id"]
    ids = lambda p, q="": {r["id"] for r in api(p).get(f"/api/v1/reports/{q}").json()["results"]}  # noqa: E731
    assert ids(world.counselor) == {a}
    assert ids(world.leader_b) == {b}
    assert ids(world.office) == {a, b}
    assert ids(world.student) == set()
    assert ids(world.monitor, "?box=todo") == {a}
    assert ids(world.counselor, "?box=todo") == set()
    assert ids(world.dorm_head, "?box=mine") == {a}
    assert ids(world.counselor, "?severity=一般&category=安全隐患") == {a}
    assert api(world.leader_b).get(f"/api/v1/reports/{a}/").status_code == 404


@pytest.mark.parametrize(
    "action",
    [
        "accept",
        "handle",
        "feedback",
        "confirm",
        "object",
        "escalate",
        "return",
        "resubmit",
        "transfer",
        "close",
    ],
)
def test_action_endpoints_refuse_outside_scope(world, api, action):
    rid = create(api, world.dorm_head).json()["id"]
    response = api(world.counselor_b).post(f"/api/v1/reports/{rid}/{action}/", {"note": "x"}, format="json")
    assert response.status_code == 404
    assert Report.objects.get(pk=rid).events.count() == 1


def test_unauthenticated_is_refused_in_chinese(api):
    response = api().get("/api/v1/reports/")
    assert response.status_code in (401, 403) and "登录" in response.json()["detail"]


def test_token_authentication(world, client):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=world.counselor.user)
    response = client.get("/api/v1/reports/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200


def test_api_list_query_budget(world, api):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = api(world.counselor)
    client.get("/api/v1/reports/")  # warm: the user's own person record is cached after one request

    def count(n):
        for i in range(n):
            rid = create(api, world.dorm_head, description=f"问题{i}", students=["A1002", "A1001"]).json()[
                "id"
            ]
            api(world.monitor).post(f"/api/v1/reports/{rid}/accept/", {}, format="json")  # a handler to show
        with CaptureQueriesContext(connection) as ctx:
            client.get("/api/v1/reports/?page_size=200")
        return len(ctx.captured_queries)

    assert count(5) == count(60)
