"""`canbo check-planning`: run the planning rules (P1–P9) over plans and print the findings.

The exit status is 0 whatever the findings (errors included): the command
reports, it does not gate. It is non-zero only when the arguments are wrong
(unknown unit, malformed term or date) or no rule set is in force on the date.
"""

import json

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from canbo.core.dates import format_day, year_span
from canbo.rules.command import FindingsCommand
from canbo.rules.engine import run_checks
from canbo.rules.facts import CheckContext

from ...models import Plan
from ...selectors import planning_facts, plans_of
from ...serialize import findings_dicts


class Command(FindingsCommand):
    help = _(
        "Kiểm tra quy hoạch cán bộ theo bộ quy định có hiệu lực (P1–P9) và in các phát hiện. "
        "Luôn trả về mã 0 khi tham số hợp lệ, kể cả khi có lỗi."
    )
    unit_help = _("Mã đơn vị: chỉ kiểm tra quy hoạch của đơn vị này và cấp dưới.")

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--term", help=_("Nhiệm kỳ quy hoạch, ví dụ 2030-2035."))

    def handle(self, *args, unit, term, as_of, output_format, **options):
        as_of = self.as_of(as_of)
        plans = Plan.objects.all()
        found = self.unit(unit)
        if found is not None:
            plans = plans_of(plans, unit=found)
        if term:
            years = year_span(term)
            if years is None:
                raise CommandError(
                    _("Nhiệm kỳ không hợp lệ: “%(text)s” (viết YYYY-YYYY).") % {"text": term}
                )
            plans = plans_of(plans, years=years)
        rule_set = self.rule_set(as_of)
        facts = planning_facts(plans, as_of)
        findings = run_checks(
            facts.plans, facts.people, facts.positions, rule_set, CheckContext(as_of)
        )
        plans_by_id = {p.id: p for p in facts.plans}
        if output_format == "json":
            out = findings_dicts(findings, plans_by_id, facts.positions)
            self.stdout.write(json.dumps(out, ensure_ascii=False, indent=2))
            return
        self.stdout.write(
            _("Kiểm tra %(plans)d quy hoạch ngày %(date)s theo bộ quy định “%(rules)s”.")
            % {"plans": len(plans_by_id), "date": format_day(as_of), "rules": rule_set.code}
        )

        def subject(f):
            out = []
            if f.plan_id in plans_by_id:
                out.append(plans_by_id[f.plan_id].name)
            if f.position_id in facts.positions:
                out.append(facts.positions[f.position_id].name)
            if f.id_number:
                out.append(_("số định danh %(id)s") % {"id": f.id_number})
            return out

        self.write_text(findings, subject)
