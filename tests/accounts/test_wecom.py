"""WeCom sign-in, binding, the shared access token and personal application messages, all
against a local HTTP server speaking WeCom's gettoken / auth/getuserinfo / message/send."""

import datetime as dt
import json
import urllib.parse

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from campusgrid.accounts import wecom
from campusgrid.accounts.models import WeComAccount, WeComToken
from campusgrid.core import clock
from campusgrid.notifications import services as notifications
from campusgrid.notifications.models import Delivery

WECOM_UA = "Mozilla/5.0 (iPhone) AppleWebKit/605.1.15 Mobile/15E148 wxwork/4.1.20 MicroMessenger/7.0.1"
DESKTOP_UA = "Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0 Safari/537.36"


def start(client, next_path="/", ua=WECOM_UA, **extra):
    response = client.get(
        reverse("accounts:wecom-login") + "?" + urllib.parse.urlencode({"next": next_path, **extra}),
        headers={"user-agent": ua},
    )
    assert response.status_code == 302, response
    location = response["Location"]
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(location).query)
    return location, query["state"][0] if "state" in query else None


def callback(client, code, state):
    return client.get(
        reverse("accounts:wecom-callback") + "?" + urllib.parse.urlencode({"code": code, "state": state})
    )


@pytest.fixture
def student_on_wecom(world):
    WeComAccount.objects.create(user=world.student.user, userid="wx-A1002")
    return world.student


def test_without_configuration_wecom_is_inert(world, client):
    assert client.get(reverse("accounts:wecom-login")).status_code == 404
    assert client.get(reverse("accounts:wecom-callback")).status_code == 404
    assert "企业微信登录" not in client.get(reverse("login")).content.decode()


def test_sign_in_inside_wecom_with_oauth(world, client, enable_wecom, student_on_wecom):
    location, state = start(client, "/students/")
    parts = urllib.parse.urlsplit(location)
    query = urllib.parse.parse_qs(parts.query)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == wecom.OAUTH_URL
    assert parts.fragment == "wechat_redirect"
    assert query["appid"] == ["ww-test-corp"] and query["scope"] == ["snsapi_base"]
    assert query["redirect_uri"] == ["http://testserver/accounts/wecom/callback/"]
    assert "企业微信登录" in client.get(reverse("login")).content.decode()

    code = enable_wecom.issue_code("wx-A1002")
    response = callback(client, code, state)

    assert response.status_code == 302 and response["Location"] == "/students/"
    assert int(client.session[SESSION_KEY]) == world.student.user.pk


def test_desktop_gets_the_qr_login(world, client, enable_wecom):
    location, state = start(client, ua=DESKTOP_UA)
    assert location.startswith(wecom.QR_LOGIN_URL + "?")
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(location).query)
    assert query["agentid"] == ["1000002"] and query["state"] == [state]


def test_a_code_is_used_once_and_a_state_once(world, client, enable_wecom, student_on_wecom):
    _, state = start(client)
    code = enable_wecom.issue_code("wx-A1002")
    assert callback(client, code, state).status_code == 302

    # The same callback URL again (a reload, a leaked link): the state was spent.
    again = Client()
    response = callback(again, code, state)
    assert response.status_code == 403 and "已失效" in response.content.decode()
    # A fresh state with the spent code: WeCom refuses the code (40029), we say so in Chinese.
    _, fresh = start(again)
    response = callback(again, code, fresh)
    assert response.status_code == 403 and "授权码无效或已使用过" in response.content.decode()
    assert again.session.get(SESSION_KEY) is None


def test_a_state_not_issued_by_us_is_refused_before_asking_wecom(
    world, client, enable_wecom, student_on_wecom
):
    start(client)
    code = enable_wecom.issue_code("wx-A1002")
    response = callback(client, code, "forged-state")
    assert response.status_code == 403
    assert enable_wecom.count("/cgi-bin/auth/getuserinfo") == 0
    assert client.session.get(SESSION_KEY) is None


def test_an_old_state_expires(world, client, enable_wecom, student_on_wecom):
    _, state = start(client)
    code = enable_wecom.issue_code("wx-A1002")
    with clock.frozen_at(clock.now() + dt.timedelta(minutes=11)):
        assert callback(client, code, state).status_code == 403


def test_unknown_wecom_member_and_non_member_are_refused(world, client, enable_wecom):
    _, state = start(client)
    response = callback(client, enable_wecom.issue_code("wx-nobody"), state)
    assert response.status_code == 403
    page = response.content.decode()
    assert "尚未与本系统账号关联" in page and "个人设置" in page
    _, state = start(client)
    response = callback(client, enable_wecom.issue_code(None), state)
    assert response.status_code == 403 and "不是本校企业微信成员" in response.content.decode()


def test_user_binds_wecom_once_after_a_local_login(world, client, enable_wecom, login):
    login(world.counselor)
    location, state = start(client, bind="1")
    code = enable_wecom.issue_code("wx-C0001")
    response = callback(client, code, state)
    assert response["Location"] == reverse("people:profile")
    account = WeComAccount.objects.get(user=world.counselor.user)
    assert account.userid == "wx-C0001" and account.source == WeComAccount.Source.BOUND

    # Once: binding another id is refused until unbound.
    _, state = start(client, bind="1")
    client.get(
        reverse("accounts:wecom-callback") + f"?code={enable_wecom.issue_code('wx-other')}&state={state}"
    )
    assert WeComAccount.objects.get(user=world.counselor.user).userid == "wx-C0001"
    # Someone else's WeCom id cannot be taken.
    login(world.class_teacher)
    _, state = start(client, bind="1")
    page = client.get(
        reverse("accounts:wecom-callback") + f"?code={enable_wecom.issue_code('wx-C0001')}&state={state}",
        follow=True,
    ).content.decode()
    assert "已与本系统的其他账号关联" in page
    assert not WeComAccount.objects.filter(user=world.class_teacher.user).exclude(userid=None).exists()


def test_binding_needs_the_signed_in_user(world, client, enable_wecom):
    response = client.get(reverse("accounts:wecom-login") + "?bind=1")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


# --- the access token -------------------------------------------------------------------------


def test_token_is_shared_and_refreshed_before_it_expires(world, enable_wecom):
    first = wecom.access_token()
    assert wecom.access_token() == first
    assert enable_wecom.count("/cgi-bin/gettoken") == 1
    assert WeComToken.objects.get().token == first  # in the database: every app server sees it
    # 7200 s lifetime; 5 minutes before the end it is fetched again.
    with clock.frozen_at(clock.now() + dt.timedelta(seconds=7200 - 299)):
        second = wecom.access_token()
    assert second != first and enable_wecom.count("/cgi-bin/gettoken") == 2


def test_an_expired_token_42001_is_refreshed_and_the_call_retried(world, enable_wecom):
    wecom.access_token()
    enable_wecom.expire_tokens()  # WeCom ended it early (e.g. the secret was reset)
    code = enable_wecom.issue_code("wx-A1002")
    assert wecom.userid_from_code(code) == "wx-A1002"
    assert enable_wecom.count("/cgi-bin/gettoken") == 2
    assert enable_wecom.calls.count("/cgi-bin/auth/getuserinfo") == 2


def test_a_wrong_secret_is_an_error_not_a_loop(world, enable_wecom, settings):
    settings.CAMPUSGRID_WECOM_SECRET = "wrong"
    with pytest.raises(wecom.WeComError) as error:
        wecom.access_token()
    assert error.value.errcode == 40001


# --- personal messages ---------------------------------------------------------------------


def _notify(users, **kwargs):
    kwargs.setdefault("title", "张三申请病假（12月1日至12月3日），待审批")
    kwargs.setdefault("outside_text", "有一条请假申请待审批")
    kwargs.setdefault("url", "/ledgers/leave/7/")
    return notifications.notify(users=users, **kwargs)


def test_personal_message_is_a_text_card_without_personal_data(world, enable_wecom, student_on_wecom):
    WeComAccount.objects.create(user=world.counselor.user, userid="wx-C0001")
    _notify([world.counselor.user, world.student.user, world.class_teacher.user])
    delivery = Delivery.objects.get(channel=Delivery.Channel.WECOM_APP)
    assert delivery.recipients == "wx-A1002|wx-C0001"  # the class teacher has no WeCom id

    assert notifications.deliver_due() == 1
    (message,) = enable_wecom.messages
    assert message["msgtype"] == "textcard" and message["agentid"] == 1000002
    assert message["touser"] == "wx-A1002|wx-C0001"
    assert message["textcard"]["title"] == "有一条请假申请待审批"
    assert "张三" not in json.dumps(message, ensure_ascii=False)
    link = urllib.parse.urlsplit(message["textcard"]["url"])
    assert link.path == "/accounts/wecom/login/"
    assert urllib.parse.parse_qs(link.query)["next"] == ["/ledgers/leave/7/"]


def test_without_outside_text_the_card_says_only_that_there_is_news(world, enable_wecom, student_on_wecom):
    _notify([world.student.user], outside_text=None, title="张三的上报已被受理")
    notifications.deliver_due()
    assert enable_wecom.messages[0]["textcard"]["title"] == notifications.WECOM_GENERIC_TITLE


def test_a_failing_send_is_retried_by_the_outbox(world, enable_wecom, student_on_wecom):
    enable_wecom.fail_sends = 1
    _notify([world.student.user])
    now = clock.now()
    assert notifications.deliver_due(now) == 0
    delivery = Delivery.objects.get(channel=Delivery.Channel.WECOM_APP)
    assert delivery.status == Delivery.Status.PENDING and delivery.attempts == 1
    assert "-1" in delivery.last_error
    assert notifications.deliver_due(now) == 0  # not due again yet (back-off)
    assert notifications.deliver_due(now + dt.timedelta(minutes=2)) == 1
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENT and len(enable_wecom.messages) == 1


def test_an_expired_token_during_a_send_does_not_cost_an_attempt(world, enable_wecom, student_on_wecom):
    wecom.access_token()
    enable_wecom.expire_tokens()
    _notify([world.student.user])
    assert notifications.deliver_due() == 1
    assert Delivery.objects.get(channel=Delivery.Channel.WECOM_APP).attempts == 1


def test_opted_out_people_get_no_wecom_message(world, enable_wecom, student_on_wecom):
    WeComAccount.objects.filter(user=world.student.user).update(messages_enabled=False)
    _notify([world.student.user])
    assert not Delivery.objects.filter(channel=Delivery.Channel.WECOM_APP).exists()


def test_no_wecom_delivery_when_wecom_is_not_configured(world, student_on_wecom, settings):
    settings.CAMPUSGRID_DELIVER_ON_COMMIT = False
    _notify([world.student.user])
    assert not Delivery.objects.filter(channel=Delivery.Channel.WECOM_APP).exists()


def test_notify_adds_one_query_for_any_number_of_recipients(world, enable_wecom, django_assert_num_queries):
    users = [s.user for s in (world.student, world.dorm_head, world.monitor_a2)]
    for i, user in enumerate(users):
        WeComAccount.objects.create(user=user, userid=f"wx-{i}")
    # notification rows, WeCom ids, webhook endpoints, deliveries: the same for 1 and 3 users
    with django_assert_num_queries(4):
        _notify(users[:1])
    with django_assert_num_queries(4):
        _notify(users)


def test_messages_to_many_go_in_batches_of_a_thousand(world, enable_wecom, django_user_model):
    django_user_model.objects.bulk_create([django_user_model(username=f"bulk{i}") for i in range(1001)])
    users = list(django_user_model.objects.filter(username__startswith="bulk"))
    WeComAccount.objects.bulk_create([WeComAccount(user=u, userid=f"wx-{u.username}") for u in users])
    _notify(users)
    deliveries = Delivery.objects.filter(channel=Delivery.Channel.WECOM_APP)
    assert sorted(len(d.recipients.split("|")) for d in deliveries) == [1, 1000]
    assert notifications.deliver_due() == 2
    assert sum(len(m["touser"].split("|")) for m in enable_wecom.messages) == 1001
