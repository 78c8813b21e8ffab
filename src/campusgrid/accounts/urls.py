from django.urls import path

from . import cas_views, views

app_name = "accounts"

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("profile/wecom/messages/", views.wecom_messages, name="wecom-messages"),
    path("profile/wecom/unbind/", views.wecom_unbind, name="wecom-unbind"),
    path("wecom/login/", views.wecom_login, name="wecom-login"),
    path("wecom/callback/", views.wecom_callback, name="wecom-callback"),
]

# Mounted at /accounts/ by the root URLconf only when CAMPUSGRID_CAS_SERVER_URL is set. The
# names are django-cas-ng's. The login URL is the service URL registered with the CAS server
# and also receives its single-logout POST.
cas_urlpatterns = [
    path("cas/login/", cas_views.LoginView.as_view(), name="cas_ng_login"),
    path("cas/logout/", cas_views.logout, name="cas_ng_logout"),
]
