from django.contrib import admin

from .models import (
    Finding,
    FindingRecheck,
    HolidayRegistration,
    HolidayWindow,
    Inspection,
    InspectionItem,
    InspectionRound,
    LeaveRequest,
    LedgerSettings,
    NightCheck,
    NightCheckCorrection,
    NightCheckEntry,
    NightCheckFlag,
    RoomRating,
)


@admin.register(LedgerSettings)
class LedgerSettingsAdmin(admin.ModelAdmin):
    """The one row of times and thresholds (查寝时间、整改期限、评比分数线)."""

    fieldsets = [
        ("查寝", {"fields": ["check_open_time", "check_flag_time", "correction_cutoff"]}),
        ("请假与节假日", {"fields": ["leave_grace_minutes", "holiday_return_time"]}),
        ("安全检查", {"fields": ["finding_deadline_days"]}),
        (
            "文明宿舍评比",
            {
                "fields": [
                    "min_inspections",
                    "civil_min_score",
                    "star_scores",
                    "model_min_score",
                    "model_max_findings",
                ]
            },
        ),
    ]

    def has_add_permission(self, request):
        return not LedgerSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(InspectionItem)
class InspectionItemAdmin(admin.ModelAdmin):
    list_display = ["name", "illegal_appliance", "report_category", "active", "order"]
    list_editable = ["illegal_appliance", "report_category", "active", "order"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Ledger records change only through the pages and the API (services keep history)."""

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields] + [m.name for m in self.model._meta.many_to_many]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class EntryInline(admin.TabularInline):
    model = NightCheckEntry
    extra = 0
    can_delete = False
    fields = ["student", "status", "time", "leave", "report"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(NightCheck)
class NightCheckAdmin(ReadOnlyAdmin):
    list_display = [
        "date",
        "room",
        "checked_by_name",
        "present_count",
        "leave_count",
        "late_count",
        "absent_count",
    ]
    list_filter = ["date"]
    search_fields = ["room__building__name", "room__number"]
    list_select_related = ["room__building"]
    inlines = [EntryInline]


@admin.register(NightCheckCorrection)
class NightCheckCorrectionAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor_name", "from_status", "to_status"]


@admin.register(NightCheckFlag)
class NightCheckFlagAdmin(ReadOnlyAdmin):
    list_display = ["date", "room", "flagged_at"]
    list_select_related = ["room__building"]


@admin.register(LeaveRequest)
class LeaveRequestAdmin(ReadOnlyAdmin):
    list_display = ["student", "kind", "start", "end", "state", "decided_by_name", "returned_at"]
    list_filter = ["state", "kind"]
    search_fields = ["student__student_no", "student__name"]
    list_select_related = ["student"]


@admin.register(HolidayWindow)
class HolidayWindowAdmin(ReadOnlyAdmin):
    list_display = ["holiday", "school_class", "register_by", "return_due", "opened_by_name"]
    list_select_related = ["holiday__semester", "school_class"]


@admin.register(HolidayRegistration)
class HolidayRegistrationAdmin(ReadOnlyAdmin):
    list_display = ["student", "holiday", "plan", "destination", "return_due", "returned_at"]
    list_filter = ["plan"]
    search_fields = ["student__student_no", "student__name"]
    list_select_related = ["student", "holiday__semester"]


@admin.register(InspectionRound)
class InspectionRoundAdmin(ReadOnlyAdmin):
    list_display = ["date", "title", "kind", "created_by_name"]


@admin.register(Inspection)
class InspectionAdmin(ReadOnlyAdmin):
    list_display = ["round", "room", "state", "hygiene_score", "inspector_name"]
    list_select_related = ["round", "room__building"]


@admin.register(Finding)
class FindingAdmin(ReadOnlyAdmin):
    list_display = ["room", "item", "deadline", "state", "escalation_reason"]
    list_filter = ["state", "item"]
    list_select_related = ["room__building", "item"]


@admin.register(FindingRecheck)
class FindingRecheckAdmin(ReadOnlyAdmin):
    list_display = ["finding", "at", "actor_name", "result"]


@admin.register(RoomRating)
class RoomRatingAdmin(ReadOnlyAdmin):
    list_display = ["semester", "room", "average_score", "stars", "civil", "model_room", "building_rank"]
    list_filter = ["semester", "civil", "model_room", "stars"]
    list_select_related = ["room__building", "semester"]
