"""What the commands that print findings share (`check-planning`, `check-procedures`).

Each takes `--unit CODE`, `--as-of YYYY-MM-DD` (or dd/mm/yyyy; today by default) and
`--format text|json`, reports on the rule set in force on the date, and exits 0 whatever
the findings: it reports, it does not gate. Wrong arguments or no rule set in force give a
`CommandError` in Vietnamese.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from canbo.core.dates import parse_day
from canbo.organizations.models import Unit

from .choices import Severity
from .findings import Finding
from .ruleset import RuleSetData
from .selectors import NoRuleSetInForce, rule_set_in_force


class FindingsCommand(BaseCommand):
    unit_help = ""

    def add_arguments(self, parser):
        parser.add_argument("--unit", help=self.unit_help)
        parser.add_argument(
            "--as-of", dest="as_of", help=_("Ngày kiểm tra (YYYY-MM-DD); mặc định hôm nay.")
        )
        parser.add_argument(
            "--format",
            dest="output_format",
            choices=("text", "json"),
            default="text",
            help=_("Định dạng kết quả: text (mặc định) hoặc json."),
        )

    @staticmethod
    def as_of(text: str | None) -> dt.date:
        try:
            return parse_day(text) if text else dt.date.today()
        except ValueError:
            raise CommandError(
                _("Ngày không hợp lệ: “%(text)s” (viết YYYY-MM-DD hoặc dd/mm/yyyy).")
                % {"text": text}
            ) from None

    @staticmethod
    def unit(code: str | None) -> Unit | None:
        if not code:
            return None
        found = Unit.objects.filter(code=code.strip()).first()
        if found is None:
            raise CommandError(_("Không có đơn vị mã “%(code)s”.") % {"code": code})
        return found

    @staticmethod
    def rule_set(as_of: dt.date) -> RuleSetData:
        try:
            return rule_set_in_force(as_of)
        except NoRuleSetInForce as exc:
            raise CommandError(str(exc)) from None

    def write_text(
        self, findings: Iterable[Finding], subject: Callable[[Finding], list[str]]
    ) -> None:
        """One line per finding, "[Lỗi] P1 – subject; …: message (citation)", then totals."""
        findings = list(findings)
        for f in findings:
            about = "; ".join(subject(f))
            about = f" – {about}" if about else ""
            label = Severity(f.severity).label
            self.stdout.write(f"[{label}] {f.rule}{about}: {f.message} ({f.citation})")
        if not findings:
            self.stdout.write(_("Không có phát hiện nào."))
            return
        counts = {s: sum(1 for f in findings if f.severity == s) for s in Severity.values}
        self.stdout.write(
            _(
                "Tổng cộng %(total)d phát hiện: %(error)d lỗi, %(warning)d cảnh báo, "
                "%(flag)d cần xem xét."
            )
            % {"total": len(findings), **counts}
        )
