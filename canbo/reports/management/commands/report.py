"""`canbo report --list` and `canbo report FORM [--unit CODE] [--as-of YYYY-MM-DD]
[--format json|xlsx|docx|pdf] [-o FILE] [--user USERNAME]`: one form computed live."""

from __future__ import annotations

import datetime as dt
import json
import sys

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from canbo.organizations.models import Unit
from canbo.reports.forms import FORMS, form_named
from canbo.reports.selectors import report_for

FORMATS = ("json", "xlsx", "docx", "pdf")


class Command(BaseCommand):
    help = "Tính một mẫu báo cáo tổng hợp từ hồ sơ tại ngày chốt số liệu."

    def add_arguments(self, parser):
        parser.add_argument("form", nargs="?", help="mã mẫu (xem --list)")
        parser.add_argument("--list", action="store_true", help="in các mã mẫu báo cáo")
        parser.add_argument("--unit", help="mã đơn vị (bỏ trống: toàn bộ phạm vi)")
        parser.add_argument("--as-of", help="ngày chốt số liệu, YYYY-MM-DD (mặc định hôm nay)")
        parser.add_argument("--format", choices=FORMATS, default="json")
        parser.add_argument("-o", "--output", help="tệp ghi ra (mặc định: màn hình, chỉ JSON)")
        parser.add_argument("--user", help="tính trong phạm vi của tài khoản này")

    def handle(self, *args, **options):
        if options["list"]:
            for form in FORMS.values():
                self.stdout.write(f"{form.code}\t{form.title}")
            return
        form = form_named(options["form"] or "")
        if form is None:
            raise CommandError(f"Không có mẫu báo cáo '{options['form'] or ''}'. "
                               f"Các mẫu: {', '.join(FORMS)}.")  # fmt: skip
        on = _date(options["as_of"])
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"Không có tài khoản '{options['user']}'.")
        unit = None
        if options["unit"]:
            unit = Unit.objects.filter(code=options["unit"].strip()).first()
            if unit is None:
                raise CommandError(f"Không có đơn vị mã '{options['unit']}'.")
        report = report_for(form, unit=unit, on=on, user=user)
        fmt = options["format"]
        if fmt == "json":
            data = json.dumps(report.as_dict(), ensure_ascii=False, indent=1).encode()
        else:
            from canbo.reports.documents import render

            data = render(report, fmt)
        target = options["output"]
        if target:
            with open(target, "wb") as out:
                out.write(data)
            self.stdout.write(f"Đã ghi {target}.")
        elif fmt == "json":
            self.stdout.write(data.decode())
        else:
            sys.stdout.buffer.write(data)


def _date(text: str | None) -> dt.date:
    if not text:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"Ngày chốt số liệu '{text}' không đúng dạng YYYY-MM-DD.") from None
