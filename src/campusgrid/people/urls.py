from django.urls import path

from . import views

app_name = "people"

urlpatterns = [
    path("me/data/", views.my_data, name="my-data"),
    path("students/", views.student_list, name="students"),
    path("students/<str:student_no>/", views.student_detail, name="student"),
    path("classes/", views.class_list, name="classes"),
    path("classes/<str:name>/", views.class_detail, name="class"),
    path("rooms/<str:building>/<str:number>/", views.room_detail, name="room"),
    path("me/", views.profile, name="profile"),
]
