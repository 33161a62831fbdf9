from django.contrib import admin

from .models import (
    Directive,
    HearingInvitation,
    HearingSlot,
    Holiday,
    MonitoringGroup,
    Task,
    TaskAssignment,
)


class TaskInline(admin.StackedInline):
    model = Task
    extra = 0
    raw_id_fields = ("parent", "lead_unit", "leader")
    filter_horizontal = ("coordinating_units",)


class HearingSlotInline(admin.TabularInline):
    model = HearingSlot
    extra = 0


class HearingInvitationInline(admin.TabularInline):
    model = HearingInvitation
    extra = 0
    raw_id_fields = ("unit", "slot")


@admin.register(Directive)
class DirectiveAdmin(admin.ModelAdmin):
    list_display = ("number", "title", "kind", "issued_on", "issuing_unit")
    list_filter = ("kind",)
    search_fields = ("number", "title")
    raw_id_fields = ("issuing_unit", "implements")
    inlines = [TaskInline, HearingSlotInline, HearingInvitationInline]


@admin.register(TaskAssignment)
class TaskAssignmentAdmin(admin.ModelAdmin):
    list_display = ("task", "unit", "completed_on")
    raw_id_fields = ("task", "unit")


@admin.register(MonitoringGroup)
class MonitoringGroupAdmin(admin.ModelAdmin):
    list_display = ("name", "owner")
    raw_id_fields = ("owner",)
    filter_horizontal = ("units",)


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ("day", "name", "working")
