"""canbo settle_main_posts: mark the people whose main posts never share a day (ADR 0035).

Every write of the work history is settled on commit; run this after a bulk load that
went around canbo (COPY, SQL) or left people unsettled. TK-CB is right either way, only
slower for the people not settled."""

import time

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from canbo.core.templatetags.canbo_tags import vnnumber
from canbo.people import posts_apart
from canbo.people.models import Person


class Command(BaseCommand):
    help = _("Đánh dấu những cán bộ không có hai chức vụ chính trùng thời gian "
             "(để thống kê cán bộ chạy nhanh); chạy sau khi nạp dữ liệu hàng loạt.")  # fmt: skip

    def handle(self, *args, **options):
        started = time.monotonic()
        settled = posts_apart.settle()
        left = Person.objects.filter(main_posts_apart=False).count()
        self.stdout.write(_("Đã đánh dấu %(settled)s người; còn %(left)s người có chức vụ chính "
                            "trùng thời gian hoặc chưa có chức vụ (%(seconds).1f giây).")
                          % {"settled": vnnumber(settled), "left": vnnumber(left),
                             "seconds": time.monotonic() - started})  # fmt: skip
