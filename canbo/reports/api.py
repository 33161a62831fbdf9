"""REST: the report forms and a form computed live for a unit at a cut-off date.

GET /api/report-forms/                      the forms (code, title, rows, columns, how)
GET /api/report-forms/{code}/               one form
GET /api/report-forms/{code}/report/?unit=CODE&as_of=YYYY-MM-DD
                                            every cell as {row, column, value, kind, how}
A unit outside the user's scope and a unit no one has get the same 404 (ADR 0010); the
read leaves an access entry like the page's.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.settings import api_settings

from canbo.api.permissions import READ_ONLY
from canbo.core.replica import replica_reads
from canbo.people.leaders_query import UNIT_NOT_FOUND

from .forms import form_named
from .query import PARAMS, ReportQuery, log_report_read
from .selectors import forms_list, report_for
from .spec import FormSpec

ACCEPTED = (*PARAMS, api_settings.URL_FORMAT_OVERRIDE)


class ReportRowSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    how = serializers.CharField()


class ReportColumnSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    group = serializers.CharField(help_text=_("Tiêu đề gộp phía trên các cột cùng nhóm."))
    kind = serializers.CharField(help_text=_("count: số đếm, cộng được giữa các đơn vị; "
                                             "share: tỷ lệ %; ratio: hệ số (tính từ hai cột đếm)."))
    of = serializers.ListField(child=serializers.CharField(), allow_null=True,
                               help_text=_("Hai cột đếm mà cột tỷ lệ/hệ số được tính từ."))
    how = serializers.CharField()


class ReportFormSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    short = serializers.CharField()
    variant = serializers.CharField(help_text=_("A: tỉnh, thành phố; B: cơ quan trung ương; "
                                                "trống: mọi cấp."))
    population = serializers.CharField()
    notes = serializers.ListField(child=serializers.CharField())
    rows = ReportRowSerializer(many=True)
    columns = ReportColumnSerializer(many=True)


class ReportCellSerializer(serializers.Serializer):
    row = serializers.CharField()
    column = serializers.CharField()
    value = serializers.JSONField(help_text=_("Số nguyên (count), chuỗi số thập phân 2 chữ số "
                                              "(share, ratio) hoặc null khi mẫu số bằng 0."))
    kind = serializers.CharField()
    how = serializers.CharField()


class ComputedReportSerializer(serializers.Serializer):
    form = serializers.CharField()
    title = serializers.CharField()
    unit = serializers.CharField()
    unit_name = serializers.CharField()
    as_of = serializers.DateField()
    cells = ReportCellSerializer(many=True)


def form_data(spec: FormSpec) -> dict:
    return {
        "code": spec.code, "title": str(spec.title), "short": str(spec.short),
        "variant": spec.variant, "population": str(spec.population),
        "notes": [str(n) for n in spec.notes],
        "rows": [{"code": r.code, "label": str(r.label), "how": str(r.how)} for r in spec.rows],
        "columns": [{"code": c.code, "label": str(c.label), "group": str(c.group),
                     "kind": c.kind, "of": list(c.of) if c.of else None, "how": str(c.how)}
                    for c in spec.columns],
    }  # fmt: skip


@replica_reads(actions=("list", "retrieve", "report"))
class ReportFormViewSet(viewsets.ViewSet):
    """The report forms, and one computed from the records at a cut-off date."""

    permission_classes = READ_ONLY
    lookup_field = "code"
    lookup_value_regex = "[^/]+"

    def _spec(self, code: str) -> FormSpec:
        spec = form_named(code)
        if spec is None:
            raise exceptions.NotFound(_("Không có mẫu báo cáo này."))
        return spec

    @extend_schema(responses=ReportFormSerializer(many=True))
    def list(self, request):
        return Response([form_data(spec) for spec in forms_list()])

    @extend_schema(responses=ReportFormSerializer)
    def retrieve(self, request, code=None):
        return Response(form_data(self._spec(code)))

    @extend_schema(
        parameters=[
            OpenApiParameter("unit", OpenApiTypes.STR, required=True,
                             description=_("Mã đơn vị (hoặc tên của đúng một đơn vị): số liệu của "
                                           "đơn vị và các đơn vị trực thuộc trong phạm vi được xem.")),
            OpenApiParameter("as_of", OpenApiTypes.DATE,
                             description=_("Ngày chốt số liệu (YYYY-MM-DD hoặc dd/mm/yyyy); "
                                           "mặc định hôm nay.")),
        ],
        responses=ComputedReportSerializer,
    )  # fmt: skip
    @action(detail=True, methods=["get"])
    def report(self, request, code=None):
        spec = self._spec(code)
        form = ReportQuery(request.query_params, user=request.user, accepted=ACCEPTED)
        if not form.is_valid():
            if form.unit_not_found:
                raise exceptions.NotFound(
                    str(UNIT_NOT_FOUND) % {"unit": request.query_params.get("unit", "").strip()}
                )
            raise exceptions.ValidationError(form.api_errors())
        unit, on = form.cleaned_data["unit"], form.cleaned_data["as_of"]
        report = report_for(spec, unit=unit, on=on, user=request.user)
        log_report_read(request, spec.code, unit, request.query_params)
        data = report.as_dict()
        return Response({key: data[key] for key in
                         ("form", "title", "unit", "unit_name", "as_of", "cells")})  # fmt: skip
