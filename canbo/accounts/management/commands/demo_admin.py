"""Create (or reset) the demo administrator and print its login."""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from canbo.accounts.models import Role, User
from canbo.accounts.services import user_create, user_set_password
from canbo.core.audit import audit_source
from canbo.core.models import AuditSource


class Command(BaseCommand):
    help = _("Tạo tài khoản quản trị cho bản demo và in thông tin đăng nhập.")

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")
        parser.add_argument(
            "--password",
            default=None,
            help=_("Mật khẩu (phải qua các kiểm tra độ mạnh); mặc định: một mật khẩu ngẫu nhiên."),
        )

    def handle(self, *args, username, password, **options):
        # 16 random characters: long enough for the validators, never a common word.
        password = password or secrets.token_urlsafe(12)
        try:
            with audit_source(AuditSource.COMMAND):
                user = User.objects.filter(username=username).first()
                if user is None:
                    user = user_create(
                        actor=None,
                        username=username,
                        password=password,
                        role=Role.ADMIN,
                        full_name=_("Quản trị viên"),
                    )
                else:
                    user_set_password(actor=None, user=user, password=password)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(
            _("Đăng nhập: tài khoản %(u)s, mật khẩu %(p)s") % {"u": username, "p": password}
        )
        if settings.CANBO_ADMIN_2FA:
            self.stdout.write(
                _(
                    "Quản trị viên phải dùng xác thực hai bước: lần đăng nhập đầu tiên, hãy quét "
                    "mã QR bằng một ứng dụng xác thực trên điện thoại."
                )
            )
        else:
            self.stdout.write(
                _(
                    "Xác thực hai bước không bắt buộc (CANBO_ADMIN_2FA=0); có thể bật trong "
                    "trang “Tài khoản của tôi”."
                )
            )
