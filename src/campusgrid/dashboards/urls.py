from django.urls import path

from . import views, views_appraisal, views_report

app_name = "dashboards"

urlpatterns: list = [
    # appraisal, honours
    path("appraisals/", views_appraisal.appraisal_list, name="appraisals"),
    path("appraisals/mine/", views_appraisal.appraisal_mine, name="appraisal-mine"),
    path("appraisals/settings/", views_appraisal.appraisal_settings, name="appraisal-settings"),
    path("appraisals/<str:action>/run/", views_appraisal.appraisal_run, name="appraisal-run"),
    path("appraisals/<int:pk>/", views_appraisal.appraisal_detail, name="appraisal"),
    path("appraisals/<int:pk>/object/", views_appraisal.appraisal_object, name="appraisal-object"),
    path("class-honours/", views_appraisal.honours_page, name="honours"),
    path("class-honours/<int:pk>/decide/", views_appraisal.honour_decide, name="honour-decide"),
    # semester report
    path("report/", views_report.report, name="report"),
    path("report/runs/<int:pk>/", views_report.report_run, name="report-run"),
    path("report/runs/<int:pk>/<str:fmt>/", views_report.report_download, name="report-download"),
    path("report/export/", views_report.report_export, name="report-export"),
    path("", views.index, name="index"),
]
