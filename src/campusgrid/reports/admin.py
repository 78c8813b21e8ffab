from django.contrib import admin

from .models import Category, DeadlinePolicy, Report, ReportEvent


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "urgent", "sensitive", "active", "order"]
    list_editable = ["urgent", "sensitive", "active", "order"]


@admin.register(DeadlinePolicy)
class DeadlinePolicyAdmin(admin.ModelAdmin):
    list_display = ["severity", "accept_minutes", "handle_minutes"]


class EventInline(admin.TabularInline):
    model = ReportEvent
    extra = 0
    can_delete = False
    readonly_fields = [
        "at",
        "actor_name",
        "action",
        "from_state",
        "to_state",
        "from_level",
        "to_level",
        "note",
    ]
    exclude = ["actor"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    """Read-only: reports change only through the workflow (pages and API)."""

    list_display = ["id", "category", "severity", "state", "level", "college", "created_at"]
    list_filter = ["state", "severity", "category", "level"]
    inlines = [EventInline]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Report._meta.fields] + ["students", "classes"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
