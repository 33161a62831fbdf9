"""canbo backup FILE: the whole database (pg_dump custom format, or SQLite's backup API)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS
from django.utils.translation import gettext as _

from canbo.core.backup import BackupError, backup


class Command(BaseCommand):
    help = _(
        "Sao lưu toàn bộ cơ sở dữ liệu (cả tài khoản, phân quyền, nhật ký) vào một tệp: "
        "PostgreSQL bằng pg_dump (định dạng custom), SQLite bằng cơ chế sao lưu trực tuyến. "
        "Khôi phục bằng “canbo restore”."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("Tệp sao lưu cần tạo (ghi đè nếu đã có)."))
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS,
                            help=_("Cơ sở dữ liệu cần sao lưu (tên trong DATABASES)."))  # fmt: skip

    def handle(self, *args, file, database, **options):
        try:
            done = backup(file, alias=database)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Đã sao lưu cơ sở dữ liệu %(engine)s “%(db)s” (%(tables)d bảng) vào "
                    "%(path)s: %(size)s, %(s)s giây."
                )
                % {
                    "engine": done.engine,
                    "db": done.database,
                    "tables": done.tables,
                    "path": done.path,
                    "size": megabytes(done.size),
                    "s": decimal(done.seconds),
                }
            )
        )


def decimal(value: float) -> str:
    """One decimal, written with a comma as Vietnamese does."""
    return f"{value:.1f}".replace(".", ",")


def megabytes(size: int) -> str:
    return f"{decimal(size / 1024 / 1024)} MB"
