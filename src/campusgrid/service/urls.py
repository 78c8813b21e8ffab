from django.urls import path

from .views import sessions, teams, training

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
    path("sessions/<int:pk>/code/", sessions.session_code, name="session-code"),
    path("sessions/<int:pk>/qr.svg", sessions.session_qr, name="session-qr"),
    path("sign-in/", sessions.sign_in, name="sign-in"),
    path("my/", sessions.my_sessions, name="my-sessions"),
    path("my/hours/", sessions.my_hours, name="my-hours"),
    path("hours/", sessions.hours_ledger, name="hours-ledger"),
    path("teams/", teams.team_list, name="team-list"),
    path("teams/new/", teams.team_new, name="team-new"),
    path("teams/<int:pk>/", teams.team_detail, name="team-detail"),
    path(
        "teams/<int:pk>/members/<str:student_no>/remove/", teams.team_member_remove, name="team-member-remove"
    ),
    path("training/", training.training_ledger, name="training"),
    # end of svc-core
]
