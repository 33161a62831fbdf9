"""User administration. Writes made here are audited like every other write."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from canbo.core.audit import AuditAction, record_write, snapshot

from .models import ScopeGrant, User

SECRET_FIELDS = ["password", "last_login"]


class AuditedAdminMixin:
    def save_model(self, request, obj, form, change):
        before = snapshot(type(obj).objects.get(pk=obj.pk), exclude=SECRET_FIELDS) if change else {}
        super().save_model(request, obj, form, change)
        record_write(
            actor=request.user,
            action=AuditAction.UPDATE if change else AuditAction.CREATE,
            instance=obj,
            before=before,
            after=snapshot(obj, exclude=SECRET_FIELDS),
        )

    def delete_model(self, request, obj):
        record_write(
            actor=request.user,
            action=AuditAction.DELETE,
            instance=obj,
            before=snapshot(obj, exclude=SECRET_FIELDS),
        )
        super().delete_model(request, obj)

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            record_write(
                actor=request.user, action=AuditAction.DELETE, instance=obj, before=snapshot(obj)
            )
            obj.delete()
        for obj in instances:
            is_new = obj.pk is None
            before = {} if is_new else snapshot(type(obj).objects.get(pk=obj.pk))
            obj.save()
            record_write(
                actor=request.user,
                action=AuditAction.CREATE if is_new else AuditAction.UPDATE,
                instance=obj,
                before=before,
                after=snapshot(obj),
            )
        formset.save_m2m()


class ScopeGrantInline(admin.TabularInline):
    model = ScopeGrant
    extra = 1
    autocomplete_fields = ["unit"]


@admin.register(User)
class UserAdmin(AuditedAdminMixin, BaseUserAdmin):
    list_display = ["username", "first_name", "role", "is_active", "last_login"]
    list_filter = ["role", "is_active"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (_("Vai trò trong canbo"), {"fields": ["role"]}),
    ]
    add_fieldsets = [
        *BaseUserAdmin.add_fieldsets,
        (_("Vai trò trong canbo"), {"fields": ["role"]}),
    ]
    inlines = [ScopeGrantInline]
