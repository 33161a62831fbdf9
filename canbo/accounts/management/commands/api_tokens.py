"""List API tokens, or revoke them."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from canbo.accounts import services
from canbo.accounts.models import ApiToken, User
from canbo.core.audit import audit_source
from canbo.core.models import AuditSource
from canbo.core.templatetags.canbo_tags import vndatetime


class Command(BaseCommand):
    help = _(
        "Liệt kê mã truy cập API (số, phần đầu của mã, người dùng, hạn), hoặc thu hồi: "
        "`api-tokens revoke SỐ…` hay `api-tokens revoke --user TÊN`."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["list", "revoke"])
        parser.add_argument("ids", nargs="*", type=int, help=_("Số của mã (cột đầu của list)."))
        parser.add_argument("--user", default=None, help=_("Chỉ các mã của người dùng này."))

    def handle(self, *args, action, ids, user, **options):
        tokens = ApiToken.objects.select_related("user").order_by("id")
        if user is not None:
            owner = User.objects.filter(username=user).first()
            if owner is None:
                raise CommandError(_("Không có người dùng “%(u)s”.") % {"u": user})
            tokens = tokens.filter(user=owner)
        if ids:
            tokens = tokens.filter(pk__in=ids)
            missing = sorted(set(ids) - set(tokens.values_list("pk", flat=True)))
            if missing:
                raise CommandError(
                    _("Không có mã số %(ids)s.") % {"ids": ", ".join(map(str, missing))}
                )
        if action == "list":
            self._list(tokens)
            return
        if not ids and user is None:
            raise CommandError(_("Hãy nêu số của mã cần thu hồi, hoặc --user."))
        revoked = list(tokens)
        with audit_source(AuditSource.COMMAND):
            for token in revoked:
                services.api_token_revoke(actor=None, token=token)
        self.stdout.write(_("Đã thu hồi %(n)d mã.") % {"n": len(revoked)})

    def _list(self, tokens) -> None:
        now = timezone.now()
        for token in tokens:
            expired = token.expiry is not None and token.expiry <= now
            self.stdout.write(
                "\t".join(
                    [
                        str(token.pk),
                        f"{token.token_key}…",
                        token.user.username,
                        token.name or "—",
                        vndatetime(token.created),
                        vndatetime(token.expiry) if token.expiry else "—",
                        _("hết hạn") if expired else _("còn hiệu lực"),
                    ]
                )
            )
