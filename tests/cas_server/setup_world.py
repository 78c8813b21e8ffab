"""Run once in the CAS server's settings: its user and the CampusGrid service pattern.

CAS_TEST_DIR=… DJANGO_SETTINGS_MODULE=tests.cas_server.settings python -m tests.cas_server.setup_world USER PASSWORD
"""

import sys

import django

django.setup()

from cas_server.models import ReplaceAttributName, ServicePattern  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402

username, password = sys.argv[1], sys.argv[2]
# Someone the university knows and CampusGrid does not.
User.objects.create_user("Z9999", password=password, first_name="外校人员")
# A superuser of the CAS server: its is_superuser attribute must not make one of ours.
User.objects.create_user(
    username, password=password, first_name="张三（统一身份认证）", is_superuser=True, is_staff=True
)
pattern = ServicePattern.objects.create(
    name="CampusGrid",
    # Any loopback port: the live server's port is chosen when the tests run.
    # testserver: Django's test client, for the ticket tests that talk to this server directly.
    pattern=r"^http://(127\.0\.0\.1|localhost|testserver)(:\d+)?/accounts/cas/login/.*$",
    single_log_out=True,
)
for name, replace in (("first_name", "cn"), ("is_superuser", ""), ("is_staff", "")):
    ReplaceAttributName.objects.create(service_pattern=pattern, name=name, replace=replace)
