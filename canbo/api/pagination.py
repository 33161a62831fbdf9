"""Page-number pagination with a client-chosen page size (bounded)."""

from functools import partial

from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.pagination import PageNumberPagination

from canbo.core.paging import COUNT_CAP, CappedPaginator


class Pagination(PageNumberPagination):
    """Pages of 50 rows by default; `page` and `page_size` are refused (400) unless whole numbers
    in range (DRF would silently fall back to the default size), a page past the end is 404."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 1000
    last_page_strings = ()
    #: More digits than any page number a bigint-counted table can have.
    max_page_digits = 18

    def _number(self, request, name: str) -> str | None:
        """The parameter's value if given as a whole number ≥ 1 (blank: not given)."""
        raw = request.query_params.get(name, "")
        if raw == "":
            return None
        digits = raw.lstrip("0")
        if not (raw.isascii() and raw.isdigit()) or not digits:
            raise exceptions.ValidationError({name: [self._message(name)]})
        return digits

    def _message(self, name: str) -> str:
        if name == self.page_query_param:
            return _("Số trang phải là một số nguyên dương.")
        return _("Số bản ghi mỗi trang phải là một số nguyên từ 1 đến %(max)s.") % {
            "max": self.max_page_size
        }

    def get_page_size(self, request):
        raw = self._number(request, self.page_size_query_param)
        if raw is None:
            return self.page_size
        if len(raw) > self.max_page_digits or int(raw) > self.max_page_size:
            raise exceptions.ValidationError(
                {self.page_size_query_param: [self._message(self.page_size_query_param)]}
            )
        return int(raw)

    def get_page_number(self, request, paginator):
        raw = self._number(request, self.page_query_param)
        if raw is None:
            return 1
        # Beyond any page there can be: let the paginator answer "no such page" (404).
        return raw if len(raw) <= self.max_page_digits else paginator.num_pages + 1

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["description"] = _(
                    "Số trang, từ 1; trang không có (quá trang cuối) trả về 404."
                )
                parameter["schema"] = {"type": "integer", "minimum": 1}
            elif parameter["name"] == self.page_size_query_param:
                parameter["description"] = _("Số bản ghi mỗi trang (mặc định %(size)s).") % {
                    "size": self.page_size
                }
                parameter["schema"] = {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": self.max_page_size,
                }
        return parameters


class CappedPagination(Pagination):
    """Counts stop past 1,000 (`core.paging`) unless `?count=exact` asks for every row."""

    capped_paginator_class = CappedPaginator
    exact = False

    @property
    def django_paginator_class(self):
        return partial(self.capped_paginator_class, exact=self.exact)

    def paginate_queryset(self, queryset, request, view=None):
        count = request.query_params.get("count", "")
        if count not in ("", "exact"):
            raise exceptions.ValidationError({"count": [_("Chỉ nhận giá trị “exact”.")]})
        self.exact = count == "exact"
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response.data["count_capped"] = self.page.paginator.count_capped
        return response

    def get_paginated_response_schema(self, schema):
        schema = super().get_paginated_response_schema(schema)
        schema["properties"]["count"]["description"] = _(
            "Số bản ghi, đếm chính xác tới %(cap)s; nhiều hơn thì là %(more)s và count_capped = true "
            "(trừ khi hỏi count=exact)."
        ) % {"cap": COUNT_CAP, "more": COUNT_CAP + 1}
        schema["properties"]["count_capped"] = {
            "type": "boolean",
            "description": _("true khi có hơn %(cap)s bản ghi: count không phải tổng số.")
            % {"cap": COUNT_CAP},
        }
        schema["required"].append("count_capped")
        return schema

    def get_schema_operation_parameters(self, view):
        return [
            *super().get_schema_operation_parameters(view),
            {
                "name": "count",
                "required": False,
                "in": "query",
                "description": _("exact: đếm chính xác mọi bản ghi (chậm hơn với danh sách lớn)."),
                "schema": {"type": "string", "enum": ["exact"]},
            },
        ]
