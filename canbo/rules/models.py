"""Rule sets are data: a set has an effective date, and each of its rules a code,
a citation, a severity and parameters. Checks read them as plain values
(`canbo.rules.selectors.rule_set_in_force`), never as model instances."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import Severity


class RuleSet(models.Model):
    code = models.CharField(_("mã bộ quy định"), max_length=50, unique=True)
    name = models.CharField(_("tên"), max_length=300)
    effective_from = models.DateField(
        _("hiệu lực từ"),
        unique=True,
        help_text=_("Bộ quy định áp dụng cho mọi ngày từ ngày này đến trước bộ kế tiếp."),
    )
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("bộ quy định kiểm tra")
        verbose_name_plural = _("bộ quy định kiểm tra")
        ordering = ["-effective_from"]

    def __str__(self) -> str:
        return self.code


class Rule(models.Model):
    rule_set = models.ForeignKey(
        RuleSet, verbose_name=_("bộ quy định"), on_delete=models.CASCADE, related_name="rules"
    )
    code = models.CharField(_("mã quy tắc"), max_length=20)
    name = models.CharField(_("nội dung"), max_length=300)
    citation = models.CharField(_("căn cứ"), max_length=300)
    severity = models.CharField(_("mức độ"), max_length=10, choices=Severity.choices)
    parameters = models.JSONField(_("tham số"), default=dict, blank=True)
    enabled = models.BooleanField(_("đang áp dụng"), default=True)

    class Meta:
        verbose_name = _("quy tắc kiểm tra")
        verbose_name_plural = _("quy tắc kiểm tra")
        ordering = ["rule_set", "code"]
        constraints = [
            models.UniqueConstraint(fields=["rule_set", "code"], name="rule_set_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.rule_set.code})"
