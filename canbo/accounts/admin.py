"""User administration. Writes made here are audited like every other write."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from canbo.core.audit import AuditAction, record_write, snapshot

from . import services
from .models import ApiToken, ScopeGrant, User
from .services import SECRET_FIELDS


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


class UserAddForm(AdminUserCreationForm):
    """Django's form for adding a user (passwords checked by the validators), for our User."""

    class Meta(AdminUserCreationForm.Meta):
        model = User


class ScopeGrantInline(admin.TabularInline):
    model = ScopeGrant
    extra = 1
    autocomplete_fields = ["unit"]


@admin.register(User)
class UserAdmin(AuditedAdminMixin, BaseUserAdmin):
    add_form = UserAddForm
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
    actions = ["reset_two_factor", "revoke_api_tokens"]

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:  # saved (and validated)
            services.record_password_set(
                actor=request.user, user=self.get_object(request, unquote(id))
            )
        return response

    @admin.action(description=_("Đặt lại xác thực hai bước (khi mất điện thoại)"))
    def reset_two_factor(self, request, queryset):
        removed = 0
        for user in queryset:
            removed += services.totp_devices_remove(actor=request.user, user=user)
        self.message_user(
            request,
            ngettext(
                "Đã xóa %(n)d thiết bị xác thực; người dùng sẽ thiết lập lại khi đăng nhập.",
                "Đã xóa %(n)d thiết bị xác thực; người dùng sẽ thiết lập lại khi đăng nhập.",
                removed,
            )
            % {"n": removed},
            messages.SUCCESS,
        )

    @admin.action(description=_("Thu hồi mọi mã truy cập API"))
    def revoke_api_tokens(self, request, queryset):
        revoked = sum(
            services.api_tokens_revoke_all(actor=request.user, user=user) for user in queryset
        )
        self.message_user(
            request,
            ngettext(
                "Đã thu hồi %(n)d mã truy cập API.", "Đã thu hồi %(n)d mã truy cập API.", revoked
            )
            % {"n": revoked},
            messages.SUCCESS,
        )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """API tokens: seen and revoked here; issued by `canbo create-api-token` (shown once)."""

    list_display = ["token_key", "user", "name", "created", "expiry"]
    list_filter = ["expiry"]
    search_fields = ["user__username", "token_key", "name"]
    fields = ["token_key", "user", "name", "created", "expiry"]
    readonly_fields = fields
    actions = ["revoke_selected"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def delete_model(self, request, obj):
        services.api_token_revoke(actor=request.user, token=obj)

    @admin.action(description=_("Thu hồi các mã truy cập đã chọn"), permissions=["delete"])
    def revoke_selected(self, request, queryset):
        tokens = list(queryset)
        for token in tokens:
            services.api_token_revoke(actor=request.user, token=token)
        self.message_user(
            request,
            ngettext(
                "Đã thu hồi %(n)d mã truy cập API.",
                "Đã thu hồi %(n)d mã truy cập API.",
                len(tokens),
            )
            % {"n": len(tokens)},
            messages.SUCCESS,
        )
