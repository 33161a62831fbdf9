"""canbo package-docs [--check] [--file PATH]: the sheet tables of docs/data-package.md."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from canbo.exchange import docs


class Command(BaseCommand):
    help = _(
        "Sinh phần “Các sheet và cột” của docs/data-package.md từ các sheet khai báo trong mã "
        "(giữ nguyên phần viết tay); --check chỉ kiểm tra tài liệu có khớp với mã không."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true",
            help=_("Không ghi; báo lỗi (mã thoát khác 0) nếu tài liệu khác với mã."),
        )  # fmt: skip
        parser.add_argument(
            "--file", type=Path, default=docs.DOC_PATH,
            help=_("Tệp tài liệu (mặc định docs/data-package.md)."),
        )  # fmt: skip

    def handle(self, *args, check, file, **options):
        try:
            if check:
                problem = docs.check(file)
                if problem:
                    raise CommandError(problem)
                self.stdout.write(self.style.SUCCESS(_("%(f)s khớp với mã.") % {"f": file}))
                return
            changed = docs.write(file)
        except (OSError, docs.DocsError) as error:
            raise CommandError(str(error)) from error
        if changed:
            self.stdout.write(self.style.SUCCESS(_("Đã cập nhật %(f)s.") % {"f": file}))
        else:
            self.stdout.write(_("%(f)s đã khớp với mã, không có gì thay đổi.") % {"f": file})
