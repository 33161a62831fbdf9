"""canbo restore FILE [--force]: replace the database with a backup made by `canbo backup`."""

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS
from django.utils.translation import gettext as _

from canbo.core.backup import BackupError, restore

from .backup import decimal, megabytes


class Command(BaseCommand):
    help = _(
        "Khôi phục cơ sở dữ liệu từ tệp của “canbo backup”. Chỉ khôi phục vào cơ sở dữ liệu "
        "trống, trừ khi có --force (xóa toàn bộ dữ liệu hiện có rồi thay bằng bản sao lưu)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("Tệp sao lưu."))
        parser.add_argument("--force", action="store_true",
                            help=_("Xóa toàn bộ dữ liệu hiện có rồi khôi phục."))  # fmt: skip
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS,
                            help=_("Cơ sở dữ liệu cần khôi phục (tên trong DATABASES)."))  # fmt: skip

    def handle(self, *args, file, force, database, **options):
        try:
            done = restore(file, force=force, alias=database)
        except BackupError as error:
            raise CommandError(str(error)) from error
        if done.dropped:
            self.stdout.write(
                _("Đã xóa %(n)d bảng có sẵn trong cơ sở dữ liệu “%(db)s” (--force).")
                % {"n": done.dropped, "db": done.database}
            )
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Đã khôi phục cơ sở dữ liệu %(engine)s “%(db)s” từ %(path)s (%(size)s): "
                    "%(tables)d bảng, %(s)s giây."
                )
                % {
                    "engine": done.engine,
                    "db": done.database,
                    "path": done.path,
                    "size": megabytes(done.size),
                    "tables": done.tables,
                    "s": decimal(done.seconds),
                }
            )
        )
        if done.unapplied_migrations:
            self.stdout.write(
                self.style.WARNING(
                    _(
                        "Bản sao lưu cũ hơn phiên bản canbo đang cài (%(n)d bước cập nhật cấu "
                        "trúc chưa áp dụng): hãy chạy “canbo migrate”."
                    )
                    % {"n": done.unapplied_migrations}
                )
            )
