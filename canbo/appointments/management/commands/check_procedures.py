"""`canbo check-procedures`: run the appointment rules over the cases and print the findings.

The appointment rules over the cases, then the confidence-vote (C) and evaluation (E)
rules over the sessions and rounds (`canbo.reviews`). The exit status is 0 whatever the findings; non-zero
only when the arguments are wrong or no rule set is in force on the date.
"""

import json

from django.utils.translation import gettext as _

from canbo.core.dates import format_day
from canbo.reviews.selectors import findings_of_unit
from canbo.reviews.serialize import review_finding_dicts, review_subject
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
        unit = self.unit(unit)
        cases = cases_of(AppointmentCase.objects.all(), unit=unit)
        rule_set = self.rule_set(as_of)
        facts = case_facts(cases, as_of)
        findings = run_case_checks(
            facts.cases, facts.people, facts.positions, rule_set, CheckContext(as_of)
        )
        reviews, review_findings = findings_of_unit(unit, as_of, rule_set)
        if output_format == "json":
            out = case_finding_dicts(findings, facts.cases, facts.positions)
            out += review_finding_dicts(review_findings)
            self.stdout.write(json.dumps(out, ensure_ascii=False, indent=2))
            return
        self.stdout.write(
            _("Kiểm tra %(cases)d hồ sơ ngày %(date)s theo bộ quy định “%(rules)s”.")
            % {"cases": len(facts.cases), "date": format_day(as_of), "rules": rule_set.code}
        )
        by_id = {c.id: c for c in facts.cases}
        about_review = review_subject(reviews)

        def subject(f):
            if f.case_id is None:
                return about_review(f)
            case = by_id[f.case_id]
            about = [
                _("hồ sơ %(kind)s mở ngày %(date)s")
                % {"kind": CaseKind(case.kind).label.lower(), "date": format_day(case.opened_on)},
                facts.positions[f.position_id].name,
            ]
            if f.id_number:  # A10 is about an election, not one person
                about.append(_("số định danh %(id)s") % {"id": f.id_number})
            return about

        self.write_text([*findings, *review_findings], subject)
