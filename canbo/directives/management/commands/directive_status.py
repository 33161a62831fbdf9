"""`canbo directive-status NUMBER`: the roll-up of each task of a directive on a date.

Over the whole country, a unit's subtree (`--unit CODE`) or a monitoring group
(`--group NAME`); text (one line per task: "221/222 (99,55%)") or JSON (a list, one
object per task with `task`, `assigned`, `done_on_time`, `done_late`, `in_progress`,
`overdue`, `not_started`, `cancelled`, `done`, `share_done`, `text`).
"""

import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from canbo.core.dates import parse_day
from canbo.organizations.models import Unit

from ...models import MonitoringGroup
from ...selectors import directive_rollups, directives_numbered


class Command(BaseCommand):
    help = _("In tình hình thực hiện từng nhiệm vụ của một văn bản chỉ đạo tại một ngày.")

    def add_arguments(self, parser):
        parser.add_argument("number", help=_("Số, ký hiệu văn bản, ví dụ 42-NQ/TW."))
        where = parser.add_mutually_exclusive_group()
        where.add_argument("--unit", help=_("Mã đơn vị: chỉ đơn vị này và trực thuộc."))
        where.add_argument("--group", help=_("Tên nhóm đơn vị theo dõi."))
        parser.add_argument("--issuer", help=_("Mã cơ quan ban hành, khi nhiều văn bản trùng số."))
        parser.add_argument(
            "--as-of", dest="as_of", help=_("Ngày xét (YYYY-MM-DD); mặc định hôm nay.")
        )
        parser.add_argument("--format", dest="output_format", choices=("text", "json"),
                            default="text", help=_("text (mặc định) hoặc json."))  # fmt: skip

    def handle(self, *args, number, unit, group, issuer, as_of, output_format, **options):
        try:
            on = parse_day(as_of) if as_of else dt.date.today()
        except ValueError:
            raise CommandError(
                _("Ngày không hợp lệ: “%(text)s” (viết YYYY-MM-DD hoặc dd/mm/yyyy).")
                % {"text": as_of}
            ) from None
        directives = directives_numbered(number)
        if issuer:
            directives = directives.filter(issuing_unit__code=issuer.strip())
        found = list(directives[:10])
        if not found:
            raise CommandError(_("Không có văn bản số “%(number)s”.") % {"number": number})
        if len(found) > 1:
            raise CommandError(
                _("Nhiều văn bản cùng số “%(number)s” (cơ quan ban hành: %(codes)s); "
                  "hãy thêm --issuer MÃ.")  # fmt: skip
                % {"number": number, "codes": ", ".join(d.issuing_unit.code for d in found)}
            )
        where = {}
        if unit:
            where["unit"] = Unit.objects.filter(code=unit.strip()).first()
            if where["unit"] is None:
                raise CommandError(_("Không có đơn vị mã “%(code)s”.") % {"code": unit})
        if group:
            where["group"] = MonitoringGroup.objects.filter(name=group.strip()).first()
            if where["group"] is None:
                raise CommandError(_("Không có nhóm “%(name)s”.") % {"name": group})
        rolled = directive_rollups(found[0], on, **where)
        if output_format == "json":
            self.stdout.write(json.dumps([r.as_dict() for r in rolled], ensure_ascii=False,
                                         indent=2))  # fmt: skip
            return
        self.stdout.write(f"{found[0]} — {on:%d/%m/%Y}")
        for number_, r in enumerate(rolled, start=1):
            self.stdout.write(
                f"{number_}. {r.task.content[:70]}: {r.text}; "
                + _("đúng hạn %(a)d, quá hạn %(b)d, đang làm %(c)d, quá hạn chưa xong %(d)d")
                % {"a": r.done_on_time, "b": r.done_late, "c": r.in_progress, "d": r.overdue}
            )
