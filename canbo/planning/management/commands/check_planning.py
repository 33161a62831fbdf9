"""`canbo check-planning`: run the planning rules (P1–P9) over plans and print the findings.

The exit status is 0 whatever the findings (errors included): the command
reports, it does not gate. It is non-zero only when the arguments are wrong
(unknown unit, malformed term or date) or no rule set is in force on the date.
"""

import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from canbo.core.dates import format_day, parse_day, year_span
from canbo.organizations.models import Unit
from canbo.rules.choices import Severity
from canbo.rules.engine import run_checks
from canbo.rules.facts import CheckContext
from canbo.rules.selectors import NoRuleSetInForce, rule_set_in_force

from ...models import Plan
from ...selectors import planning_facts, plans_of
from ...serialize import findings_dicts


class Command(BaseCommand):
    help = _(
        "Kiểm tra quy hoạch cán bộ theo bộ quy định có hiệu lực (P1–P9) và in các phát hiện. "
        "Luôn trả về mã 0 khi tham số hợp lệ, kể cả khi có lỗi."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--unit", help=_("Mã đơn vị: chỉ kiểm tra quy hoạch của đơn vị này và cấp dưới.")
        )
        parser.add_argument("--term", help=_("Nhiệm kỳ quy hoạch, ví dụ 2030-2035."))
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

    def handle(self, *args, unit, term, as_of, output_format, **options):
        try:
            as_of = parse_day(as_of) if as_of else dt.date.today()
        except ValueError:
            raise CommandError(
                _("Ngày không hợp lệ: “%(text)s” (viết YYYY-MM-DD hoặc dd/mm/yyyy).")
                % {"text": as_of}
            ) from None
        plans = Plan.objects.all()
        if unit:
            found = Unit.objects.filter(code=unit.strip()).first()
            if found is None:
                raise CommandError(_("Không có đơn vị mã “%(code)s”.") % {"code": unit})
            plans = plans_of(plans, unit=found)
        if term:
            years = year_span(term)
            if years is None:
                raise CommandError(
                    _("Nhiệm kỳ không hợp lệ: “%(text)s” (viết YYYY-YYYY).") % {"text": term}
                )
            plans = plans_of(plans, years=years)
        try:
            rule_set = rule_set_in_force(as_of)
        except NoRuleSetInForce as exc:
            raise CommandError(str(exc)) from None
        facts = planning_facts(plans, as_of)
        findings = run_checks(
            facts.plans, facts.people, facts.positions, rule_set, CheckContext(as_of)
        )
        plans_by_id = {p.id: p for p in facts.plans}
        if output_format == "json":
            self._json(findings, plans_by_id, facts.positions)
        else:
            self._text(findings, plans_by_id, facts.positions, rule_set, as_of)

    def _json(self, findings, plans, positions):
        out = findings_dicts(findings, plans, positions)
        self.stdout.write(json.dumps(out, ensure_ascii=False, indent=2))

    def _text(self, findings, plans, positions, rule_set, as_of):
        self.stdout.write(
            _("Kiểm tra %(plans)d quy hoạch ngày %(date)s theo bộ quy định “%(rules)s”.")
            % {"plans": len(plans), "date": format_day(as_of), "rules": rule_set.code}
        )
        for f in findings:
            subject = []
            if f.plan_id in plans:
                subject.append(plans[f.plan_id].name)
            if f.position_id in positions:
                subject.append(positions[f.position_id].name)
            if f.id_number:
                subject.append(_("số định danh %(id)s") % {"id": f.id_number})
            label = Severity(f.severity).label
            about = (" – " + "; ".join(subject)) if subject else ""
            self.stdout.write(f"[{label}] {f.rule}{about}: {f.message} ({f.citation})")
        counts = {s: sum(1 for f in findings if f.severity == s) for s in Severity.values}
        if not findings:
            self.stdout.write(_("Không có phát hiện nào."))
        else:
            self.stdout.write(
                _(
                    "Tổng cộng %(total)d phát hiện: %(error)d lỗi, %(warning)d cảnh báo, "
                    "%(flag)d cần xem xét."
                )
                % {"total": len(findings), **counts}
            )
