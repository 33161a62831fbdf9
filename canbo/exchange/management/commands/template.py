"""canbo template -o FILE.xlsx: an empty data package to fill in."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from canbo.exchange.template import write_template


class Command(BaseCommand):
    help = _("Tạo tệp Excel mẫu (rỗng) của gói dữ liệu, có danh mục và hướng dẫn từng cột.")

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", required=True, help=_("Tệp .xlsx cần tạo."))

    def handle(self, *args, output, **options):
        write_template(output)
        self.stdout.write(self.style.SUCCESS(_("Đã tạo tệp mẫu %(f)s.") % {"f": output}))
