"""canbo export-2c ID_NUMBER -o FILE [--format docx|pdf] [--user USERNAME]: the 2C record
(sơ yếu lý lịch) of one person as Word or PDF."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from canbo.core.audit import AccessKind, audit_source, record_access
from canbo.core.models import AuditSource
from canbo.core.officepdf import ConversionError
from canbo.people import record2c, selectors
from canbo.people.models import Person


class Command(BaseCommand):
    help = _("Xuất sơ yếu lý lịch (mẫu 2C/TCTW-98) của một cán bộ ra tệp Word hoặc PDF.")

    def add_arguments(self, parser):
        parser.add_argument("id_number", help=_("Số định danh cá nhân của cán bộ."))
        parser.add_argument("-o", "--output", required=True, help=_("Tệp cần tạo."))
        parser.add_argument("--format", choices=record2c.FORMATS, default=None,
                            help=_("docx hoặc pdf (mặc định theo đuôi tệp, nếu không là docx)."))  # fmt: skip
        parser.add_argument(
            "--user",
            default=None,
            help=_("Thực hiện với quyền và phạm vi của tài khoản này (mặc định: toàn quyền)."),
        )

    def handle(self, *args, id_number, output, format, user, **options):
        fmt = format or ("pdf" if output.lower().endswith(".pdf") else "docx")
        actor = None
        people = Person.objects.all()
        if user:
            actor = get_user_model().objects.filter(username=user, is_active=True).first()
            if actor is None:
                raise CommandError(_("Không có tài khoản “%(u)s”.") % {"u": user})
            people = selectors.person_list(user=actor)
        try:
            person = record2c.load(people, id_number=id_number.strip())
        except Person.DoesNotExist:
            raise CommandError(
                _("Không có cán bộ với số định danh “%(n)s” trong phạm vi được xem.")
                % {"n": id_number}
            ) from None
        try:
            data = record2c.render(person, fmt)
        except ConversionError as error:
            raise CommandError(str(error)) from error
        try:
            with open(output, "wb") as handle:
                handle.write(data)
        except OSError as error:
            raise CommandError(
                _("Không ghi được tệp %(f)s: %(e)s") % {"f": output, "e": error.strerror}
            ) from error
        with audit_source(AuditSource.COMMAND):
            record_access(actor=actor, instance=person, kind=AccessKind.DOCUMENT)
        self.stdout.write(self.style.SUCCESS(
            _("Đã xuất sơ yếu lý lịch của %(name)s vào %(f)s.")
            % {"name": person.full_name, "f": output}
        ))  # fmt: skip
