"""个人设置: the user's own account; the WeCom block (binding, unbinding, message opt-out)
acts on the signed-in user only."""

from django.urls import reverse

from campusgrid.accounts.models import WeComAccount
from campusgrid.core.models import AuditEvent


def test_profile_needs_a_login_and_shows_only_the_own_account(world, client, login):
    assert client.get(reverse("people:profile")).status_code == 302
    login(world.student)
    page = client.get(reverse("people:profile")).content.decode()
    assert "A1002" in page and "A1001" not in page
    assert "企业微信" not in page  # WeCom is not configured and the student has no id


def test_wecom_block_offers_binding_when_configured(world, client, login, enable_wecom):
    login(world.student)
    page = client.get(reverse("people:profile")).content.decode()
    assert "绑定企业微信" in page and reverse("accounts:wecom-login") + "?bind=1" in page


def test_opt_out_and_back_in_on_the_profile_page(world, client, login, enable_wecom):
    WeComAccount.objects.create(user=world.student.user, userid="wx-A1002")
    WeComAccount.objects.create(user=world.dorm_head.user, userid="wx-A1001")
    login(world.student)
    assert "不再接收企业微信消息" in client.get(reverse("people:profile")).content.decode()

    response = client.post(reverse("accounts:wecom-messages"), {"enabled": "0"})
    assert response.status_code == 302
    assert WeComAccount.objects.get(user=world.student.user).messages_enabled is False
    assert WeComAccount.objects.get(user=world.dorm_head.user).messages_enabled is True
    page = client.get(reverse("people:profile")).content.decode()
    assert "已关闭企业微信消息提醒" in page and "接收企业微信消息" in page
    assert AuditEvent.objects.filter(verb="wecom.messages", actor=world.student.user).count() == 1

    client.post(reverse("accounts:wecom-messages"), {"enabled": "1"})
    assert WeComAccount.objects.get(user=world.student.user).messages_enabled is True


def test_unbind_removes_only_the_own_binding(world, client, login, enable_wecom):
    WeComAccount.objects.create(user=world.student.user, userid="wx-A1002")
    WeComAccount.objects.create(user=world.dorm_head.user, userid="wx-A1001")
    login(world.student)
    assert client.get(reverse("accounts:wecom-unbind")).status_code == 405  # POST only
    client.post(reverse("accounts:wecom-unbind"))
    assert WeComAccount.objects.get(user=world.student.user).userid is None
    assert WeComAccount.objects.get(user=world.dorm_head.user).userid == "wx-A1001"


def test_profile_is_in_the_navigation(world, client, login):
    login(world.counselor)
    assert reverse("people:profile") in client.get("/").content.decode()
