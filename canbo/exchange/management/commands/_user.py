"""The --user option shared by the data package commands."""

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.utils.translation import gettext as _


def user_argument(parser) -> None:
    parser.add_argument(
        "--user",
        default=None,
        help=_("Thực hiện với quyền và phạm vi của tài khoản này (mặc định: toàn quyền)."),
    )


def user_for(username: str | None):
    if not username:
        return None
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(_("Không có tài khoản “%(u)s”.") % {"u": username})
    return user
