from django.urls import path

from . import views
from .views import assess as assess_views
from .views import awards as award_views
from .views import meetings as meeting_views

app_name = "party"

urlpatterns = [
    path("", views.board, name="board"),
    path("files/new/", views.file_new, name="file-new"),
    path("files/<str:number>/", views.file_detail, name="file"),
    path("files/<str:number>/steps/", views.step_record, name="step"),
    path("files/<str:number>/materials/", views.material_upload, name="material-upload"),
    path("files/<str:number>/materials/<int:pk>/", views.material_download, name="material"),
    path("files/<str:number>/register.pdf", views.register_pdf, name="register-pdf"),
    # 支部党员大会 (admission and 转正 votes)
    path("assemblies/", views.assemblies, name="meetings"),
    path("assemblies/<int:pk>/", views.assembly_detail, name="meeting"),
    # assessments, awards, work meetings (公寓党建工作例会)
    path("assess/", assess_views.assess_mine, name="assess-mine"),
    path("assess/progress/", assess_views.assess_progress, name="assess-progress"),
    path("assess/sheet/<str:student_no>/", assess_views.assess_sheet, name="assess-sheet"),
    path("assess/<str:student_no>/", assess_views.assess_form, name="assess-form"),
    path("awards/", award_views.award_list, name="award-list"),
    path("awards/propose/", award_views.award_propose, name="award-propose"),
    path("awards/publish/", award_views.award_publish, name="award-publish"),
    path("awards/quota/", award_views.award_quota, name="award-quota"),
    path("awards/<int:pk>/decide/", award_views.award_decide, name="award-decide"),
    path("meetings/", meeting_views.meeting_list, name="meeting-list"),
    path("meetings/new/", meeting_views.meeting_new, name="meeting-new"),
    path("meetings/<int:pk>/", meeting_views.meeting_detail, name="meeting-detail"),
    path("meetings/opinions/<int:pk>/report/", meeting_views.opinion_report, name="opinion-report"),
]
