from django.contrib import admin

from campusgrid.core.admin import ReadOnlyAdmin

from .models import AccessLog, PoliticalStatusChange, Staff, Student


class PoliticalStatusInline(admin.TabularInline):
    model = PoliticalStatusChange
    extra = 0
    fields = ["status", "changed_on", "note", "recorded_by"]
    readonly_fields = ["recorded_by"]


@admin.register(Student)
class StudentAdmin(admin.ModelAdmin):
    list_display = ["student_no", "name", "gender", "college", "school_class", "status", "political_status"]
    list_filter = ["status", "political_status", "college"]
    search_fields = ["student_no", "name", "name_initials"]
    list_select_related = ["college", "school_class"]
    raw_id_fields = ["bed", "user", "school_class"]
    inlines = [PoliticalStatusInline]
    readonly_fields = ["version"]


@admin.register(Staff)
class StaffAdmin(admin.ModelAdmin):
    list_display = ["staff_no", "name", "college", "roles_display", "active"]
    list_filter = ["college", "active"]
    search_fields = ["staff_no", "name"]
    raw_id_fields = ["user"]


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor_name", "action", "item", "student_no", "ip", "purpose"]
    list_filter = ["action", "item"]
    search_fields = ["student_no", "actor_name"]
    date_hierarchy = "at"
