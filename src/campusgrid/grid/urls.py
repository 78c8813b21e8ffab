from django.urls import path

from . import views

app_name = "grid"

urlpatterns = [
    path("coverage/", views.coverage_page, name="coverage"),
    path("posts/", views.post_list, name="posts"),
    path("posts/<int:pk>/", views.post_detail, name="post"),
    path("appoint/", views.appoint, name="appoint"),
    path("students/<str:student_no>/placement/", views.student_placement, name="placement"),
    path("import/", views.import_page, name="import"),
    path("import/template/<str:kind>.xlsx", views.import_template, name="import-template"),
]
