"""canbo export [--unit CODE] [--format xlsx|json] -o FILE: a unit subtree as a data package.

The sheets and rows written are shown on stderr as they go (none with -v0)."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from canbo.core.audit import audit_source, record_export
from canbo.core.models import AuditSource
from canbo.exchange.exporter import ExportError, export_query, selection_for, write_package

from ._progress import steps_for
from ._user import user_argument, user_for


class Command(BaseCommand):
    help = _(
        "Xuất gói dữ liệu (Excel hoặc JSON) của một đơn vị và mọi đơn vị, cán bộ, hồ sơ bên "
        "dưới; không ghi --unit thì xuất toàn bộ."
    )

    def add_arguments(self, parser):
        parser.add_argument("--unit", default=None, help=_("Mã đơn vị gốc cần xuất."))
        parser.add_argument("--format", choices=["xlsx", "json"], default=None,
                            help=_("Định dạng (mặc định theo đuôi tệp, nếu không là xlsx)."))  # fmt: skip
        parser.add_argument("-o", "--output", required=True, help=_("Tệp cần tạo."))
        user_argument(parser)

    def handle(self, *args, unit, format, output, user, verbosity=1, **options):
        fmt = format or ("json" if output.lower().endswith(".json") else "xlsx")
        started = time.perf_counter()
        actor = user_for(user)
        try:
            selection = selection_for(user=actor, unit_code=unit)
        except ExportError as error:
            raise CommandError(str(error)) from error
        write_package(selection, fmt, output, steps_for(self, verbosity))
        with audit_source(AuditSource.COMMAND):
            record_export(
                actor=actor,
                query=f"{export_query(selection, fmt)} output={output}",
                rows=selection.people_count(),
            )
        self.stdout.write(
            self.style.SUCCESS(
                _("Đã xuất %(f)s trong %(s).1f giây.")
                % {"f": output, "s": time.perf_counter() - started}
            )
        )
        for title, count in selection.counts.items():
            if count:
                self.stdout.write(f"  {title}: {count}")
