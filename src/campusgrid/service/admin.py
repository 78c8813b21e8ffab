from django import forms
from django.contrib import admin

from campusgrid.grid.models import PostKind

# --- sessions, hours, teams, training (svc-core) ---
from .models import HoursCredit, Session, TrainingRequirement, VolunteerTeam


class TrainingRequirementForm(forms.ModelForm):
    post_kind = forms.ChoiceField(label="网格职务", choices=PostKind.choices)

    class Meta:
        model = TrainingRequirement
        fields = ["post_kind", "topic", "within_days", "counts_before_days", "active"]


@admin.register(TrainingRequirement)
class TrainingRequirementAdmin(admin.ModelAdmin):
    """培训要求: which post kind needs which training, within how many days of appointment."""

    form = TrainingRequirementForm
    list_display = ["post_kind", "topic", "within_days", "counts_before_days", "active"]
    list_filter = ["post_kind", "active"]


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "topic", "college", "starts_at", "hours"]
    list_filter = ["kind", "college"]
    search_fields = ["title", "topic"]
    raw_id_fields = ["organiser", "team", "branch", "served_students", "audience_classes", "audience_rooms"]


@admin.register(VolunteerTeam)
class VolunteerTeamAdmin(admin.ModelAdmin):
    list_display = ["name", "theme", "college", "branch", "active"]
    list_filter = ["college", "active"]
    raw_id_fields = ["leader", "branch"]


@admin.register(HoursCredit)
class HoursCreditAdmin(admin.ModelAdmin):
    """The hours ledger is append-only: rows are read here, corrected on the session page."""

    list_display = ["session", "student", "staff", "kind", "hours", "correction", "reason", "at"]
    list_filter = ["kind", "correction"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


from . import admin_more  # noqa: E402, F401  (pairing, 舆情, visits)
