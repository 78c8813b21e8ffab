from django.urls import path

from .views import opinion as opinion_views
from .views import pairing as pairing_views
from .views import sessions, teams, training, volunteers
from .views import visits as visit_views

app_name = "service"

urlpatterns: list = [
    # sessions, attendance, hours (svc-core)
    path("sessions/", sessions.session_list, name="session-list"),
    path("sessions/new/", sessions.session_new, name="session-new"),
    path("sessions/<int:pk>/", sessions.session_detail, name="session-detail"),
    path("sessions/<int:pk>/attendance/", sessions.session_attendance, name="session-attendance"),
    path("sessions/<int:pk>/hours/", sessions.session_hours, name="session-hours"),
    path("sessions/<int:pk>/served/", sessions.session_served, name="session-served"),
    path("sessions/<int:pk>/signup/", sessions.session_signup, name="session-signup"),
    path("sessions/<int:pk>/end/", sessions.session_end, name="session-end"),
    path("sessions/<int:pk>/code/", sessions.session_code, name="session-code"),
    path("sessions/<int:pk>/qr.svg", sessions.session_qr, name="session-qr"),
    path("sign-in/", sessions.sign_in, name="sign-in"),
    path("my/", sessions.my_sessions, name="my-sessions"),
    path("my/hours/", sessions.my_hours, name="my-hours"),
    path("hours/", sessions.hours_ledger, name="hours-ledger"),
    path("volunteers/", volunteers.volunteer_list, name="volunteer-list"),
    path("served/", volunteers.served_list, name="served-list"),
    path("teams/", teams.team_list, name="team-list"),
    path("teams/new/", teams.team_new, name="team-new"),
    path("teams/<int:pk>/", teams.team_detail, name="team-detail"),
    path(
        "teams/<int:pk>/members/<str:student_no>/remove/", teams.team_member_remove, name="team-member-remove"
    ),
    path("training/", training.training_ledger, name="training"),
    # end of svc-core
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
