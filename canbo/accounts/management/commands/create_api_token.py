"""Print a user's API token, creating it if the user has none yet."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from canbo.accounts.models import User


class Command(BaseCommand):
    help = _(
        "In mã truy cập API (token) của một người dùng; tạo mới nếu chưa có. "
        "Dùng trong tiêu đề: Authorization: Token <mã>."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help=_("Tên đăng nhập"))
        parser.add_argument(
            "--reset",
            action="store_true",
            help=_("Thu hồi mã cũ và cấp mã mới."),
        )

    def handle(self, *args, username, reset, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(_("Không có người dùng “%(u)s”.") % {"u": username})
        if not user.is_active:
            raise CommandError(
                _("Tài khoản “%(u)s” đã bị khóa; không cấp mã truy cập.") % {"u": username}
            )
        with transaction.atomic():
            if reset:
                Token.objects.filter(user=user).delete()
            token, _created = Token.objects.get_or_create(user=user)
        self.stdout.write(token.key)
