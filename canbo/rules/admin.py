"""Rule sets and rules in the admin: where an administrator tunes a parameter.

Writes go through `canbo.rules.services` (validated against the sample facts,
audited). Nothing is deleted: a rule is switched off with "đang áp dụng", and a
changed regulation comes as a new rule set with its own effective date.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from . import services
from .models import Rule, RuleSet


class RuleForm(forms.ModelForm):
    """Refuses parameters the rule's check cannot use, on the "tham số" field."""

    class Meta:
        model = Rule
        fields = ["code", "name", "citation", "severity", "parameters", "enabled"]

    def _post_clean(self):
        super()._post_clean()
        if self._errors.keys() & {"code", "severity", "parameters"}:
            return
        try:
            services.validate_rule_parameters(self.instance)
        except ValidationError as error:
            self._update_errors(error)


class RuleInline(admin.StackedInline):
    model = Rule
    form = RuleForm
    extra = 0
    fields = RuleForm.Meta.fields
    can_delete = False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RuleSet)
class RuleSetAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "effective_from"]
    search_fields = ["code", "name"]
    inlines = [RuleInline]

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        services.rule_set_save(request.user, obj)

    def save_formset(self, request, form, formset, change):
        for rule in formset.save(commit=False):
            services.rule_save(request.user, rule)
        formset.save_m2m()


@admin.register(Rule)
class RuleAdmin(admin.ModelAdmin):
    form = RuleForm
    list_display = ["rule_set", "code", "name", "severity", "enabled"]
    list_display_links = ["code", "name"]
    list_filter = ["rule_set", "severity", "enabled"]
    list_select_related = ["rule_set"]
    search_fields = ["code", "name", "citation"]
    fields = ["rule_set", *RuleForm.Meta.fields]

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        services.rule_save(request.user, obj)
