from django.urls import path

from . import api

urlpatterns = [
    path("dashboards/charts/", api.ChartListView.as_view(), name="dashboard-chart-list"),
    path("dashboards/charts/<slug:key>/", api.ChartView.as_view(), name="dashboard-chart-detail"),
]
