from django.contrib import admin

from .models import AccessGrant, PartyBranch, PartyRoom, Post, SmallGrid


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    """Appointments should go through the pages (eligibility, succession); the
    admin is for corrections and keeps the same records."""

    list_display = ["kind", "holder_name", "place_label", "start_date", "end_date"]
    list_filter = ["kind", "end_date"]
    search_fields = ["student__student_no", "student__name", "staff__staff_no", "staff__name"]
    raw_id_fields = [
        "student",
        "staff",
        "room",
        "school_class",
        "college",
        "branch",
        "small_grid",
        "appointed_by",
    ]
    list_select_related = [
        "student",
        "staff",
        "room__building",
        "school_class",
        "college",
        "branch",
        "small_grid",
    ]


class SmallGridInline(admin.TabularInline):
    model = SmallGrid
    extra = 0


@admin.register(PartyBranch)
class PartyBranchAdmin(admin.ModelAdmin):
    list_display = ["name", "college", "kind"]
    list_filter = ["college", "kind"]
    inlines = [SmallGridInline]


@admin.register(PartyRoom)
class PartyRoomAdmin(admin.ModelAdmin):
    list_display = ["room", "branch", "small_grid"]
    list_filter = ["branch"]
    search_fields = ["room__number", "room__building__name"]
    raw_id_fields = ["room"]
    list_select_related = ["room__building", "branch", "small_grid__branch"]

    def get_search_results(self, request, queryset, search_term):
        if "/" in search_term:
            building, _, number = search_term.partition("/")
            return queryset.filter(room__building__name=building, room__number=number), False
        return super().get_search_results(request, queryset, search_term)


@admin.register(AccessGrant)
class AccessGrantAdmin(admin.ModelAdmin):
    list_display = ["user", "student", "until", "reason", "granted_by", "granted_at"]
    raw_id_fields = ["user", "student", "granted_by"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.granted_by = request.user
        super().save_model(request, obj, form, change)
