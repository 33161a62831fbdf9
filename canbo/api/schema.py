"""The OpenAPI schema of the API: drf-spectacular's, with every error answer documented.

Each view documents its own success answers (`extend_schema`). The error
answers are the same for the whole API, so they are added here, once, to
every operation (the REST_FRAMEWORK DEFAULT_SCHEMA_CLASS):

- 400: a query parameter or the body is invalid (`canbo.api.permissions.CleanRequestInput`
  and the filters check the query of every operation), with messages by field;
- 401: no or wrong credentials; 403: not allowed (writes of a viewer, CSRF);
- 404: no such record within the user's scope, or no such page of a list;
- 429: too many requests (throttling);
- 413 and 415 where there is a body: larger than DATA_UPLOAD_MAX_MEMORY_SIZE,
  or of a media type the API does not read (JSON is the documented one; form
  data is read too, for the browsable API's forms).

Optional query parameters are documented with allowEmptyValue: an empty value
means the parameter was not given.
"""

from __future__ import annotations

import copy

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _
from drf_spectacular import openapi
from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers

#: The answer of every refusal but a validation error: {"detail": "…"} in Vietnamese.
ERROR = inline_serializer(
    name="Error",
    fields={"detail": serializers.CharField(help_text=_("Lý do, bằng tiếng Việt."))},
)

#: A validation error: the messages under each field that failed (`non_field_errors` for the
#: whole object; nested lists and objects for nested fields), or a `detail` for a body that
#: cannot be read at all.
VALIDATION_ERROR = {
    "type": "object",
    "description": _(
        "Các thông báo lỗi theo từng trường (non_field_errors: lỗi chung; detail: dữ liệu "
        "không đọc được)."
    ),
    "additionalProperties": {},
}

ERRORS = {
    "400": OpenApiResponse(VALIDATION_ERROR, description=_("Dữ liệu hoặc tham số không hợp lệ.")),
    "401": OpenApiResponse(ERROR, description=_("Chưa đăng nhập hoặc thiếu thông tin xác thực.")),
    "403": OpenApiResponse(ERROR, description=_("Không có quyền thực hiện thao tác này.")),
    "404": OpenApiResponse(
        ERROR, description=_("Không tìm thấy (hoặc nằm ngoài phạm vi của người dùng).")
    ),
    "429": OpenApiResponse(ERROR, description=_("Quá nhiều yêu cầu; hãy thử lại sau.")),
}
BODY_ERRORS = {
    "413": OpenApiResponse(ERROR, description=_("Dữ liệu gửi lên quá lớn.")),
    "415": OpenApiResponse(ERROR, description=_("Kiểu dữ liệu gửi lên không được hỗ trợ.")),
}


def read_field(field: serializers.Field) -> serializers.Field:
    """A read-only field as it really answers: null and "" where its source allows them.

    DRF drops `allow_blank` from read-only model fields and a declared field does not learn
    `allow_null` from its model column; `default=None` answers null when the source is
    missing. The schema would otherwise promise a string where null or "" comes back.
    """
    if not field.read_only:
        return field
    allow_null = field.default is None
    allow_blank = False
    model = getattr(getattr(field.parent, "Meta", None), "model", None)
    if model is not None and len(getattr(field, "source_attrs", ())) == 1:
        try:
            column = model._meta.get_field(field.source_attrs[0])
        except FieldDoesNotExist:
            column = None
        if column is not None and not column.many_to_many:
            allow_null = allow_null or column.null
            allow_blank = isinstance(field, serializers.ChoiceField) and column.blank
    if (allow_null and not field.allow_null) or (allow_blank and not field.allow_blank):
        field = copy.copy(field)
        field.allow_null = field.allow_null or allow_null
        if allow_blank:
            field.allow_blank = True
    return field


class AutoSchema(openapi.AutoSchema):
    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        return super()._map_serializer_field(read_field(field), direction, bypass_extensions)

    def _get_parameters(self):
        parameters = super()._get_parameters()
        for parameter in parameters:
            # An empty value is the same as none (`?sex=&page=`: the browsable API's filter
            # form sends every field), for filters, pagination and dates alike.
            if parameter["in"] == "query" and not parameter.get("required"):
                parameter["allowEmptyValue"] = True
        return parameters

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        errors = dict(ERRORS)
        if self.method in ("POST", "PUT", "PATCH"):
            errors.update(BODY_ERRORS)
        for code, response in errors.items():
            if code not in responses:
                responses[code] = self._get_response_for_code(response, code, direction=direction)
        return dict(sorted(responses.items()))
