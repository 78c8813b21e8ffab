from django.urls import path

from . import views

app_name = "ledgers"

urlpatterns = [
    path("night/", views.night_index, name="night"),
    path("night/progress/", views.night_progress, name="night-progress"),
    path("night/records/", views.night_list, name="night-list"),
    path("night/rooms/<int:room_id>/", views.night_check, name="night-check"),
    path("leave/", views.leave_list, name="leave-list"),
    path("leave/new/", views.leave_new, name="leave-new"),
    path("leave/<int:pk>/", views.leave_detail, name="leave-detail"),
    path("leave/<int:pk>/<str:action>/", views.leave_act, name="leave-act"),
    path("holiday/", views.holiday_list, name="holiday-list"),
    path("holiday/open/", views.holiday_open, name="holiday-open"),
    path("holiday/ledger/", views.holiday_ledger, name="holiday-ledger"),
    path("holiday/<int:pk>/", views.holiday_window, name="holiday-window"),
    path("holiday/<int:pk>/register/", views.holiday_register, name="holiday-register"),
    path("holiday/registrations/<int:pk>/depart/", views.holiday_depart, name="holiday-depart"),
    path("holiday/registrations/<int:pk>/return/", views.holiday_return, name="holiday-return"),
    path("inspections/", views.inspection_list, name="inspection-list"),
    path("inspections/new/", views.inspection_new, name="inspection-new"),
    path("inspections/<int:pk>/", views.inspection_round, name="inspection-round"),
    path("inspections/rooms/<int:pk>/", views.inspection_room, name="inspection-room"),
    path("findings/", views.finding_list, name="finding-list"),
    path("findings/<int:pk>/", views.finding_detail, name="finding"),
    path("findings/<int:pk>/photo/", views.finding_photo, name="finding-photo"),
    path("ratings/", views.ratings, name="ratings"),
]
