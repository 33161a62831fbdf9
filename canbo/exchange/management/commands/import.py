"""canbo import FILE [--dry-run]: check and apply a data package, all or nothing.

The sheets read and checked are shown on stderr as they go (none with -v0)."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from canbo.core.audit import audit_source
from canbo.core.models import AuditSource
from canbo.exchange.importer import import_package
from canbo.exchange.readers import PackageError, read_package

from ._progress import steps_for
from ._user import user_argument, user_for


class Command(BaseCommand):
    help = _(
        "Nhập gói dữ liệu (Excel .xlsx hoặc JSON). Có lỗi thì không ghi gì và liệt kê mọi lỗi "
        "theo sheet, dòng, cột; nhập lại cùng gói không thay đổi gì."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("Tệp gói dữ liệu."))
        parser.add_argument("--dry-run", action="store_true",
                            help=_("Chỉ kiểm tra, không ghi vào cơ sở dữ liệu."))  # fmt: skip
        parser.add_argument("--json", action="store_true", dest="as_json", help=_("In báo cáo dạng JSON."))
        user_argument(parser)

    def handle(self, *args, file, dry_run, as_json=False, user=None, verbosity=1, **options):
        actor = user_for(user)
        steps = steps_for(self, verbosity)
        try:
            raw = read_package(file, steps)
        except PackageError as error:
            raise CommandError(str(error)) from error
        with audit_source(AuditSource.IMPORT):
            report = import_package(actor=actor, raw=raw, dry_run=dry_run, steps=steps)
        if as_json:
            self.stdout.write(_json_dump(report.as_dict()))
        else:
            self.print_report(report)
        if not report.ok:
            raise CommandError(
                _("Gói có %(n)d lỗi; không có gì được ghi.") % {"n": len(report.errors)}
            )

    def print_report(self, report) -> None:
        for title, counts in report.counts.items():
            self.stdout.write(
                _("%(sheet)s: %(c)d tạo mới, %(u)d cập nhật, %(k)d không đổi")
                % {"sheet": title, "c": counts.created, "u": counts.updated, "k": counts.unchanged}
            )
        for problem in report.problems:
            label = _("Lỗi") if problem.severity == "error" else _("Cảnh báo")
            self.stdout.write(f"{label}: {problem}")
        summary = _("Tổng: %(c)d tạo mới, %(u)d cập nhật (%(s).1f giây).") % {
            "c": report.created,
            "u": report.updated,
            "s": report.seconds,
        }
        if report.dry_run and report.ok:
            summary += " " + _("Chạy thử: chưa ghi gì.")
        self.stdout.write(self.style.SUCCESS(summary) if report.ok else summary)


def _json_dump(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1)
