"""Units are searchable in the admin so scope grants can pick them; they are
edited through the application's own pages (services, audit), not here."""

from django.contrib import admin

from .models import Unit


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    search_fields = ["code", "name", "name_folded"]
    list_display = ["code", "name", "kind", "level"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
