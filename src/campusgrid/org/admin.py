from django.contrib import admin

from .models import (
    Bed,
    Building,
    College,
    Floor,
    Grade,
    Holiday,
    Major,
    Room,
    SchoolClass,
    Semester,
    University,
)


@admin.register(University)
class UniversityAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(College)
class CollegeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "university"]
    search_fields = ["name"]


@admin.register(Grade)
class GradeAdmin(admin.ModelAdmin):
    list_display = ["year", "college"]
    list_filter = ["college"]


@admin.register(Major)
class MajorAdmin(admin.ModelAdmin):
    list_display = ["name", "college"]
    list_filter = ["college"]
    search_fields = ["name"]


@admin.register(SchoolClass)
class SchoolClassAdmin(admin.ModelAdmin):
    list_display = ["name", "college", "major", "grade"]
    list_filter = ["college", "grade__year"]
    search_fields = ["name"]
    list_select_related = ["college", "major", "grade"]


@admin.register(Building)
class BuildingAdmin(admin.ModelAdmin):
    list_display = ["name", "gender"]
    search_fields = ["name"]


@admin.register(Floor)
class FloorAdmin(admin.ModelAdmin):
    list_display = ["building", "number"]
    list_filter = ["building"]


class BedInline(admin.TabularInline):
    model = Bed
    extra = 0


@admin.register(Room)
class RoomAdmin(admin.ModelAdmin):
    list_display = ["label", "floor", "capacity"]
    list_filter = ["building"]
    search_fields = ["number", "building__name"]
    list_select_related = ["building", "floor__building"]
    inlines = [BedInline]


class HolidayInline(admin.TabularInline):
    model = Holiday
    extra = 0


@admin.register(Semester)
class SemesterAdmin(admin.ModelAdmin):
    list_display = ["name", "start", "end"]
    inlines = [HolidayInline]
