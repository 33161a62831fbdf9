"""Create (or reset) the demo administrator and print its login."""

import secrets

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from canbo.accounts.models import Role, User
from canbo.accounts.services import user_create
from canbo.core.audit import audit_source
from canbo.core.models import AuditSource


class Command(BaseCommand):
    help = _("Tạo tài khoản quản trị cho bản demo và in thông tin đăng nhập.")

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")
        parser.add_argument("--password", default=None)

    def handle(self, *args, username, password, **options):
        password = password or secrets.token_urlsafe(9)
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
                user.set_password(password)
                user.save(update_fields=["password"])
        self.stdout.write(
            _("Đăng nhập: tài khoản %(u)s, mật khẩu %(p)s") % {"u": username, "p": password}
        )
