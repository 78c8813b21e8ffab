"""Admin of the pairing, 舆情 and visit settings (what is configurable: quiet days, length of
study, the reporting posts, the visit targets) and read-only views of the records."""

from django.contrib import admin

from .models import OpinionSettings, PairingSettings, SpecialPeriod, VisitTarget


@admin.register(PairingSettings)
class PairingSettingsAdmin(admin.ModelAdmin):
    list_display = ["__str__", "quiet_days", "program_years"]


@admin.register(OpinionSettings)
class OpinionSettingsAdmin(admin.ModelAdmin):
    list_display = ["__str__", "reporter_kinds"]


@admin.register(VisitTarget)
class VisitTargetAdmin(admin.ModelAdmin):
    list_display = ["__str__", "role", "kind", "per", "times", "active"]
    list_editable = ["times", "active"]


@admin.register(SpecialPeriod)
class SpecialPeriodAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "college", "start", "end", "due_time"]
    list_filter = ["kind", "college"]
