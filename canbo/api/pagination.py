"""Page-number pagination with a client-chosen page size (bounded)."""

from functools import partial

from django.utils.translation import gettext as _
from rest_framework.pagination import PageNumberPagination

from canbo.core.paging import COUNT_CAP, CappedPaginator


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 1000


class CappedPagination(Pagination):
    """Counts stop past 1,000 (`core.paging`) unless `?count=exact` asks for every row."""

    capped_paginator_class = CappedPaginator
    exact = False

    @property
    def django_paginator_class(self):
        return partial(self.capped_paginator_class, exact=self.exact)

    def paginate_queryset(self, queryset, request, view=None):
        self.exact = request.query_params.get("count") == "exact"
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
