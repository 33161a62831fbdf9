"""GET /api/people/{id_number}/2c/?format=docx|pdf: the 2C record (sơ yếu lý lịch) of a
person as a file (issue 17, item 1).

An action of the people viewset, scoped as its detail: a person out of the user's sight
is 404, as one no record has. `format` names the file (docx by default), not a renderer:
every other answer is JSON, and an unknown format is a 400 with the accepted ones. A PDF
LibreOffice cannot make is a 503 saying why. Reading the record leaves an access entry
(AccessKind.DOCUMENT) once the file is made.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions
from rest_framework.decorators import action
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from canbo.api.schema import ERROR
from canbo.core.audit import AccessKind, record_access
from canbo.core.officepdf import ConversionError

from . import record2c, selectors
from .models import Person
from .record2c_views import file_response

UNKNOWN_FORMAT = _("Định dạng không được hỗ trợ; chọn docx hoặc pdf.")


class FormatNamesTheFile(DefaultContentNegotiation):
    """`?format=` chooses the file, not a renderer: the answers that are not the file (the
    refusals) are JSON whatever is asked."""

    def select_renderer(self, request, renderers, format_suffix=None):
        renderer = renderers[0]
        return renderer, renderer.media_type


class Record2CActions:
    """Mixed into `PersonViewSet` (lookup by `id_number`)."""

    @extend_schema(
        summary=_("Sơ yếu lý lịch (mẫu 2C/TCTW-98) của một cán bộ, dạng Word hoặc PDF"),
        parameters=[OpenApiParameter(
            "format", OpenApiTypes.STR, enum=list(record2c.FORMATS),
            description=_("docx (mặc định) hoặc pdf."),
        )],  # fmt: skip
        responses={
            (200, record2c.DOCX): OpenApiTypes.BINARY,
            (200, record2c.PDF): OpenApiTypes.BINARY,
            503: OpenApiResponse(ERROR, description=_(
                "Không tạo được bản PDF (máy chủ thiếu LibreOffice hoặc chuyển đổi lỗi).")),
        },  # fmt: skip
    )
    @action(detail=True, methods=["get"], url_path="2c", url_name="record-2c",
            filterset_class=None, filter_backends=[], pagination_class=None,
            renderer_classes=[JSONRenderer],
            content_negotiation_class=FormatNamesTheFile)  # fmt: skip
    def record_2c(self, request, id_number=None, format=None):
        fmt = request.query_params.get("format") or format or "docx"
        if fmt not in record2c.FORMATS:
            raise exceptions.ValidationError({"format": [UNKNOWN_FORMAT]})
        user = request.user
        try:
            person = record2c.load(selectors.person_list(user=user), id_number=id_number)
        except Person.DoesNotExist:
            raise exceptions.NotFound() from None
        self.check_object_permissions(request, person)
        try:
            data = record2c.render(person, fmt)
        except ConversionError as error:
            return Response({"detail": str(error)}, status=503)
        record_access(actor=user, instance=person, kind=AccessKind.DOCUMENT)
        return file_response(data, person, fmt)
