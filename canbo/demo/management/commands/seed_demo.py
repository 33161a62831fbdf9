"""Fill the database with demo data: one realistic province, or the whole country."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from canbo.core.audit import audit_source
from canbo.core.dates import format_day
from canbo.core.db import refresh_planner_statistics
from canbo.core.models import AuditSource
from canbo.demo.builder import REFERENCE_DATE, DemoError, build_demo
from canbo.demo.national import DEFAULT_PEOPLE as NATIONAL_PEOPLE
from canbo.demo.national import build_national
from canbo.people import posts_apart
from canbo.people.models import Person

PROVINCE_PEOPLE = 5000


class Command(BaseCommand):
    help = _(
        "Tạo dữ liệu demo từ các địa bàn đã nạp (chạy `canbo load-areas` trước): đơn vị, chức "
        "danh, nhiệm kỳ, cán bộ và hồ sơ của họ, cho một tỉnh (--scale province) hoặc cả nước "
        "(--scale national). Cùng một --seed cho cùng dữ liệu."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--seed", type=int, default=1, help=_("Hạt giống ngẫu nhiên (mặc định 1).")
        )
        parser.add_argument(
            "--scale",
            choices=("province", "national"),
            default="province",
            help=_(
                "province: một tỉnh (mặc định); national: cơ quan trung ương, 34 tỉnh, thành phố "
                "và mọi xã, phường, đặc khu."
            ),
        )
        parser.add_argument(
            "--people",
            type=int,
            default=None,
            help=_(
                "Số cán bộ cần tạo (mặc định %(province)d cho một tỉnh, %(national)d cho cả nước)."
            )
            % {"province": PROVINCE_PEOPLE, "national": NATIONAL_PEOPLE},
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

    def handle(self, *args, seed, scale, people, province, if_empty, **options):
        if if_empty and Person.objects.exists():
            self.stdout.write(_("Cơ sở dữ liệu đã có cán bộ; không tạo dữ liệu demo."))
            return
        if scale == "national":
            if province:
                raise CommandError(_("--province chỉ dùng với --scale province."))
            self.national(seed, NATIONAL_PEOPLE if people is None else people, options)
            return
        try:
            with audit_source(AuditSource.COMMAND):
                summary = build_demo(
                    seed=seed,
                    people=PROVINCE_PEOPLE if people is None else people,
                    province_code=province,
                )
            posts_apart.settle_bulk_load()
            refresh_planner_statistics()
        except DemoError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                _("Đã tạo dữ liệu demo cho %(province)s trong %(seconds).1f giây.")
                % {"province": summary.province, "seconds": summary.seconds}
            )
        )
        seats = _("Vị trí chức danh: %(n)d (còn trống %(v)d chỗ)") % {
            "n": summary.positions,
            "v": summary.vacancies,
        }
        directives = summary.directives
        self.write_counts(summary, seats, _(
            "Văn bản chỉ đạo: %(d)d, nhiệm vụ: %(t)d, giao cho đơn vị: %(a)d (hoàn thành đúng "
            "hạn %(o)d, quá hạn %(l)d, chưa xong %(n)d)"
        ) % {"d": directives.directives, "t": directives.tasks, "a": directives.assignments,
             "o": directives.done_on_time, "l": directives.done_late, "n": directives.open},
            _("Hồ sơ bổ nhiệm, giới thiệu ứng cử: %(n)d (mẫu vi phạm: %(rules)s)")
              % {"n": summary.cases,
                 "rules": ", ".join(r for r, _n in summary.plans.case_violations) or "–"},
            _("Lấy phiếu tín nhiệm, đánh giá xếp loại (mẫu vi phạm: %(rules)s)")
              % {"rules": ", ".join(summary.reviews) or "–"},
            _("Luân chuyển: %(n)d (mẫu: %(shown)s)")
              % {"n": len(summary.rotations), "shown": ", ".join(map(str, summary.rotations)) or "–"},
            _("Đợt báo cáo TK-CB năm 2025: đã tiếp nhận %(a)d, chờ tiếp nhận %(s)d, trả lại %(r)d, "
              "đang lập %(d)d")
              % {"a": summary.report_round.get("accepted", 0),
                 "s": summary.report_round.get("submitted", 0),
                 "r": summary.report_round.get("returned", 0),
                 "d": summary.report_round.get("draft", 0)})  # fmt: skip

    def national(self, seed, people, options):
        verbose = options.get("verbosity", 1) >= 1
        step = max(1, people // 10)
        shown = [0]

        def progress(done, total, seconds):
            if verbose and (done - shown[0] >= step or done == total):
                shown[0] = done
                self.stdout.write(
                    _("  … %(done)d/%(total)d cán bộ (%(seconds).0f giây)")
                    % {"done": done, "total": total, "seconds": seconds}
                )

        try:
            with audit_source(AuditSource.COMMAND):
                summary = build_national(seed=seed, people=people, progress=progress)
        except DemoError as error:
            raise CommandError(str(error)) from error
        started = time.perf_counter()
        posts_apart.settle_bulk_load()
        summary.timings["settle"] = time.perf_counter() - started
        refresh_planner_statistics()
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Đã tạo dữ liệu demo toàn quốc (%(provinces)d tỉnh, thành phố; %(communes)d "
                    "xã, phường, đặc khu) trong %(seconds).1f giây."
                )
                % {
                    "provinces": summary.provinces,
                    "communes": summary.communes,
                    "seconds": summary.seconds,
                }
            )
        )
        timings = _(
            "Thời gian: đơn vị %(u).1f s; sinh dữ liệu %(g).1f s; ghi %(w).1f s; chỉ mục %(i).1f s; "
            "đánh dấu chức vụ chính %(s).1f s"
        ) % {
            "s": summary.timings.get("settle", 0),
            "u": summary.timings.get("units", 0),
            "g": summary.timings.get("generate", 0),
            "w": summary.timings.get("write", 0),
            "i": summary.timings.get("indexes", 0),
        }
        self.write_counts(summary, _("Vị trí chức danh: %(n)d") % {"n": summary.positions}, timings)

    def write_counts(self, summary, seats: str, *extra: str) -> None:
        """What a demo build created, one line each (province and national alike)."""
        lines = [
            _("Đơn vị: %(n)d") % {"n": summary.units},
            seats,
            _("Chức danh mới: %(t)d; nhiệm kỳ mới: %(k)d")
            % {"t": summary.titles_created, "k": summary.terms_created},
            _("Cán bộ: %(n)d") % {"n": summary.people},
            _("Quá trình công tác: %(n)d") % {"n": summary.assignments},
            _("Đánh giá, xếp loại: %(n)d") % {"n": summary.evaluations},
            _("Kết quả lấy phiếu tín nhiệm: %(n)d") % {"n": summary.votes},
            _("Kỷ luật: %(n)d") % {"n": summary.disciplines},
            _("Khen thưởng: %(n)d") % {"n": summary.rewards},
            _("Đào tạo, bồi dưỡng: %(n)d") % {"n": summary.trainings},
            _("Ngày tham chiếu của dữ liệu: %(d)s") % {"d": format_day(REFERENCE_DATE)},
            *extra,
        ]
        for line in lines:
            self.stdout.write("  " + line)
