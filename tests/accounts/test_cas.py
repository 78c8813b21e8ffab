"""CAS sign-in through the real django-cas-ng view, our backend and python-cas's parser, with
the CAS server's serviceValidate answers recorded from the two server families Chinese
universities run: Apereo CAS (version 3, `cas:attributes`) and Wisedu 金智 (`…/authserver/`,
version 2, JSON-string values)."""

import urllib.parse

import pytest
from django.contrib.auth import SESSION_KEY, get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.urls import NoReverseMatch, reverse
from django_cas_ng.models import SessionTicket

from campusgrid.accounts.cas import normalise_attributes
from campusgrid.accounts.config import cas_settings, normalise_server_url, parse_attribute_map

CAS = "http://www.yale.edu/tp/cas"

APEREO = f"""<cas:serviceResponse xmlns:cas="{CAS}">
    <cas:authenticationSuccess>
        <cas:user>{{user}}</cas:user>
        <cas:attributes>
            <cas:cn>张三（统一身份）</cas:cn>
            <cas:cn>Zhang San</cas:cn>
            <cas:mail>zhangsan@example.edu.cn</cas:mail>
            <cas:is_superuser>True</cas:is_superuser>
            <cas:is_staff>True</cas:is_staff>
            <cas:memberOf>学生</cas:memberOf>
            <cas:memberOf>共青团员</cas:memberOf>
            <cas:isFromNewLogin>true</cas:isFromNewLogin>
            <cas:authenticationDate>2026-12-01T21:00:00.123+08:00[Asia/Shanghai]</cas:authenticationDate>
            <cas:successfulAuthenticationHandlers>QueryDatabaseAuthenticationHandler</cas:successfulAuthenticationHandlers>
            <cas:longTermAuthenticationRequestTokenUsed>false</cas:longTermAuthenticationRequestTokenUsed>
        </cas:attributes>
    </cas:authenticationSuccess>
</cas:serviceResponse>
"""

WISEDU = f"""<cas:serviceResponse xmlns:cas='{CAS}'>
	<cas:authenticationSuccess>
		<cas:user>{{login}}</cas:user>
			<cas:attributes>
				<cas:uid>{{login}}</cas:uid>
				<cas:eduPersonStudentID>["{{number}}"]</cas:eduPersonStudentID>
				<cas:cn>["张三"]</cas:cn>
				<cas:userName>张三</cas:userName>
				<cas:containerId>ou=2024,ou=学生,ou=People</cas:containerId>
				<cas:cllx>["本科生","在校"]</cas:cllx>
				<cas:is_superuser>true</cas:is_superuser>
			</cas:attributes>
	</cas:authenticationSuccess>
</cas:serviceResponse>
"""


def login_url(next_path="/", **extra):
    return reverse("cas_ng_login") + "?" + urllib.parse.urlencode({"next": next_path, **extra})


def signed_in_user(client):
    user_id = client.session.get(SESSION_KEY)
    return get_user_model().objects.get(pk=user_id) if user_id else None


@pytest.fixture
def apereo(enable_cas):
    return enable_cas(
        CAMPUSGRID_CAS_SERVER_URL="https://cas.example.edu.cn/cas",
        CAMPUSGRID_CAS_VERSION="3",
        CAMPUSGRID_CAS_ATTRIBUTE_MAP="cn:name",
    )


@pytest.fixture
def wisedu(enable_cas):
    return enable_cas(
        CAMPUSGRID_CAS_SERVER_URL="https://authserver.example.edu.cn/authserver",
        CAMPUSGRID_CAS_VERSION="2",
        CAMPUSGRID_CAS_USERNAME_ATTRIBUTE="eduPersonStudentID",
        CAMPUSGRID_CAS_ATTRIBUTE_MAP="cn:name,mail:email",
    )


def test_without_the_server_url_nothing_of_cas_exists(world, client):
    assert cas_settings({})["CAMPUSGRID_CAS_ENABLED"] is False
    from django.conf import settings

    assert "campusgrid.accounts.cas.Backend" not in settings.AUTHENTICATION_BACKENDS
    with pytest.raises(NoReverseMatch):
        reverse("cas_ng_login")
    assert client.get("/accounts/cas/login/").status_code == 404
    page = client.get(reverse("login")).content.decode()
    assert "统一身份认证登录" not in page
    assert "初始密码由辅导员告知" in page


def test_configured_login_page_offers_cas_first_and_keeps_the_local_login(world, client, apereo):
    page = client.get(reverse("login") + "?next=/students/").content.decode()
    assert page.index("统一身份认证登录") < page.index('name="password"')
    assert reverse("cas_ng_login") + "?next=%2Fstudents%2F" in page
    assert "初始密码由辅导员告知" not in page
    assert "统一身份认证" in page.split('id="login-hint"')[1]


def test_apereo_user_signs_in_to_the_matched_account_with_only_whitelisted_attributes(world, client, apereo):
    ticket = apereo.issue("ST-1-apereo", APEREO.format(user="A1002"))
    users_before = get_user_model().objects.count()

    response = client.get(login_url("/students/", ticket=ticket))

    assert response.status_code == 302 and response["Location"] == "/students/"
    user = signed_in_user(client)
    assert user == world.student.user
    assert user.first_name == "张三（统一身份）"  # cn → name, the first of its two values
    assert user.is_superuser is False and user.is_staff is False  # not whitelisted
    assert user.email == ""  # mail is not in this school's whitelist
    assert get_user_model().objects.count() == users_before  # never creates accounts
    assert SessionTicket.objects.filter(ticket=ticket, session_key=client.session.session_key).exists()
    validation = urllib.parse.urlsplit(apereo.requests[-1].url)
    # The server URL was given without its slash: …/cas + p3/serviceValidate must keep /cas/.
    assert validation.path == "/cas/p3/serviceValidate"
    assert urllib.parse.parse_qs(validation.query)["service"] == [
        "http://testserver/accounts/cas/login/?next=%2Fstudents%2F"
    ]


def test_wisedu_user_attribute_and_json_string_values(world, client, wisedu):
    # The Wisedu login name is not the 学号: eduPersonStudentID (a JSON list) is.
    ticket = wisedu.issue("ST-2-wisedu", WISEDU.format(login="zhangsan", number="A1002"))
    response = client.get(login_url("/", ticket=ticket))
    assert response.status_code == 302
    user = signed_in_user(client)
    assert user == world.student.user
    assert user.first_name == "张三"  # ["张三"] decoded
    assert user.is_superuser is False
    assert urllib.parse.urlsplit(wisedu.requests[-1].url).path == "/authserver/serviceValidate"


def test_unmatched_cas_user_gets_a_chinese_page_saying_whom_to_ask(world, client, apereo):
    ticket = apereo.issue("ST-3", APEREO.format(user="Z9999"))
    users_before = get_user_model().objects.count()
    response = client.get(login_url("/", ticket=ticket))
    assert response.status_code == 403
    page = response.content.decode()
    assert "本系统中没有您的账号" in page and "Z9999" in page
    assert "辅导员" in page and "学工部" in page
    assert "退出统一身份认证" in page
    assert signed_in_user(client) is None
    assert get_user_model().objects.count() == users_before


def test_cas_user_named_like_an_admin_without_a_roster_record_is_refused(world, client, apereo):
    get_user_model().objects.create_superuser("admin", password="x" * 12)
    ticket = apereo.issue("ST-4", APEREO.format(user="admin"))
    response = client.get(login_url("/", ticket=ticket))
    assert response.status_code == 403 and signed_in_user(client) is None


def test_replayed_ticket_is_refused_with_a_chinese_page(world, client, apereo, django_user_model):
    ticket = apereo.issue("ST-5", APEREO.format(user="A1002"))
    assert client.get(login_url("/", ticket=ticket)).status_code == 302

    from django.test import Client

    other = Client()
    response = other.get(login_url("/", ticket=ticket))
    assert response.status_code == 403
    page = response.content.decode()
    assert "无效、已过期或已经使用过" in page and "重新登录" in page
    assert other.session.get(SESSION_KEY) is None


def test_next_is_limited_to_our_own_paths(world, client, apereo):
    response = client.get(login_url("https://evil.example/steal"))
    assert response.status_code == 302
    cas_login = urllib.parse.urlsplit(response["Location"])
    service = urllib.parse.parse_qs(cas_login.query)["service"][0]
    assert service == "http://testserver/accounts/cas/login/?next=%2F"
    ticket = apereo.issue("ST-6", APEREO.format(user="A1002"))
    for evil in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        client.logout()
        apereo.issue(ticket, APEREO.format(user="A1002"))
        response = client.get(login_url(evil, ticket=ticket))
        assert response.status_code == 302 and response["Location"] == "/", evil


def test_unreachable_cas_server_is_a_chinese_page_not_a_500(world, client, apereo):
    apereo.down = True
    response = client.get(login_url("/", ticket="ST-7"))
    assert response.status_code == 503
    assert "暂时无法连接统一身份认证服务器" in response.content.decode()


def test_garbage_from_the_cas_server_is_refused_not_a_500(world, client, apereo):
    apereo.issue("ST-8", "<html><body>502 Bad Gateway</body>")
    response = client.get(login_url("/", ticket="ST-8"))
    assert response.status_code == 503


def logout_request(ticket):
    return (
        '<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" '
        'xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="LR-1" Version="2.0" '
        'IssueInstant="2026-12-01T21:00:00Z"><saml:NameID>@NOT_USED@</saml:NameID>'
        f"<samlp:SessionIndex>{ticket}</samlp:SessionIndex></samlp:LogoutRequest>"
    )


@pytest.mark.parametrize("family", ["apereo", "wisedu"])
def test_single_logout_post_ends_the_session(world, client, request, family):
    cas = request.getfixturevalue(family)
    body = APEREO.format(user="A1002") if family == "apereo" else WISEDU.format(login="zs", number="A1002")
    ticket = cas.issue("ST-9", body)
    client.get(login_url("/", ticket=ticket))
    assert client.get("/").status_code == 200

    from django.test import Client

    cas_server = Client()  # the CAS server posts from its own connection, without our cookie
    response = cas_server.post(
        reverse("cas_ng_login") + "?next=%2F", {"logoutRequest": logout_request(ticket)}
    )
    assert response.status_code == 200
    assert client.get("/").status_code == 302  # signed out
    assert not SessionTicket.objects.filter(ticket=ticket).exists()


def test_logout_request_with_an_external_entity_is_ignored(world, client, apereo):
    evil = (
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        '<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol">'
        "<samlp:SessionIndex>&x;</samlp:SessionIndex></samlp:LogoutRequest>"
    )
    response = client.post(reverse("cas_ng_login"), {"logoutRequest": evil})
    assert response.status_code == 200


def test_logout_of_a_cas_session_leaves_cas_too(world, client, apereo):
    ticket = apereo.issue("ST-10", APEREO.format(user="A1002"))
    client.get(login_url("/", ticket=ticket))
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"].startswith("https://cas.example.edu.cn/cas/logout?service=")
    assert "%2Faccounts%2Flogin%2F" in response["Location"]
    assert client.get("/").status_code == 302


def test_local_logout_stays_local_when_cas_is_configured(world, client, apereo, login):
    login(world.counselor)
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and "cas.example" not in response["Location"]


def test_attribute_handling():
    assert normalise_attributes(
        {
            "cn": ["张三", "Zhang San"],
            "memberOf": '["学生","团员"]',
            "blob": '{"uid": "A1", "x": {"y": 1}}',
            "e": None,
        }
    ) == {"cn": ["张三", "Zhang San"], "memberOf": ["学生", "团员"], "uid": ["A1"]}
    assert normalise_server_url("https://a.edu.cn/authserver") == "https://a.edu.cn/authserver/"
    assert parse_attribute_map("cn:name, mail:email") == {"cn": "name", "mail": "email"}
    for bad in ("is_superuser:is_superuser", "cn", "cn:phone"):
        with pytest.raises(ImproperlyConfigured):
            parse_attribute_map(bad)
    proxied = cas_settings(
        {"CAMPUSGRID_CAS_SERVER_URL": "https://cas.x/cas", "CAMPUSGRID_SITE_URL": "https://grid.x.edu.cn/"}
    )
    assert proxied["CAS_ROOT_PROXIED_AS"] == "https://grid.x.edu.cn"
    with pytest.raises(ImproperlyConfigured):
        cas_settings({"CAMPUSGRID_CAS_SERVER_URL": "https://cas.x/", "CAMPUSGRID_CAS_VERSION": "1"})


def test_service_url_behind_a_proxy_is_the_public_one(world, client, enable_cas):
    enable_cas(CAMPUSGRID_SITE_URL="https://grid.example.edu.cn")
    response = client.get(login_url("/"))
    service = urllib.parse.parse_qs(urllib.parse.urlsplit(response["Location"]).query)["service"][0]
    assert service == "https://grid.example.edu.cn/accounts/cas/login/?next=%2F"


def test_cas_urls_join_the_scoping_contract(world, enable_cas):
    from django.urls import get_resolver

    from tests.accounts.contract import CONTRACT
    from tests.scoping.test_contract import _all_covered, _names

    enable_cas()
    names = set(_names(get_resolver().url_patterns))
    assert {"cas_ng_login", "cas_ng_logout"} <= names
    # CAS's own URLs exist only when configured: their reasons are in the accounts contract
    covered = set(_all_covered()) | {n for n in CONTRACT if n.startswith("cas_ng_")}
    assert not sorted(n for n in names if n not in covered and not n.startswith("api-root"))


def test_tick_forgets_the_tickets_of_ended_sessions(world, client, apereo):
    from campusgrid.accounts.hooks import _forget_ended_cas_sessions
    from campusgrid.core import clock

    ticket = apereo.issue("ST-11", APEREO.format(user="A1002"))
    client.get(login_url("/", ticket=ticket))
    SessionTicket.objects.create(session_key="gone-session", ticket="ST-old")
    assert _forget_ended_cas_sessions(clock.now()) == 1
    assert list(SessionTicket.objects.values_list("ticket", flat=True)) == ["ST-11"]
    assert _forget_ended_cas_sessions(clock.now()) == 0  # idempotent
