from django.urls import path

from . import views

app_name = "party"

urlpatterns = [
    path("", views.board, name="board"),
    path("files/new/", views.file_new, name="file-new"),
    path("files/<str:number>/", views.file_detail, name="file"),
    path("files/<str:number>/steps/", views.step_record, name="step"),
    path("files/<str:number>/materials/", views.material_upload, name="material-upload"),
    path("files/<str:number>/materials/<int:pk>/", views.material_download, name="material"),
    path("files/<str:number>/register.pdf", views.register_pdf, name="register-pdf"),
    path("meetings/", views.meetings, name="meetings"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    # party-assess: assessments, awards and regular meetings below this line.
]
