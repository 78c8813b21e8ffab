from django.urls import path

from . import views

app_name = "dashboards"

urlpatterns: list = [
    path("", views.index, name="index"),
    # appraisal, honours and the semester report add their lines below their own comment
]
