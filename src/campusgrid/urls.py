from django.conf import settings
from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from campusgrid.accounts import cas_views as accounts_cas_views
from campusgrid.accounts import urls as accounts_urls
from campusgrid.accounts import views as accounts_views
from campusgrid.core import views as core_views
from campusgrid.dashboards.api import register as register_dashboards_api
from campusgrid.dossiers.api import register as register_dossiers_api
from campusgrid.grid.api import register as register_grid_api
from campusgrid.ledgers.api import register as register_ledgers_api
from campusgrid.notifications.api import register as register_notifications_api
from campusgrid.party.api import register as register_party_api
from campusgrid.people.api import register as register_people_api
from campusgrid.reports.api import register as register_reports_api
from campusgrid.service.api import register as register_service_api

admin.site.site_header = "CampusGrid 学生网格化管理 · 系统管理"
admin.site.site_title = "CampusGrid 系统管理"
admin.site.index_title = "数据管理"

router = DefaultRouter()
register_people_api(router)
register_grid_api(router)
register_reports_api(router)
register_dossiers_api(router)
register_ledgers_api(router)
register_notifications_api(router)
register_service_api(router)
register_party_api(router)
register_dashboards_api(router)

urlpatterns = [
    path("", core_views.home, name="home"),
    path("accounts/login/", accounts_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", accounts_cas_views.logout, name="logout"),
    path("accounts/", include("campusgrid.accounts.urls")),
    path("admin/", admin.site.urls),
    path("", include("campusgrid.people.urls")),
    path("grid/", include("campusgrid.grid.urls")),
    path("reports/", include("campusgrid.reports.urls")),
    path("dossiers/", include("campusgrid.dossiers.urls")),
    path("ledgers/", include("campusgrid.ledgers.urls")),
    path("notifications/", include("campusgrid.notifications.urls")),
    path("service/", include("campusgrid.service.urls")),
    path("party/", include("campusgrid.party.urls")),
    path("dashboards/", include("campusgrid.dashboards.urls")),
    path("api/v1/", include(router.urls)),
    path("api/v1/", include("campusgrid.grid.api_urls")),
    path("api/v1/", include("campusgrid.dashboards.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    path("healthz", core_views.healthz, name="healthz"),
    path("ping", core_views.ping, name="ping"),
    path("bench/floor/", core_views.bench_floor, name="bench-floor"),
    path("api/v1/bench/floor/", core_views.BenchApiFloor.as_view(), name="bench-api-floor"),
    # Browsers ask for /favicon.ico whatever the page says; the icon itself is a static file.
    path("favicon.ico", RedirectView.as_view(url=static("campusgrid/favicon.ico"), permanent=True)),
]

if settings.CAMPUSGRID_CAS_ENABLED:  # nothing of CAS exists unless configured
    urlpatterns += [path("accounts/", include(accounts_urls.cas_urlpatterns))]
# Under /api/ errors answer JSON in Chinese; elsewhere Django's pages (core.views).
handler404 = "campusgrid.core.views.page_not_found"
handler500 = "campusgrid.core.views.server_error"
