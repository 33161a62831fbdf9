"""`canbo check-procedures`: run the appointment rules over the cases and print the findings.

A1, A3, A4, A5, A7 and A8 so far (issue 19); the confidence-vote (C) and evaluation (E)
rules join when their records do. The exit status is 0 whatever the findings; non-zero
only when the arguments are wrong or no rule set is in force on the date.
"""

import json

from django.utils.translation import gettext as _

from canbo.core.dates import format_day
from canbo.rules.command import FindingsCommand
from canbo.rules.engine import run_case_checks
from canbo.rules.facts import CheckContext

from ...choices import CaseKind
from ...models import AppointmentCase
from ...selectors import case_facts, cases_of
from ...serialize import case_finding_dicts


class Command(FindingsCommand):
    help = _(
        "Kiểm tra hồ sơ bổ nhiệm, giới thiệu ứng cử theo bộ quy định có hiệu lực và in các "
        "phát hiện. Luôn trả về mã 0 khi tham số hợp lệ, kể cả khi có lỗi."
    )
    unit_help = _("Mã đơn vị: chỉ kiểm tra hồ sơ do cấp này hoặc cấp dưới quyết định.")

    def handle(self, *args, unit, as_of, output_format, **options):
        as_of = self.as_of(as_of)
        cases = cases_of(AppointmentCase.objects.all(), unit=self.unit(unit))
        rule_set = self.rule_set(as_of)
        facts = case_facts(cases, as_of)
        findings = run_case_checks(
            facts.cases, facts.people, facts.positions, rule_set, CheckContext(as_of)
        )
        if output_format == "json":
            out = case_finding_dicts(findings, facts.cases, facts.positions)
            self.stdout.write(json.dumps(out, ensure_ascii=False, indent=2))
            return
        self.stdout.write(
            _("Kiểm tra %(cases)d hồ sơ ngày %(date)s theo bộ quy định “%(rules)s”.")
            % {"cases": len(facts.cases), "date": format_day(as_of), "rules": rule_set.code}
        )
        by_id = {c.id: c for c in facts.cases}

        def subject(f):
            case = by_id[f.case_id]
            return [
                _("hồ sơ %(kind)s mở ngày %(date)s")
                % {"kind": CaseKind(case.kind).label.lower(), "date": format_day(case.opened_on)},
                facts.positions[f.position_id].name,
                _("số định danh %(id)s") % {"id": f.id_number},
            ]

        self.write_text(findings, subject)
