"""Chinese error pages with the layout and a way back (issue 12 item 2), as served with DEBUG off."""

import pytest
from django.core.exceptions import PermissionDenied
from django.template.loader import get_template
from django.test import RequestFactory
from django.views import defaults

pytestmark = pytest.mark.django_db


def test_a_missing_page_answers_the_chinese_404_inside_the_layout(world, login, settings):
    settings.DEBUG = False
    response = login(world.student).get("/students/NOBODY/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "页面不存在" in html and "返回工作台" in html
    assert 'id="main-nav"' in html  # the person's own menu: a way on, not only back


def test_a_404_for_someone_not_signed_in_still_says_where_to_go(client, settings, db):
    settings.DEBUG = False
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "页面不存在" in html and "登录" in html


def test_403_is_chinese_with_a_way_back(world, settings):
    settings.DEBUG = False
    request = RequestFactory().get("/")
    request.user = world.student.user
    response = defaults.permission_denied(request, PermissionDenied())
    assert response.status_code == 403
    assert "没有权限" in response.content.decode() and "返回工作台" in response.content.decode()


def test_500_renders_without_a_request_context():
    html = get_template("500.html").render()  # as django.views.defaults.server_error does
    assert "服务器出错了" in html and 'href="/"' in html
    response = defaults.server_error(RequestFactory().get("/"))
    assert response.status_code == 500 and "服务器出错了" in response.content.decode()


def test_an_exception_in_a_view_answers_the_500_page(world, client, settings, monkeypatch):
    settings.DEBUG = False
    from campusgrid.core import views

    def boom(request):
        raise RuntimeError("boom")

    monkeypatch.setattr(views, "render_panels", lambda request: boom(request))
    client.force_login(world.counselor.user)
    client.raise_request_exception = False
    response = client.get("/")
    assert response.status_code == 500 and "服务器出错了" in response.content.decode()
    # the page names the request id of the log line, so the user's screenshot finds it
    assert response["X-Request-ID"] in response.content.decode()
