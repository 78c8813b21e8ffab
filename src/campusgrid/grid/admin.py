from django import forms
from django.contrib import admin

from campusgrid.core.errors import ServiceError
from campusgrid.org.models import room_label_q

from . import services
from .models import POST_RULES, AccessGrant, PartyBranch, PartyRoom, Post, SmallGrid


class PostAdminForm(forms.ModelForm):
    """Adding appoints and setting the end date ends, through the grid services: the
    eligibility rules, successions and the audit row apply in the admin as on the pages.
    The service runs in `clean()` (inside the admin's transaction) so that its refusal
    shows on the form instead of as an error page."""

    note = forms.CharField(label="备注", required=False, max_length=255)

    request = None  # set by PostAdmin.get_form

    class Meta:
        model = Post
        fields = [
            "kind",
            "student",
            "staff",
            "room",
            "school_class",
            "college",
            "branch",
            "small_grid",
            "start_date",
            "appointed_by",
            "end_date",
            "end_reason",
        ]

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        actor = self.request.user
        try:
            if self.instance.pk is None:
                holder = data.get("student") or data.get("staff")
                if holder is None:
                    raise forms.ValidationError("请指定任职的学生或教职工")
                rule = POST_RULES.get(data.get("kind"), {})
                place = data.get(rule.get("place")) if rule.get("place") else None
                self.instance = services.post_appoint(
                    actor=actor,
                    kind=data["kind"],
                    holder=holder,
                    place=place,
                    start=data.get("start_date"),
                    note=data.get("note", ""),
                )
            elif data.get("end_date") and self.initial.get("end_date") is None:
                self.instance = services.post_end(
                    actor=actor, post=self.instance, on=data["end_date"], reason=data.get("end_reason", "")
                )
        except ServiceError as exc:
            raise forms.ValidationError(exc.message)
        return data


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    """Appointing and ending go through `post_appoint` / `post_end` (see PostAdminForm);
    a post's holder, place and start are history and cannot be edited, nor deleted."""

    form = PostAdminForm
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
    HISTORY = ["kind", "student", "staff", "room", "school_class", "college", "branch", "small_grid"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"request": request})

    def get_fields(self, request, obj=None):
        if obj is None:
            return [*self.HISTORY, "start_date", "note"]
        return [*self.HISTORY, "start_date", "appointed_by", "end_date", "end_reason"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        ended = ["end_date", "end_reason"] if obj.end_date is not None else []
        return [*self.HISTORY, "start_date", "appointed_by", *ended]

    def save_model(self, request, obj, form, change):
        """The service has written the post (and its audit row) in `PostAdminForm.clean`."""

    def has_delete_permission(self, request, obj=None):
        return False


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
            return queryset.filter(room_label_q(search_term, "room")), False
        return super().get_search_results(request, queryset, search_term)


@admin.register(AccessGrant)
class AccessGrantAdmin(admin.ModelAdmin):
    list_display = ["user", "student", "until", "reason", "granted_by", "granted_at"]
    raw_id_fields = ["user", "student", "granted_by"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.granted_by = request.user
        super().save_model(request, obj, form, change)
