"""Issue an API token for a user and print it: the only time it is ever shown."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from canbo.accounts import services
from canbo.accounts.models import User
from canbo.core.audit import audit_source
from canbo.core.models import AuditSource
from canbo.core.templatetags.canbo_tags import vndatetime


class Command(BaseCommand):
    help = _(
        "Cấp một mã truy cập API (token) cho người dùng và in ra một lần duy nhất "
        "(hệ thống chỉ lưu bản băm). Dùng trong tiêu đề: Authorization: Token <mã>."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help=_("Tên đăng nhập"))
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help=_("Số ngày mã còn hiệu lực (mặc định: CANBO_API_TOKEN_DAYS)."),
        )
        parser.add_argument("--name", default="", help=_("Mục đích của mã (để nhận ra sau này)."))
        parser.add_argument(
            "--reset",
            action="store_true",
            help=_("Thu hồi mọi mã cũ của người dùng trước khi cấp mã mới."),
        )

    def handle(self, *args, username, days, name, reset, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(_("Không có người dùng “%(u)s”.") % {"u": username})
        try:
            with audit_source(AuditSource.COMMAND), transaction.atomic():
                if reset:
                    services.api_tokens_revoke_all(actor=None, user=user)
                token, raw = services.api_token_issue(actor=None, user=user, days=days, name=name)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(raw)
        self.stderr.write(
            _(
                "Mã %(key)s… của %(u)s hết hạn ngày %(day)s. Hãy lưu lại ngay: mã không được "
                "lưu và không thể xem lại."
            )
            % {"key": token.token_key, "u": username, "day": vndatetime(token.expiry)}
        )
