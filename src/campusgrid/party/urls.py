from django.urls import path

from .views import assess as assess_views
from .views import awards as award_views
from .views import meetings as meeting_views

app_name = "party"

urlpatterns: list = [
    # assessments, awards, meetings
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
