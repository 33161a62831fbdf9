"""canbo purge-access-log [--days N] [--dry-run]: remove access entries past the retention."""

import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from canbo.core.models import AccessEvent


def expired_entries(days: int, now: dt.datetime | None = None):
    """Access entries older than `days` days before `now`."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=days)
    return AccessEvent.objects.filter(at__lt=cutoff), cutoff


class Command(BaseCommand):
    help = _(
        "Xóa các mục nhật ký truy cập cũ hơn thời hạn lưu giữ "
        "(CANBO_ACCESS_LOG_RETENTION_DAYS ngày, hoặc --days). Chạy hằng ngày."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None,
                            help=_("Số ngày lưu giữ (mặc định theo cấu hình)."))  # fmt: skip
        parser.add_argument("--dry-run", action="store_true",
                            help=_("Chỉ đếm, không xóa."))  # fmt: skip

    def handle(self, *args, days, dry_run, **options):
        days = settings.CANBO_ACCESS_LOG_RETENTION_DAYS if days is None else days
        if days < 1:
            raise CommandError(_("Số ngày lưu giữ phải từ 1 trở lên."))
        entries, cutoff = expired_entries(days)
        when = timezone.localtime(cutoff).strftime("%d/%m/%Y %H:%M")
        if dry_run:
            count = entries.count()
            message = _("Chạy thử: sẽ xóa %(n)d mục nhật ký truy cập trước %(when)s.")
        else:
            count, _by_model = entries.delete()
            message = _("Đã xóa %(n)d mục nhật ký truy cập trước %(when)s.")
        self.stdout.write(self.style.SUCCESS(message % {"n": count, "when": when}))
