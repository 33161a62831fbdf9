"""Fill the database with one realistic demo province (units, seats, cadres, histories)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from canbo.core.audit import audit_source
from canbo.core.db import refresh_planner_statistics
from canbo.core.models import AuditSource
from canbo.demo.builder import REFERENCE_DATE, DemoError, build_demo
from canbo.people.models import Person


class Command(BaseCommand):
    help = _(
        "Tạo dữ liệu demo cho một tỉnh từ các địa bàn đã nạp (chạy `canbo load-areas` trước): "
        "đơn vị, chức danh, nhiệm kỳ, cán bộ và hồ sơ của họ. Cùng một --seed cho cùng dữ liệu."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--seed", type=int, default=1, help=_("Hạt giống ngẫu nhiên (mặc định 1).")
        )
        parser.add_argument(
            "--people", type=int, default=5000, help=_("Số cán bộ cần tạo (mặc định 5000).")
        )
        parser.add_argument(
            "--province",
            default=None,
            help=_("Mã tỉnh, thành phố (ví dụ 01); mặc định là tỉnh có mã nhỏ nhất."),
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help=_("Không làm gì nếu cơ sở dữ liệu đã có cán bộ."),
        )

    def handle(self, *args, seed, people, province, if_empty, **options):
        if if_empty and Person.objects.exists():
            self.stdout.write(_("Cơ sở dữ liệu đã có cán bộ; không tạo dữ liệu demo."))
            return
        try:
            with audit_source(AuditSource.COMMAND):
                summary = build_demo(seed=seed, people=people, province_code=province)
            refresh_planner_statistics()
        except DemoError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                _("Đã tạo dữ liệu demo cho %(province)s trong %(seconds).1f giây.")
                % {"province": summary.province, "seconds": summary.seconds}
            )
        )
        lines = [
            _("Đơn vị: %(n)d") % {"n": summary.units},
            _("Vị trí chức danh: %(n)d (còn trống %(v)d chỗ)")
            % {"n": summary.positions, "v": summary.vacancies},
            _("Chức danh mới: %(t)d; nhiệm kỳ mới: %(k)d")
            % {"t": summary.titles_created, "k": summary.terms_created},
            _("Cán bộ: %(n)d") % {"n": summary.people},
            _("Quá trình công tác: %(n)d") % {"n": summary.assignments},
            _("Đánh giá, xếp loại: %(n)d") % {"n": summary.evaluations},
            _("Kết quả lấy phiếu tín nhiệm: %(n)d") % {"n": summary.votes},
            _("Kỷ luật: %(n)d") % {"n": summary.disciplines},
            _("Khen thưởng: %(n)d") % {"n": summary.rewards},
            _("Đào tạo, bồi dưỡng: %(n)d") % {"n": summary.trainings},
            _("Ngày tham chiếu của dữ liệu: %(d)s") % {"d": REFERENCE_DATE.strftime("%d/%m/%Y")},
        ]
        for line in lines:
            self.stdout.write("  " + line)
