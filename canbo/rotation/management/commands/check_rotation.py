"""`canbo check-rotation`: the rotation rules over the rotations and the holders of posts.

R1–R3 over the rotations decided by the unit's body or one below it, then R4 and R5 over
the holders of posts of the unit's subtree (`canbo.rotation.holders`); everything with
no `--unit`. Exit status 0 whatever the findings.
"""

import json

from django.utils.translation import gettext as _

from canbo.core.dates import format_day
from canbo.planning.serialize import plain
from canbo.rules.command import FindingsCommand
from canbo.rules.engine import run_rotation_checks
from canbo.rules.facts import CheckContext

from ...choices import RotationKind
from ...holders import check_posts
from ...models import Rotation
from ...selectors import post_names, rotation_facts, rotations_of


class Command(FindingsCommand):
    help = _(
        "Kiểm tra luân chuyển cán bộ, bố trí cán bộ không là người địa phương và giới hạn hai "
        "nhiệm kỳ theo bộ quy định có hiệu lực, in các phát hiện. Luôn trả về mã 0 khi tham "
        "số hợp lệ."
    )
    unit_help = _("Mã đơn vị: chỉ kiểm tra luân chuyển do cấp này hoặc cấp dưới quyết định.")

    def handle(self, *args, unit, as_of, output_format, **options):
        as_of = self.as_of(as_of)
        unit = self.unit(unit)
        rule_set = self.rule_set(as_of)
        facts = rotation_facts(rotations_of(Rotation.objects.all(), unit=unit), as_of)
        findings = run_rotation_checks(facts, rule_set, CheckContext(as_of))
        posts = check_posts(None, unit, as_of, rule_set)
        names = post_names({f.position_id for f in posts})
        by_id = {r.id: r for r in facts.rotations}
        if output_format == "json":
            out = [
                {"rule": f.rule, "severity": f.severity, "citation": f.citation,
                 "message": f.message, "reason": f.reason,
                 "rotation": _rotation_dict(by_id.get(f.rotation_id)),
                 "position": _position_dict(facts.positions.get(f.position_id)),
                 "person": f.id_number, "figures": plain(dict(f.figures))}
                for f in findings
            ]  # fmt: skip
            out += [
                {"rule": f.rule, "severity": f.severity, "citation": f.citation,
                 "message": f.message, "reason": f.reason, "rotation": None,
                 "position": {"id": f.position_id, "name": names.get(f.position_id, "")},
                 "person": f.id_number, "figures": plain(dict(f.figures))}
                for f in posts
            ]  # fmt: skip
            self.stdout.write(json.dumps(out, ensure_ascii=False, indent=2))
            return
        self.stdout.write(
            _("Kiểm tra %(n)d luân chuyển ngày %(date)s theo bộ quy định “%(rules)s”.")
            % {"n": len(facts.rotations), "date": format_day(as_of), "rules": rule_set.code}
        )

        def subject(f):
            if f.rotation_id is None:  # R4, R5: a post and its holder
                return [names.get(f.position_id, ""), _("số định danh %(id)s") % {"id": f.id_number}]
            r = by_id[f.rotation_id]
            return [
                _("%(kind)s từ %(date)s") % {"kind": RotationKind(r.kind).label,
                                             "date": format_day(r.start_date) if r.start_date
                                             else _("(dự kiến)")},
                facts.positions[f.position_id].name,
                _("số định danh %(id)s") % {"id": f.id_number},
            ]  # fmt: skip

        self.write_text([*findings, *posts], subject)


def _rotation_dict(r):
    if r is None:
        return None
    return {"id": r.id, "kind": r.kind, "purpose": r.purpose,
            "start_date": r.start_date.isoformat() if r.start_date else None}  # fmt: skip


def _position_dict(p):
    return {"id": p.id, "name": p.name} if p is not None else None
