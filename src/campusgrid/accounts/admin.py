from django.contrib import admin

from .models import WeComAccount


@admin.register(WeComAccount)
class WeComAccountAdmin(admin.ModelAdmin):
    list_display = ("user", "userid", "source", "messages_enabled", "updated_at")
    search_fields = ("user__username", "userid")
    list_filter = ("source", "messages_enabled")
    raw_id_fields = ("user",)
