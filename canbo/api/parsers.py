"""Request parsers of the API (the defaults in settings.REST_FRAMEWORK)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, parsers


class JSONParser(parsers.JSONParser):
    """JSON with a Vietnamese error, also for input nested too deep to parse.

    (A body over DATA_UPLOAD_MAX_MEMORY_SIZE never reaches the parser: Django
    answers it with a plain 400.)
    """

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except (exceptions.ParseError, RecursionError) as exc:
            raise exceptions.ParseError(_("Dữ liệu JSON không hợp lệ.")) from exc
