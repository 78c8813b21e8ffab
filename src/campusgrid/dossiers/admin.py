"""Configuration lives in the admin (reasons, instruments and their thresholds,
early-warning rules); the records themselves are read-only here, written only
through the services so that every change is audited and the access log holds."""

from django.contrib import admin

from .models import KeyReason, ScreeningInstrument, WarningRule


@admin.register(KeyReason)
class KeyReasonAdmin(admin.ModelAdmin):
    list_display = ["name", "order", "active"]
    list_editable = ["order", "active"]

    def has_delete_permission(self, request, obj=None):
        return False  # reasons in use stay in the history; deactivate instead


@admin.register(ScreeningInstrument)
class ScreeningInstrumentAdmin(admin.ModelAdmin):
    list_display = ["name", "threshold", "max_score", "active", "description"]
    list_editable = ["threshold", "max_score", "active"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(WarningRule)
class WarningRuleAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "params", "suggested_reason", "suggested_level", "active", "order"]
    list_editable = ["active", "order"]

    def get_readonly_fields(self, request, obj=None):
        return ["key", "kind"] if obj is not None else []

    def has_delete_permission(self, request, obj=None):
        return False
