from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("mine/", views.report_mine, name="mine"),
    path("todo/", views.report_todo, name="todo"),
    path("new/", views.report_new, name="new"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/act/<str:action>/", views.report_action, name="act"),
    path("<int:pk>/photos/<int:photo_id>/", views.report_photo, name="photo"),
]
