"""REST API for appointment cases: list, one case, open, record the dossier, close (the
steps and their tallies: `api_steps`).

Thin adapters. Reads go through `selectors.cases` (scoped by the competent body's unit: a
case outside the user's scope is not found, 404) and leave an access entry (a case names
a person). Writes go through `services`, which re-check EDIT scope (403), validate and
audit in one transaction. The person is named by personal ID number among the people the
user may see, the post by id or by unit and title codes among the posts the user may
see, the competent body by its unit's code among the units the user may edit: anything
else is "not found", worded as a code nobody has.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from canbo.api.fields import CodeField, choice_field, date_field, text_field
from canbo.api.pagination import Pagination
from canbo.api.permissions import READ_ONLY, READ_WRITE
from canbo.core import scope
from canbo.core.audit import AccessKind, query_text, record_rows
from canbo.organizations.models import Unit
from canbo.organizations.selectors import unit_list
from canbo.people import selectors as people_selectors
from canbo.planning.api.answers import write
from canbo.planning.api.inputs import InputSerializer, PersonField, PositionInput

from . import queue, selectors, services, what_if
from .api_steps import CaseStepsMixin
from .choices import CaseKind, CaseOutcome
from .models import AppointmentCase
from .serialize import case_finding_dicts


class CaseSerializer(serializers.ModelSerializer):
    person = serializers.SerializerMethodField()
    position = serializers.SerializerMethodField()
    competent_unit = serializers.CharField(source="competent_unit.code")

    class Meta:
        model = AppointmentCase
        fields = [
            "id", "kind", "person", "position", "competent_unit", "internal", "opened_on",
            "dossier_received_on", "dossier_complete_on", "closed_on", "outcome",
            "decision_number", "decision_date", "term_start", "term_end", "election_on",
            "seats", "note",
        ]  # fmt: skip

    def get_person(self, case) -> dict:
        return {"id_number": case.person.id_number, "full_name": case.person.full_name}

    def get_position(self, case) -> dict:
        return {"id": case.position_id,
                "name": f"{case.position.title.name} – {case.position.unit.name}"}  # fmt: skip


class PersonByNumber(PersonField):
    """A person named by personal ID number among the people the user may see."""

    def find(self, user, id_number: str):
        id_number = "".join(id_number.split())
        return people_selectors.person_list(user=user).filter(id_number=id_number).first()


class CaseOpenSerializer(PositionInput):
    person = PersonByNumber()
    kind = choice_field(CaseKind.choices, label=gettext_lazy("Loại việc"))
    competent_unit = CodeField(
        queryset=Unit.objects.all(),
        not_found=gettext_lazy("Không có đơn vị với mã này."),
        required=True,
        allow_null=False,
        label=gettext_lazy("Cấp có thẩm quyền (mã đơn vị)"),
    )
    opened_on = date_field(label=gettext_lazy("Ngày bắt đầu quy trình"))
    internal = serializers.BooleanField(required=False, default=True)
    dossier_received_on = date_field(required=False, allow_null=True, default=None)
    election_on = date_field(required=False, allow_null=True, default=None,
                             label=gettext_lazy("Ngày bầu cử, đại hội"))  # fmt: skip
    seats = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1,
                                     max_value=1000, label=gettext_lazy("Số lượng cần bầu"))  # fmt: skip
    note = text_field(5000, required=False, allow_blank=True, default="")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "request" in self.context:
            # A unit the user may not edit is "not found", as a code no unit has.
            self.fields["competent_unit"].queryset = unit_list(user=self.user, action=scope.EDIT)


class DossierSerializer(InputSerializer):
    received_on = date_field(required=False, allow_null=True, default=None,
                             label=gettext_lazy("Ngày nhận hồ sơ"))  # fmt: skip
    complete_on = date_field(required=False, allow_null=True, default=None,
                             label=gettext_lazy("Ngày hồ sơ đầy đủ"))  # fmt: skip


class CloseSerializer(InputSerializer):
    closed_on = date_field(label=gettext_lazy("Ngày kết thúc"))
    outcome = choice_field(CaseOutcome.choices, label=gettext_lazy("Kết quả"))
    decision_number = text_field(60, required=False, allow_blank=True, default="")
    decision_date = date_field(required=False, allow_null=True, default=None)
    term_start = date_field(required=False, allow_null=True, default=None)
    term_end = date_field(required=False, allow_null=True, default=None)
    note = text_field(5000, required=False, allow_blank=True, default="")


class CalendarQuerySerializer(serializers.Serializer):
    unit = text_field(50, required=False, allow_blank=True)
    as_of = date_field(required=False, allow_null=True)
    months = serializers.IntegerField(required=False, min_value=1, max_value=60, default=12)


class CaseWhatIfInput(InputSerializer):
    as_of = date_field(required=False, allow_null=True, label=gettext_lazy("Ngày xem"))
    dossier_received_on = date_field(required=False, allow_null=True)
    dossier_complete_on = date_field(required=False, allow_null=True)
    decision_date = date_field(required=False, allow_null=True)
    election_on = date_field(required=False, allow_null=True)
    seats = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=1000)


class CaseWhatIfSerializer(serializers.Serializer):
    as_of = serializers.DateField()
    rule_set = serializers.CharField()
    before = serializers.ListField(child=serializers.DictField())
    after = serializers.ListField(child=serializers.DictField())


class ProposalSerializer(serializers.Serializer):
    rule = serializers.CharField()
    person = serializers.SerializerMethodField()
    message = serializers.CharField()
    citation = serializers.CharField()
    source = serializers.CharField()
    session_id = serializers.IntegerField(allow_null=True)
    round_id = serializers.IntegerField(allow_null=True)
    under_way = serializers.SerializerMethodField()

    def get_person(self, proposal) -> dict:
        return {"id_number": proposal.id_number, "full_name": proposal.full_name}

    def get_under_way(self, proposal) -> int | None:
        return proposal.under_way.pk if proposal.under_way is not None else None


class TermEndingSerializer(serializers.Serializer):
    case = CaseSerializer()
    term_end = serializers.DateField()
    notice_by = serializers.DateField(allow_null=True)
    under_way = serializers.BooleanField()


@extend_schema_view(
    list=extend_schema(summary=gettext_lazy("Hồ sơ bổ nhiệm, giới thiệu ứng cử trong phạm vi")),
    retrieve=extend_schema(summary=gettext_lazy("Một hồ sơ bổ nhiệm, giới thiệu ứng cử")),
)
class AppointmentCaseViewSet(
    CaseStepsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Appointment and nomination cases decided by bodies within the user's scope."""

    serializer_class = CaseSerializer
    permission_classes = READ_WRITE
    pagination_class = Pagination

    def get_queryset(self) -> QuerySet[AppointmentCase]:
        if getattr(self, "swagger_fake_view", False):
            return AppointmentCase.objects.none()
        return selectors.cases(self.request.user).order_by("-opened_on", "id")

    def get_serializer_class(self):
        return {"create": CaseOpenSerializer, "dossier": DossierSerializer,
                "close": CloseSerializer}.get(self.action, CaseSerializer)  # fmt: skip

    def _answer(self, case: AppointmentCase, code=status.HTTP_200_OK) -> Response:
        case = self.get_queryset().get(pk=case.pk)
        record_rows(actor=self.request.user, kind=AccessKind.CASE, instance=case, query="",
                    person_ids=[case.person_id])  # fmt: skip
        return Response(CaseSerializer(case).data, status=code)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        record_rows(actor=request.user, kind=AccessKind.LIST, model=AppointmentCase,
                    query=request.META.get("QUERY_STRING", ""),
                    person_ids=[case.person_id for case in page])  # fmt: skip
        return self.get_paginated_response(CaseSerializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        return self._answer(self.get_object())

    @extend_schema(request=CaseOpenSerializer, responses={201: CaseSerializer})
    def create(self, request, *args, **kwargs):
        """Open a case (the competent body's unit decides who may)."""
        serializer = CaseOpenSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        case = write(services.case_open, actor=request.user, **serializer.validated_data)
        return self._answer(case, status.HTTP_201_CREATED)

    @extend_schema(request=DossierSerializer, responses=CaseSerializer)
    @action(detail=True, methods=["post"])
    def dossier(self, request, pk=None):
        """The day the dossier was received and the day it was complete."""
        case = self.get_object()
        serializer = DossierSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        write(services.case_record_dossier, actor=request.user, case=case,
              **serializer.validated_data)  # fmt: skip
        return self._answer(case)

    @extend_schema(request=CloseSerializer, responses=CaseSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """End the procedure: with the decision, or stopped."""
        case = self.get_object()
        serializer = CloseSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        write(services.case_close, actor=request.user, case=case, **serializer.validated_data)
        return self._answer(case)

    @extend_schema(
        parameters=[
            OpenApiParameter("unit", OpenApiTypes.STR,
                             description=gettext_lazy("Mã đơn vị: hồ sơ do cấp này và cấp dưới quyết định.")),
            OpenApiParameter("as_of", OpenApiTypes.DATE,
                             description=gettext_lazy("Ngày xem (mặc định hôm nay).")),
            OpenApiParameter("months", OpenApiTypes.INT,
                             description=gettext_lazy("Số tháng tới (1–60, mặc định 12).")),
        ],
        responses=TermEndingSerializer(many=True),
    )  # fmt: skip
    @action(detail=False, methods=["get"], pagination_class=None)
    def calendar(self, request):
        """Terms of office ending in the coming months, with the day their review is due (A8)."""
        data, unit = self._unit_query(request)
        endings = selectors.reappointment_calendar(
            request.user, as_of=data.get("as_of") or people_selectors.today(), unit=unit,
            months=data["months"],
        )  # fmt: skip
        record_rows(actor=request.user, kind=AccessKind.CASE, model=AppointmentCase,
                    query=query_text(request.query_params),
                    person_ids=[e.case.person_id for e in endings])  # fmt: skip
        return Response(TermEndingSerializer(endings, many=True).data)

    @extend_schema(request=CaseWhatIfInput, responses=CaseWhatIfSerializer)
    @action(detail=True, methods=["post"], url_path="what-if", permission_classes=READ_ONLY)
    def what_if(self, request, pk=None):
        """The rules' findings on the case if its dates or election were different
        (computed in memory, nothing written): before and after."""
        case = self.get_object()
        serializer = CaseWhatIfInput(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        as_of = data.pop("as_of", None) or people_selectors.today()
        result = write(what_if.case_what_if, case=case, as_of=as_of, changes=data)

        def out(findings):
            return case_finding_dicts(findings, result.changed, result.facts.positions)

        named = {case.person_id} | {f.person_id for f in (*result.before, *result.after)
                                    if f.person_id is not None}  # fmt: skip
        record_rows(actor=request.user, kind=AccessKind.CASE, instance=case, query="what-if",
                    person_ids=sorted(named))  # fmt: skip
        return Response({"as_of": as_of, "rule_set": result.rule_set.code,
                         "before": out(result.before), "after": out(result.after)})  # fmt: skip

    def _unit_query(self, request):
        params = CalendarQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        unit = None
        code = data.get("unit", "").strip()
        if code:
            unit = unit_list(user=request.user).filter(code=code).first()
            if unit is None:
                raise exceptions.NotFound(_("Không có đơn vị mã “%(code)s”.") % {"code": code})
        return data, unit

    @extend_schema(
        parameters=[
            OpenApiParameter("unit", OpenApiTypes.STR,
                             description=gettext_lazy("Mã đơn vị: phiên lấy phiếu, đợt đánh giá của cấp này và cấp dưới.")),
            OpenApiParameter("as_of", OpenApiTypes.DATE,
                             description=gettext_lazy("Ngày xem (mặc định hôm nay).")),
        ],
        responses=ProposalSerializer(many=True),
    )  # fmt: skip
    @action(detail=False, methods=["get"], pagination_class=None, url_path="dismissal-queue")
    def dismissal_queue(self, request):
        """People the rules propose to relieve of their post (C5, E3, E4), with the reason,
        the source and the dismissal case already open, if any."""
        data, unit = self._unit_query(request)
        proposals = queue.dismissal_queue(
            request.user, as_of=data.get("as_of") or people_selectors.today(), unit=unit
        )
        record_rows(actor=request.user, kind=AccessKind.CASE, model=AppointmentCase,
                    query=query_text(request.query_params),
                    person_ids=[p.person_id for p in proposals])  # fmt: skip
        return Response(ProposalSerializer(proposals, many=True).data)
