from django.urls import path  # noqa: F401

from .views import opinion as opinion_views
from .views import pairing as pairing_views
from .views import visits as visit_views

app_name = "service"

urlpatterns: list = [
    # pairing, 舆情, visits
    path("pairings/", pairing_views.pairing_list, name="pairing-list"),
    path("pairings/mark/", pairing_views.pairing_mark, name="pairing-mark"),
    path("pairings/new/", pairing_views.pairing_new, name="pairing-new"),
    path("pairings/mine/", pairing_views.pairing_mine, name="pairing-mine"),
    path("pairings/<int:pk>/", pairing_views.pairing_detail, name="pairing-detail"),
    path("pairings/<int:pk>/outcome/", pairing_views.pairing_outcome, name="pairing-outcome"),
    path("jobs/", pairing_views.job_list, name="job-list"),
    path("opinion/", opinion_views.opinion_mine, name="opinion-mine"),
    path("opinion/summary/", opinion_views.opinion_summary, name="opinion-summary"),
    path("opinion/periods/", opinion_views.opinion_periods, name="opinion-periods"),
    path("opinion/items/<int:pk>/", opinion_views.opinion_item, name="opinion-item"),
    path(
        "opinion/items/<int:pk>/escalate/", opinion_views.opinion_item_escalate, name="opinion-item-escalate"
    ),
    path("visits/", visit_views.visit_list, name="visit-list"),
    path("visits/new/", visit_views.visit_new, name="visit-new"),
    path("visits/progress/", visit_views.visit_progress, name="visit-progress"),
    path("visits/<int:pk>/", visit_views.visit_detail, name="visit-detail"),
    path("visits/follow-ups/<int:pk>/<str:action>/", visit_views.visit_follow_up, name="visit-follow-up"),
]
