from django.urls import path

from . import api

urlpatterns = [
    path("coverage/", api.CoverageView.as_view(), name="api-coverage"),
    path("students/<str:student_no>/chain/", api.ChainView.as_view(), name="api-student-chain"),
    path("vacancy-candidates/", api.CandidatesView.as_view(), name="api-vacancy-candidates"),
]
