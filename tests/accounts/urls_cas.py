"""The site's URLconf as it is with CAMPUSGRID_CAS_SERVER_URL set (the root URLconf decides at
import time, and the suite imports it without CAS)."""

from django.urls import include, path

from campusgrid.accounts import urls as accounts_urls
from campusgrid.urls import urlpatterns as site_patterns

urlpatterns = [*site_patterns, path("accounts/", include(accounts_urls.cas_urlpatterns))]
