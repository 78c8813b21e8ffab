from django.urls import path

from . import views

app_name = "dossiers"

urlpatterns = [
    path("", views.key_student_list, name="list"),
    path("warnings/", views.warning_list, name="warnings"),
    path("warnings/<int:pk>/<str:decision>/", views.warning_decide, name="warning-decide"),
    path("screening/", views.screening_list, name="screening"),
    path("screening/import/", views.screening_import, name="screening-import"),
    path("screening/template/", views.screening_template, name="screening-template"),
    path("screening/<int:pk>/follow-up/", views.screening_follow_up, name="screening-follow-up"),
    path("grants/", views.grant_list, name="grants"),
    path("grants/<int:pk>/revoke/", views.grant_revoke, name="grant-revoke"),
    path("access-log/", views.access_log, name="access-log"),
    path("<str:student_no>/", views.dossier, name="dossier"),
    path("<str:student_no>/edit/", views.key_student_edit, name="edit"),
    path("<str:student_no>/remove/", views.key_student_remove, name="remove"),
    path("<str:student_no>/review/", views.key_student_review, name="review"),
    path("<str:student_no>/talks/new/", views.talk_new, name="talk-new"),
    path("<str:student_no>/pdf/", views.dossier_pdf, name="pdf"),
]
