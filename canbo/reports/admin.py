"""Rounds, submissions and corrections in the admin, to read only: every write goes
through `services` (the round's directive and assignments, scope, audit)."""

from django.contrib import admin

from .models import ReportRound, Submission, SubmissionCorrection


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CorrectionInline(admin.TabularInline):
    model = SubmissionCorrection
    extra = 0
    fields = ("row", "column", "computed", "corrected", "reason", "corrected_at", "corrected_by")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReportRound)
class ReportRoundAdmin(ReadOnly):
    list_display = ("name", "period_kind", "period_start", "period_end", "deadline",
                    "issuing_unit", "level")  # fmt: skip
    list_filter = ("period_kind", "level")
    search_fields = ("name",)
    list_select_related = ("issuing_unit",)


@admin.register(Submission)
class SubmissionAdmin(ReadOnly):
    list_display = ("round", "unit", "form_code", "status", "submitted_at", "decided_at")
    list_filter = ("status", "form_code")
    search_fields = ("unit__code", "unit__name", "round__name")
    list_select_related = ("round", "unit")
    inlines = [CorrectionInline]
