"""REST: report rounds, the units' submissions and the decisions on them (issue 16, item 7).

GET/POST  /api/report-rounds/                         the rounds in sight; issue one
GET/PATCH /api/report-rounds/{id}/                    one; its name, deadline or note
GET       /api/report-rounds/{id}/completeness/?as_of=        per form and per level
GET       /api/report-rounds/{id}/total/?form=&unit=          the accepted figures added up
GET       /api/report-rounds/{id}/reconciliation/?form=&unit= cell by cell
GET/POST  /api/submissions/                           the submissions in sight; open one
GET       /api/submissions/queue/                     waiting for a decision the user may take
GET       /api/submissions/{id}/                      figures, corrections, status, comment
POST      /api/submissions/{id}/corrections/          correct a count cell, with the reason
DELETE    /api/submissions/{id}/corrections/{cid}/    take a correction back
POST      /api/submissions/{id}/recompute|submit|accept|return/

Thin adapters. Rounds and submissions are read through the scoped selectors
(`round_selectors.visible_rounds`, `visible_submissions`): one out of sight answers as one
that does not exist (404). A unit named in a query is looked up among the units the user
may read (404 otherwise, ADR 0010). Writes go through `services`, which check the right
(403, for a record in sight), validate (400 by field, in Vietnamese) and audit. Reading a
submission's figures, a level's total or a reconciliation leaves an access entry (kind
'report'), as a computed report does.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from canbo.api.pagination import Pagination
from canbo.api.permissions import READ_WRITE
from canbo.core.audit import AccessKind, query_text, record_rows
from canbo.core.replica import replica_reads
from canbo.directives.api.answers import current_action, write
from canbo.directives.api.serializers import MAX_ID
from canbo.organizations.selectors import unit_list
from canbo.people import selectors as people_selectors
from canbo.people.leaders_query import UNIT_NOT_FOUND

from . import services
from .api_rounds_io import (
    CompletenessParams,
    CorrectionInput,
    DecisionInput,
    FigureParams,
    ReportRoundSerializer,
    RoundCompletenessSerializer,
    RoundFilterSet,
    RoundInput,
    RoundReconciliationSerializer,
    RoundTotalSerializer,
    RoundUpdateInput,
    SubmissionDetailSerializer,
    SubmissionFilterSet,
    SubmissionInput,
    SubmissionSerializer,
    form_in_round,
)
from .forms import FORMS
from .models import ReportRound, Submission, SubmissionCorrection, split_key
from .round_selectors import (
    Tally,
    acceptance_queue,
    completeness,
    reconciliation,
    round_total,
    visible_rounds,
    visible_submissions,
)
from .spec import COUNT, Report

DELETED = {204: OpenApiResponse(description=gettext_lazy("Đã bỏ ô sửa."))}
FORM_PARAM = OpenApiParameter(
    "form", OpenApiTypes.STR,
    description=gettext_lazy("Mã biểu của đợt; bỏ trống khi đợt chỉ có một biểu."),
)  # fmt: skip
UNIT_PARAM = OpenApiParameter(
    "unit", OpenApiTypes.STR, required=True,
    description=gettext_lazy("Mã đơn vị (trong phạm vi được xem): các đơn vị báo cáo của đơn vị "
                             "này và trực thuộc."),
)  # fmt: skip


def body(view, serializer_class, **context):
    """The request's body, validated (400 with the messages by field)."""
    serializer = serializer_class(data=view.request.data, partial=view.request.method == "PATCH",
                                  context={**view.get_serializer_context(), **context})  # fmt: skip
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def log_figures(request, form_code: str, unit, instance) -> None:
    """Figures of a small unit can point at people: each read leaves an access entry with
    the form, the unit and the query (as `query.log_report_read`), linked to the round or
    the submission read."""
    record_rows(actor=request.user, kind=AccessKind.REPORT, instance=instance, person_ids=[],
                query=" ".join(filter(None, [f"report={form_code}", f"unit={unit.code}",
                                             query_text(request.query_params)])))  # fmt: skip


def tally_data(tally: Tally) -> dict:
    return {**tally.as_dict(), **{f"text_{name}": tally.text(name)
                                  for name in ("submitted", "on_time", "accepted")}}  # fmt: skip


# --- Rounds ------------------------------------------------------------------------------


@replica_reads(actions=("list", "retrieve", "completeness"))
@extend_schema_view(
    list=extend_schema(summary=gettext_lazy("Các đợt báo cáo trong phạm vi")),
    retrieve=extend_schema(summary=gettext_lazy("Một đợt báo cáo")),
)
class ReportRoundViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                         viewsets.GenericViewSet):  # fmt: skip
    """Rounds issued in the user's scope, or asking a unit they may read to report; issued
    and changed by the editors of the issuing unit."""

    serializer_class = ReportRoundSerializer
    pagination_class = Pagination
    permission_classes = READ_WRITE
    strict_query_params = True

    @property
    def filterset_class(self):
        """The list's filters; the parameters an action reads (not applied as filters)."""
        return {"list": RoundFilterSet, "completeness": CompletenessParams, "total": FigureParams,
                "reconciliation": FigureParams}.get(getattr(self, "action", None))  # fmt: skip

    def get_queryset(self) -> QuerySet[ReportRound]:
        if getattr(self, "swagger_fake_view", False):
            return ReportRound.objects.none()
        return (visible_rounds(self.request.user)
                .select_related("issuing_unit", "within", "group", "task__directive")
                .order_by("-period_end", "name", "pk"))  # fmt: skip

    def get_serializer_class(self):
        inputs = {"create": RoundInput, "partial_update": RoundUpdateInput}
        return inputs.get(current_action(self), ReportRoundSerializer)

    def _round(self) -> ReportRound:
        """The round of the URL, if the user may read it (without the list's filters)."""
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    def _answer(self, report_round: ReportRound, code=status.HTTP_200_OK) -> Response:
        report_round = self.get_queryset().get(pk=report_round.pk)
        return Response(ReportRoundSerializer(report_round).data, status=code)

    @extend_schema(summary=gettext_lazy("Ra một đợt báo cáo"), request=RoundInput,
                   responses={201: ReportRoundSerializer})  # fmt: skip
    def create(self, request, *args, **kwargs):
        """A round, the official letter carrying it, its task and one assignment per
        reporting unit. The period's dates default to the period's (annual 15/12 of the
        year before → 14/12, quarters and months to the 14th; an ad hoc period needs both);
        the issuing unit among those the user may edit."""
        round_ = write(services.round_create, actor=request.user, **body(self, RoundInput))
        return self._answer(round_, status.HTTP_201_CREATED)

    @extend_schema(summary=gettext_lazy("Sửa tên, hạn gửi, ghi chú của đợt báo cáo"),
                   request=RoundUpdateInput, responses=ReportRoundSerializer)  # fmt: skip
    def partial_update(self, request, *args, **kwargs):
        """The period, the forms and the reporting units are fixed once issued."""
        report_round = self._round()
        data = body(self, RoundUpdateInput)
        write(services.round_update, actor=request.user, report_round=report_round, **data)
        return self._answer(report_round)

    @extend_schema(
        summary=gettext_lazy("Tình hình gửi báo cáo của đợt, theo biểu và theo cấp"),
        parameters=[OpenApiParameter("as_of", OpenApiTypes.DATE, description=gettext_lazy(
            "Ngày xét (YYYY-MM-DD hoặc dd/mm/yyyy); mặc định hôm nay."))],
        responses=RoundCompletenessSerializer,
    )  # fmt: skip
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def completeness(self, request, pk=None):
        """Over the reporting units the user may read: the round's task as the directives
        roll it up, and per form and per level of the units: expected, opened, submitted,
        on time, waiting, accepted, returned ("1/2 (50,00%)")."""
        report_round = self._round()
        params = CompletenessParams(request.query_params, queryset=ReportRound.objects.none())
        if not params.is_valid():
            raise exceptions.ValidationError(params.errors)
        on = params.form.cleaned_data["as_of"] or people_selectors.today()
        found = completeness(report_round, on=on, user=request.user)
        data = found.as_dict()
        data["forms"] = {code: tally_data(t) for code, t in found.forms.items()}
        data["levels"] = [{"level": level, "label": label,
                           "forms": {code: tally_data(t) for code, t in tallies.items()}}
                          for level, label, tallies in found.by_level()]  # fmt: skip
        return Response(RoundCompletenessSerializer(data).data)

    def _figures_of(self, request):
        """The round, the form and the unit a figures query names (module doc)."""
        report_round = self._round()
        params = FigureParams(request.query_params, queryset=ReportRound.objects.none())
        if not params.is_valid():
            raise exceptions.ValidationError(params.errors)
        form = form_in_round(report_round, params.form.cleaned_data["form"])
        code = (params.form.cleaned_data["unit"] or "").strip()
        if not code:
            raise exceptions.ValidationError({"unit": [_("Hãy chọn đơn vị.")]})
        unit = unit_list(user=request.user).filter(code=code).first()
        if unit is None:
            raise exceptions.NotFound(str(UNIT_NOT_FOUND) % {"unit": code})
        return report_round, form, unit

    @extend_schema(summary=gettext_lazy("Số liệu tổng hợp của một cấp trong đợt"),
                   parameters=[FORM_PARAM, UNIT_PARAM], responses=RoundTotalSerializer)  # fmt: skip
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def total(self, request, pk=None):
        """The unit's figures: the sum of the accepted submissions of the reporting units in
        its subtree (that the user may read), each with its corrected cells; every cell as
        {row, column, value, kind, how}, shares and ratios recomputed from the sums."""
        report_round, form, unit = self._figures_of(request)
        report = round_total(report_round, form, unit, user=request.user)
        log_figures(request, form, unit, report_round)
        data = report.as_dict()
        return Response({"round": report_round.pk,
                         **{key: data[key] for key in ("form", "title", "unit", "unit_name",
                                                       "as_of", "cells")}})  # fmt: skip

    @extend_schema(summary=gettext_lazy("Đối chiếu số liệu của một cấp trong đợt, từng ô"),
                   parameters=[FORM_PARAM, UNIT_PARAM],
                   responses=RoundReconciliationSerializer)  # fmt: skip
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def reconciliation(self, request, pk=None):
        """Cell by cell: the sum of the lower submissions (sent or accepted), the level's
        own computation from the records over the same units and over every reporting unit,
        the corrected cells with their reasons, every difference with the units behind it,
        and the units returned, waiting or not submitted."""
        report_round, form, unit = self._figures_of(request)
        found = reconciliation(report_round, form, unit, user=request.user)
        log_figures(request, form, unit, report_round)
        data = found.as_dict()
        data.update(title=str(found.form.title), unit_name=unit.name)
        return Response(RoundReconciliationSerializer(data).data)


# --- Submissions ----------------------------------------------------------------------


def _cells(submission: Submission, corrections: list[SubmissionCorrection]) -> list[dict]:
    """Every cell of the submission's form: count cells as the unit vouches for them
    (corrected or computed), derived ones recomputed from those."""
    spec = FORMS[submission.form_code]
    report = Report(spec, submission.unit, submission.round.cut_off,
                    submission.effective(corrections))  # fmt: skip
    computed = {split_key(k): int(n) for k, n in (submission.counts or {}).items()}
    corrected = {(c.row, c.column) for c in corrections}
    cells = []
    for cell in report.cells():
        key = (cell.row.code, cell.column.code)
        is_count = cell.column.kind == COUNT
        cells.append({**cell.as_dict(), "computed": computed.get(key, 0) if is_count else None,
                      "corrected": key in corrected})  # fmt: skip
    return cells


@replica_reads(actions=("list", "queue"))
@extend_schema_view(
    list=extend_schema(summary=gettext_lazy("Báo cáo của các đơn vị trong phạm vi")),
)
class SubmissionViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Submissions of the units the user may read, and of the rounds issued in their scope.
    Opened, corrected, recomputed and sent by the editors of the reporting unit; accepted
    or returned by the level above (a scope over both the issuing and the reporting unit)."""

    serializer_class = SubmissionSerializer
    pagination_class = Pagination
    permission_classes = READ_WRITE
    strict_query_params = True

    @property
    def filterset_class(self):
        return SubmissionFilterSet if getattr(self, "action", None) == "list" else None

    def get_queryset(self) -> QuerySet[Submission]:
        if getattr(self, "swagger_fake_view", False):
            return Submission.objects.none()
        return (visible_submissions(self.request.user).select_related("round", "unit")
                .order_by("-round__period_end", "round_id", "form_code", "unit__path", "pk"))  # fmt: skip

    def get_serializer_class(self):
        inputs = {"create": SubmissionInput, "corrections": CorrectionInput,
                  "accept": DecisionInput, "return_submission": DecisionInput}  # fmt: skip
        return inputs.get(current_action(self), SubmissionSerializer)

    def _submission(self) -> Submission:
        """The submission of the URL, if the user may read it (without the list's filters)."""
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    def _answer(self, submission: Submission, code=status.HTTP_200_OK) -> Response:
        """The submission as it is now, with its figures: the read is logged."""
        submission = (self.get_queryset().select_related("submitted_by", "decided_by")
                      .get(pk=submission.pk))  # fmt: skip
        corrections = list(submission.corrections.select_related("corrected_by").order_by("pk"))
        submission.api_cells = _cells(submission, corrections)
        submission.api_corrections = corrections
        log_figures(self.request, submission.form_code, submission.unit, submission)
        return Response(SubmissionDetailSerializer(submission).data, status=code)

    @extend_schema(summary=gettext_lazy("Một báo cáo của đơn vị"),
                   responses=SubmissionDetailSerializer)  # fmt: skip
    def retrieve(self, request, *args, **kwargs):
        return self._answer(self._submission())

    @extend_schema(summary=gettext_lazy("Lập báo cáo của đơn vị trong đợt"),
                   request=SubmissionInput,
                   responses={201: SubmissionDetailSerializer, 200: SubmissionDetailSerializer})  # fmt: skip
    def create(self, request, *args, **kwargs):
        """The unit's report of a form in a round: its counts computed from the records at
        the cut-off date, a draft (201); the report already opened, unchanged (200)."""
        data = body(self, SubmissionInput)
        existing = Submission.objects.filter(round=data["round"], unit=data["unit"],
                                             form_code=data["form"]).exists()  # fmt: skip
        submission = write(services.open_submission, actor=request.user,
                           report_round=data["round"], unit=data["unit"],
                           form_code=data["form"])  # fmt: skip
        return self._answer(submission, status.HTTP_200_OK if existing else status.HTTP_201_CREATED)

    @extend_schema(summary=gettext_lazy("Báo cáo đang chờ tiếp nhận"),
                   responses=SubmissionSerializer(many=True))  # fmt: skip
    @action(detail=False, methods=["get"], filter_backends=[])
    def queue(self, request):
        """Submitted reports waiting for a decision the user may take (accept or return)."""
        queryset = (acceptance_queue(request.user).select_related("round", "unit")
                    .order_by("submitted_at", "round_id", "unit__path", "pk"))  # fmt: skip
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(SubmissionSerializer(page, many=True).data)

    @extend_schema(summary=gettext_lazy("Sửa một ô số lượng, có lý do"), request=CorrectionInput,
                   responses=SubmissionDetailSerializer)  # fmt: skip
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def corrections(self, request, pk=None):
        """A count cell of a draft or returned report, corrected with the reason; correcting
        it again replaces the value and the reason. Shares and ratios follow."""
        submission = self._submission()
        data = body(self, CorrectionInput)
        write(services.correct_cell, actor=request.user, submission=submission, **data)
        return self._answer(submission)

    @extend_schema(
        summary=gettext_lazy("Bỏ một ô đã sửa"), request=None, responses=DELETED,
        parameters=[OpenApiParameter("correction", OpenApiTypes.INT, OpenApiParameter.PATH,
                                     description=gettext_lazy("Mã số ô sửa (corrections[].id)."))],
    )  # fmt: skip
    @action(detail=True, methods=["delete"], url_path=r"corrections/(?P<correction>[^/.]+)",
            url_name="correction", filter_backends=[], pagination_class=None)  # fmt: skip
    def withdraw_correction(self, request, pk=None, correction=None):
        """The computed value counts again (a draft or returned report only)."""
        submission = self._submission()
        text = correction or ""
        found = None
        if text.isascii() and text.isdigit() and len(text) <= 19 and 1 <= int(text) <= MAX_ID:
            found = submission.corrections.filter(pk=int(text)).first()
        if found is None:
            raise exceptions.NotFound()
        write(services.withdraw_correction, actor=request.user, correction=found)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(summary=gettext_lazy("Tính lại số liệu từ hồ sơ"), request=None,
                   responses=SubmissionDetailSerializer)  # fmt: skip
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def recompute(self, request, pk=None):
        """The counts of a draft or returned report computed again from the records at the
        cut-off date; the corrections stay, beside the new computed values."""
        submission = self._submission()
        write(services.recompute, actor=request.user, submission=submission)
        return self._answer(submission)

    @extend_schema(summary=gettext_lazy("Gửi báo cáo lên cấp trên"), request=None,
                   responses=SubmissionDetailSerializer)  # fmt: skip
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def submit(self, request, pk=None):
        """Send a draft or returned report up, with its corrections (not before the cut-off
        date); the unit's task is completed once every form of the round is sent."""
        submission = self._submission()
        write(services.submit, actor=request.user, submission=submission)
        return self._answer(submission)

    @extend_schema(summary=gettext_lazy("Tiếp nhận báo cáo"), request=DecisionInput,
                   responses=SubmissionDetailSerializer)  # fmt: skip
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def accept(self, request, pk=None):
        """The level above accepts a submitted report (a comment is optional): its figures
        are final, later edits of the records do not change them."""
        submission = self._submission()
        data = body(self, DecisionInput)
        write(services.accept, actor=request.user, submission=submission, comment=data["comment"])
        return self._answer(submission)

    @extend_schema(summary=gettext_lazy("Trả lại báo cáo, có ý kiến"), request=DecisionInput,
                   responses=SubmissionDetailSerializer)  # fmt: skip
    @action(detail=True, methods=["post"], url_path="return", url_name="return",
            filter_backends=[], pagination_class=None)  # fmt: skip
    def return_submission(self, request, pk=None):
        """The level above returns a submitted report with what to fix (the comment is
        required); the unit may correct, recompute and send it again."""
        submission = self._submission()
        data = body(self, DecisionInput)
        write(services.return_submission, actor=request.user, submission=submission,
              comment=data["comment"])  # fmt: skip
        return self._answer(submission)
