from django.urls import path  # noqa: F401

from . import views_report

app_name = "dashboards"

urlpatterns: list = [
    # semester report
    path("report/", views_report.report, name="report"),
    path("report/runs/<int:pk>/", views_report.report_run, name="report-run"),
    path("report/runs/<int:pk>/<str:fmt>/", views_report.report_download, name="report-download"),
    path("report/export/", views_report.report_export, name="report-export"),
]
