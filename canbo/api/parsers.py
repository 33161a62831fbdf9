"""Request parsers of the API (the defaults in settings.REST_FRAMEWORK)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, parsers


class JSONParser(parsers.JSONParser):
    """JSON with a Vietnamese error, also for input nested too deep to parse.

    (A body over DATA_UPLOAD_MAX_MEMORY_SIZE never reaches the parser: reading it
    raises Django's RequestDataTooBig, which the exception handler answers with
    `TooLarge`.)
    """

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except (exceptions.ParseError, RecursionError) as exc:
            raise exceptions.ParseError(_("Dữ liệu JSON không hợp lệ.")) from exc


class TooLarge(exceptions.APIException):
    """A body larger than Django reads (DATA_UPLOAD_MAX_MEMORY_SIZE, 2.5 MB by default)."""

    status_code = 413
    default_detail = _("Dữ liệu gửi lên quá lớn.")
    default_code = "too_large"


class TooManyFields(exceptions.ParseError):
    """A form body with more fields than DATA_UPLOAD_MAX_NUMBER_FIELDS (or files)."""

    default_detail = _("Dữ liệu gửi lên có quá nhiều trường.")
    default_code = "too_many_fields"
