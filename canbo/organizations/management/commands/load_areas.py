"""`canbo load_areas`: load the administrative areas shipped with the Python packages."""

import time

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from canbo.core.audit import audit_source
from canbo.core.db import refresh_planner_statistics
from canbo.core.models import AuditSource
from canbo.organizations.area_loader import load_areas
from canbo.organizations.models import Area


class Command(BaseCommand):
    help = _(
        "Nạp danh mục đơn vị hành chính: 34 tỉnh, thành phố và các xã, phường, đặc khu từ "
        "01/7/2025, cùng các đơn vị hành chính cũ và liên kết kế thừa (không cần mạng)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help=_("Bỏ qua nếu đã có đơn vị hành chính trong cơ sở dữ liệu."),
        )
        parser.add_argument(
            "--current-only",
            action="store_true",
            help=_("Chỉ nạp đơn vị hành chính hiện hành (không nạp đơn vị cũ)."),
        )

    def handle(self, *args, if_empty, current_only, **options):
        if if_empty and Area.objects.exists():
            self.stdout.write(_("Đã có đơn vị hành chính trong cơ sở dữ liệu: bỏ qua."))
            return
        started = time.monotonic()
        with audit_source(AuditSource.COMMAND):
            result = load_areas(current_only=current_only)
        refresh_planner_statistics()
        self.stdout.write(
            _(
                "Đã nạp %(provinces)d tỉnh, %(communes)d xã; %(legacy)d đơn vị hành chính cũ; "
                "%(successions)d liên kết kế thừa."
            )
            % {
                "provinces": result.provinces,
                "communes": result.communes,
                "legacy": result.legacy,
                "successions": result.successions,
            }
        )
        self.stdout.write(
            _(
                "Thêm mới %(created)d, cập nhật %(updated)d, không đổi %(unchanged)d đơn vị; "
                "thêm %(links)d liên kết kế thừa (%(seconds).1f giây)."
            )
            % {
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "links": result.successions_created,
                "seconds": time.monotonic() - started,
            }
        )
        if result.misplaced:
            self.stderr.write(
                _("%(n)d đơn vị đã có nằm dưới đơn vị cấp trên khác với dữ liệu gốc: %(codes)s")
                % {"n": len(result.misplaced), "codes": ", ".join(result.misplaced[:20])}
            )
