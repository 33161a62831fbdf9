from django.contrib import admin

from .models import Plan, PlanEntry, PlanPosition, PlanReview, PlanTransition


class ReadOnlyHistory:
    """History rows are written by the services only; the admin shows them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PlanPositionInline(ReadOnlyHistory, admin.TabularInline):
    model = PlanPosition
    extra = 0
    raw_id_fields = ("position",)


class PlanTransitionInline(ReadOnlyHistory, admin.TabularInline):
    model = PlanTransition
    extra = 0
    fields = ("at", "from_status", "to_status", "actor", "reason", "decision_number")


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ("name", "planning_unit", "term", "status", "decision_number", "approved_on")
    list_filter = ("status", "term")
    search_fields = ("name", "planning_unit__name", "planning_unit__code", "decision_number")
    raw_id_fields = ("planning_unit", "approver_unit")
    readonly_fields = ("status", "created_at", "updated_at")
    inlines = [PlanPositionInline, PlanTransitionInline]

    def has_delete_permission(self, request, obj=None):
        return False  # nothing is ever deleted


@admin.register(PlanEntry)
class PlanEntryAdmin(ReadOnlyHistory, admin.ModelAdmin):
    list_display = ("plan", "person", "position", "source", "added_on", "removed_on")
    list_filter = ("source", "first_time", "removal_reason")
    search_fields = ("person__full_name", "person__id_number", "plan__name")
    raw_id_fields = ("plan", "person", "position", "added_in_review", "removed_in_review")


@admin.register(PlanReview)
class PlanReviewAdmin(ReadOnlyHistory, admin.ModelAdmin):
    list_display = ("plan", "reviewed_on", "decision_number")
    search_fields = ("plan__name", "decision_number")


@admin.register(PlanTransition)
class PlanTransitionAdmin(ReadOnlyHistory, admin.ModelAdmin):
    list_display = ("plan", "from_status", "to_status", "at", "actor")
    list_filter = ("to_status",)
