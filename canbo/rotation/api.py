"""REST API for rotations and rotation plans: list, one, record, start, end; the R1–R3
findings of a subtree; the what-if of a proposed rotation (nothing written).

Thin adapters. Reads go through `selectors.rotations` / `selectors.plans` (scoped by the
competent body's or the planning body's unit: outside the user's scope is not found,
404) and leave an access entry (a rotation names a person). Writes go through
`services`, which re-check EDIT scope (403), validate and audit in one transaction. The
person is named by personal ID number among the people the user may see, posts by id
among the posts the user may see, the competent body by its unit's code among the units
the user may edit (for a what-if: may see): anything else is "not found", worded as a
code nobody has.
"""

from __future__ import annotations

from django.db.models import F, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from canbo.api.fields import CodeField, choice_field, date_field, integer_field, text_field
from canbo.api.pagination import Pagination
from canbo.api.permissions import READ_ONLY, READ_WRITE
from canbo.core import scope
from canbo.core.audit import AccessKind, query_text, record_rows
from canbo.core.dates import year_span
from canbo.organizations.choices import TermBody
from canbo.organizations.models import Position, Term, Unit
from canbo.organizations.selectors import position_list, unit_list
from canbo.people import selectors as people_selectors
from canbo.planning.api.answers import write
from canbo.planning.api.inputs import InputSerializer, PersonField
from canbo.planning.api.serializers import AS_OF, NO_POSITION, ROW_ID, rule_set_on, validate_term
from canbo.planning.serialize import plain
from canbo.rules.engine import run_rotation_checks
from canbo.rules.facts import CheckContext

from . import holders, pages, selectors, services
from .choices import RotationKind, RotationOutcome, RotationPurpose
from .models import Rotation, RotationPlan

UNIT_NOT_FOUND = gettext_lazy("Không có đơn vị với mã này.")


# --- Answers -------------------------------------------------------------------------


def _post(position: Position | None) -> dict | None:
    if position is None:
        return None
    return {"id": position.pk, "name": f"{position.title.name} – {position.unit.name}"}


class RotationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    person = serializers.SerializerMethodField()
    kind = serializers.CharField()
    purpose = serializers.CharField()
    from_position = serializers.SerializerMethodField()
    to_position = serializers.SerializerMethodField()
    competent_unit = serializers.CharField(source="competent_unit.code")
    plan = serializers.IntegerField(source="plan_id", allow_null=True)
    decision_number = serializers.CharField()
    decision_date = serializers.DateField(allow_null=True)
    start_date = serializers.DateField(allow_null=True)
    planned_end = serializers.DateField(allow_null=True)
    shorter_approved = serializers.BooleanField()
    actual_end = serializers.DateField(allow_null=True)
    outcome = serializers.CharField()
    evaluation = serializers.CharField()
    level_direction = serializers.CharField()
    across_localities = serializers.BooleanField()
    across_sectors = serializers.BooleanField()
    note = serializers.CharField()

    def get_person(self, r) -> dict:
        return {"id_number": r.person.id_number, "full_name": r.person.full_name}

    def get_from_position(self, r) -> dict | None:
        return _post(r.from_position)

    def get_to_position(self, r) -> dict:
        return _post(r.to_position)


class RotationPlanSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    unit = serializers.CharField(source="unit.code")
    term = serializers.SerializerMethodField()
    name = serializers.CharField()
    note = serializers.CharField()

    def get_term(self, plan) -> str:
        return f"{plan.term.start_date.year}-{plan.term.end_date.year}"


class RotationPlanLineSerializer(serializers.Serializer):
    rotation = RotationSerializer()
    status = serializers.CharField()
    rules = serializers.ListField(child=serializers.CharField())


class RotationPlanDetailSerializer(RotationPlanSerializer):
    rotations = serializers.SerializerMethodField()

    def get_rotations(self, plan) -> list[dict]:
        lines = self.context.get("lines", [])
        return [{"rotation": RotationSerializer(x.rotation).data, "status": x.status,
                 "rules": [f.rule for f in x.findings]} for x in lines]  # fmt: skip


class RotationFindingSerializer(serializers.Serializer):
    """A finding as `canbo check-rotation --format json` prints it."""

    rule = serializers.CharField()
    severity = serializers.CharField()
    citation = serializers.CharField()
    message = serializers.CharField()
    reason = serializers.CharField()
    rotation = serializers.DictField(allow_null=True)
    position = serializers.DictField(allow_null=True)
    person = serializers.CharField(allow_null=True)
    figures = serializers.DictField()


class RotationWhatIfSerializer(serializers.Serializer):
    as_of = serializers.DateField()
    rule_set = serializers.CharField()
    findings = RotationFindingSerializer(many=True)


def finding_dicts(findings, facts) -> list[dict]:
    by_id = {r.id: r for r in facts.rotations}
    out = []
    for f in findings:
        r = by_id.get(f.rotation_id)
        position = facts.positions.get(f.position_id) if f.position_id is not None else None
        out.append({
            "rule": f.rule, "severity": f.severity, "citation": f.citation, "message": f.message,
            "reason": f.reason,
            "rotation": {"id": r.id, "kind": r.kind, "purpose": r.purpose,
                         "start_date": r.start_date.isoformat() if r.start_date else None}
            if r is not None else None,
            "position": {"id": position.id, "name": position.name} if position else None,
            "person": f.id_number, "figures": plain(dict(f.figures)),
        })  # fmt: skip
    return out


# --- Inputs --------------------------------------------------------------------------


class RotationPersonField(PersonField):
    """A person named by personal ID number among the people the user may see."""

    def find(self, user, id_number: str):
        id_number = "".join(id_number.split())
        return people_selectors.person_list(user=user).filter(id_number=id_number).first()


class PostField(serializers.IntegerField):
    """A post by id among the posts the user may see."""

    default_error_messages = {"not_found": NO_POSITION}

    def __init__(self, **kwargs):
        # The words of `integer_field` for a value that is not a row id.
        kwargs["error_messages"] = integer_field().error_messages
        super().__init__(**(kwargs | ROW_ID))

    def run_validation(self, data=serializers.empty):
        pk = super().run_validation(data)  # a whole number in range, or None
        if pk is None or pk is serializers.empty:
            return pk
        found = position_list(user=self.context["request"].user).filter(pk=pk).first()
        if found is None:
            self.fail("not_found")
        return found


class RotationInputBase(InputSerializer):
    person = RotationPersonField()
    kind = choice_field(RotationKind.choices, label=gettext_lazy("Hình thức"))
    purpose = choice_field(RotationPurpose.choices, label=gettext_lazy("Mục đích"))
    to_position = PostField(label=gettext_lazy("Đến chức danh (mã số)"))
    from_position = PostField(required=False, allow_null=True, default=None,
                              label=gettext_lazy("Từ chức danh (mã số); để trống: chức danh đang giữ"))  # fmt: skip
    start_date = date_field(required=False, allow_null=True, default=None)
    planned_end = date_field(required=False, allow_null=True, default=None)
    shorter_approved = serializers.BooleanField(required=False, default=False)


class RotationCreateInput(RotationInputBase):
    competent_unit = CodeField(queryset=Unit.objects.all(), not_found=UNIT_NOT_FOUND, required=True,
                               allow_null=False, label=gettext_lazy("Cấp có thẩm quyền (mã đơn vị)"))  # fmt: skip
    plan = integer_field(required=False, allow_null=True, default=None, **ROW_ID,
                         label=gettext_lazy("Kế hoạch luân chuyển (mã số)"))  # fmt: skip
    decision_number = text_field(60, required=False, allow_blank=True, default="")
    decision_date = date_field(required=False, allow_null=True, default=None)
    note = text_field(5000, required=False, allow_blank=True, default="")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "request" in self.context:
            # A unit the user may not edit is "not found", as a code no unit has.
            self.fields["competent_unit"].queryset = unit_list(user=self.user, action=scope.EDIT)

    def validate_plan(self, pk):
        if pk is None:
            return None
        found = selectors.plans(self.user, scope.EDIT).filter(pk=pk).first()
        if found is None:
            raise serializers.ValidationError(_("Không có kế hoạch luân chuyển mã số này."))
        return found


class RotationWhatIfInput(RotationInputBase):
    competent_unit = CodeField(queryset=Unit.objects.all(), not_found=UNIT_NOT_FOUND,
                               label=gettext_lazy("Cấp có thẩm quyền (mã đơn vị)"))  # fmt: skip
    as_of = date_field(required=False, allow_null=True, label=gettext_lazy("Ngày xem"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "request" in self.context:
            self.fields["competent_unit"].queryset = unit_list(user=self.user)


class RotationStartInput(InputSerializer):
    # Left to the service when missing: its messages name what is expected.
    decision_number = text_field(60, required=False, allow_blank=True, default="")
    decision_date = date_field(required=False, allow_null=True, default=None)
    start_date = date_field(label=gettext_lazy("Ngày bắt đầu"))
    planned_end = date_field(required=False, allow_null=True, default=None)
    shorter_approved = serializers.BooleanField(required=False, allow_null=True, default=None)


class RotationEndInput(InputSerializer):
    actual_end = date_field(label=gettext_lazy("Ngày kết thúc"))
    outcome = choice_field(RotationOutcome.choices, label=gettext_lazy("Kết quả sau luân chuyển"))
    evaluation = text_field(5000, required=False, allow_blank=True, default="")


class RotationPlanCreateInput(InputSerializer):
    unit = CodeField(queryset=Unit.objects.all(), not_found=UNIT_NOT_FOUND, required=True,
                     allow_null=False, label=gettext_lazy("Cấp ủy, cơ quan lập kế hoạch (mã đơn vị)"))  # fmt: skip
    term = text_field(20, label=gettext_lazy("Nhiệm kỳ (YYYY-YYYY)"))
    term_body = choice_field(TermBody.choices, required=False, default=TermBody.PARTY)
    name = text_field(300, required=False, allow_blank=True, default="")
    note = text_field(5000, required=False, allow_blank=True, default="")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "request" in self.context:
            self.fields["unit"].queryset = unit_list(user=self.user, action=scope.EDIT)

    def validate_term(self, value: str) -> str:
        validate_term(value)
        return value

    def validate(self, attrs):
        start, end = year_span(attrs["term"])
        term = Term.objects.filter(body=attrs.pop("term_body"), start_date__year=start,
                                   end_date__year=end).first()  # fmt: skip
        if term is None:
            raise serializers.ValidationError(
                {"term": [_("Không có nhiệm kỳ %(start)d–%(end)d.") % {"start": start, "end": end}]}
            )
        attrs["term"] = term
        if not attrs["name"].strip():
            attrs["name"] = _("Kế hoạch luân chuyển %(unit)s nhiệm kỳ %(term)s") % {
                "unit": attrs["unit"].name, "term": f"{start}–{end}"}  # fmt: skip
        return attrs


class PostHolderSerializer(serializers.Serializer):
    person = serializers.SerializerMethodField()
    position = serializers.SerializerMethodField()
    hometown = serializers.CharField(source="hometown_name")
    tenure_start = serializers.DateField(allow_null=True)
    terms = serializers.IntegerField(allow_null=True)

    def get_person(self, h) -> dict:
        return {"id_number": h.person.id_number, "full_name": h.person.full_name}

    def get_position(self, h) -> dict:
        return {"id": h.position_id, "name": f"{h.title_name} – {h.unit_name}"}


class TermLimitWatchSerializer(serializers.Serializer):
    holder = PostHolderSerializer()
    terms = serializers.IntegerField()
    next_term_start = serializers.DateField()


class RotationWatchSerializer(serializers.Serializer):
    as_of = serializers.DateField()
    unit = serializers.CharField(source="unit.code")
    max_terms = serializers.IntegerField()
    local_posts = PostHolderSerializer(many=True)
    term_limit = TermLimitWatchSerializer(many=True)
    ending_soon = RotationSerializer(many=True)
    overdue = RotationSerializer(many=True)


class RotationFindingsQuery(serializers.Serializer):
    unit = text_field(50, required=False, allow_blank=True)
    as_of = date_field(required=False, allow_null=True)


# --- Views ---------------------------------------------------------------------------


def _log(request, person_ids, *, instance=None, model=Rotation, kind=AccessKind.ROTATION, query=""):
    record_rows(actor=request.user, kind=kind, instance=instance,
                model=None if instance is not None else model, query=query,
                person_ids=list(dict.fromkeys(person_ids)))  # fmt: skip


@extend_schema_view(
    list=extend_schema(summary=gettext_lazy("Luân chuyển cán bộ trong phạm vi")),
    retrieve=extend_schema(summary=gettext_lazy("Một luân chuyển cán bộ")),
)
class RotationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Rotations decided (or intended) by bodies within the user's scope."""

    serializer_class = RotationSerializer
    permission_classes = READ_WRITE
    pagination_class = Pagination

    def get_queryset(self) -> QuerySet[Rotation]:
        if getattr(self, "swagger_fake_view", False):
            return Rotation.objects.none()
        return selectors.rotations(self.request.user).order_by(
            F("start_date").desc(nulls_first=True), "-id")  # fmt: skip

    def get_serializer_class(self):
        return {"create": RotationCreateInput, "start": RotationStartInput,
                "end": RotationEndInput, "what_if": RotationWhatIfInput}.get(self.action, RotationSerializer)  # fmt: skip

    def _answer(self, rotation: Rotation, code=status.HTTP_200_OK) -> Response:
        rotation = self.get_queryset().get(pk=rotation.pk)
        _log(self.request, [rotation.person_id], instance=rotation)
        return Response(RotationSerializer(rotation).data, status=code)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        _log(request, [r.person_id for r in page], kind=AccessKind.LIST,
             query=request.META.get("QUERY_STRING", ""))  # fmt: skip
        return self.get_paginated_response(RotationSerializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        return self._answer(self.get_object())

    @extend_schema(request=RotationCreateInput, responses={201: RotationSerializer})
    def create(self, request, *args, **kwargs):
        """Record a rotation: decided (decision and start; the work history follows) or
        intended in a plan (without them)."""
        serializer = RotationCreateInput(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        rotation = write(services.rotation_create, actor=request.user, **serializer.validated_data)
        return self._answer(rotation, status.HTTP_201_CREATED)

    @extend_schema(request=RotationStartInput, responses=RotationSerializer)
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        """Decide an intended rotation: its decision and start write the work history."""
        rotation = self.get_object()
        serializer = RotationStartInput(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        write(services.rotation_start, actor=request.user, rotation=rotation, **serializer.validated_data)
        return self._answer(rotation)

    @extend_schema(request=RotationEndInput, responses=RotationSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        """End a rotation with its outcome and the end-of-rotation evaluation."""
        rotation = self.get_object()
        serializer = RotationEndInput(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        write(services.rotation_end, actor=request.user, rotation=rotation, **serializer.validated_data)
        return self._answer(rotation)

    @extend_schema(
        parameters=[
            OpenApiParameter("unit", OpenApiTypes.STR,
                             description=gettext_lazy("Mã đơn vị: luân chuyển do cấp này và cấp dưới quyết định.")),
            AS_OF,
        ],
        responses=RotationFindingSerializer(many=True),
    )  # fmt: skip
    @action(detail=False, methods=["get"], pagination_class=None)
    def findings(self, request):
        """The R1–R3 findings of the rotations in scope (as `canbo check-rotation`)."""
        params = RotationFindingsQuery(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        as_of = data.get("as_of") or people_selectors.today()
        qs = selectors.rotations(request.user)
        code = data.get("unit", "").strip()
        if code:
            unit = unit_list(user=request.user).filter(code=code).first()
            if unit is None:
                raise exceptions.NotFound(_("Không có đơn vị mã “%(code)s”.") % {"code": code})
            qs = selectors.rotations_of(qs, unit=unit)
        rule_set = rule_set_on(as_of)
        facts = selectors.rotation_facts(qs, as_of)
        found = run_rotation_checks(facts, rule_set, CheckContext(as_of))
        _log(request, [f.person_id for f in found if f.person_id is not None],
             query=query_text(request.query_params))  # fmt: skip
        return Response(finding_dicts(found, facts))

    @extend_schema(
        parameters=[
            OpenApiParameter("unit", OpenApiTypes.STR, required=True,
                             description=gettext_lazy("Mã đơn vị: cấp này và cấp dưới.")),
            AS_OF,
        ],
        responses=RotationWatchSerializer,
    )  # fmt: skip
    @action(detail=False, methods=["get"], pagination_class=None)
    def watch(self, request):
        """The watch lists of a subtree on a date: R4 posts held by local people, heads who
        reach the two-term limit by the next term's start, rotations ending within six
        months, rotations past their planned end without an outcome."""
        params = RotationFindingsQuery(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        as_of = data.get("as_of") or people_selectors.today()
        code = data.get("unit", "").strip()
        unit = unit_list(user=request.user).filter(code=code).first() if code else None
        if unit is None:
            raise exceptions.NotFound(_("Không có đơn vị mã “%(code)s”.") % {"code": code})
        lists = holders.watch_lists(request.user, unit, as_of, rule_set_on(as_of))
        named = [h.person.id for h in lists.local_posts]
        named += [w.holder.person.id for w in lists.term_limit]
        named += [r.person_id for r in (*lists.ending_soon, *lists.overdue)]
        _log(request, named, query=query_text(request.query_params))
        return Response(RotationWatchSerializer(lists).data)

    @extend_schema(request=RotationWhatIfInput, responses=RotationWhatIfSerializer)
    @action(detail=False, methods=["post"], url_path="what-if", permission_classes=READ_ONLY)
    def what_if(self, request):
        """The R1–R3 findings a proposed rotation would raise, judged on its start (or the
        as-of date): computed in memory, nothing written."""
        serializer = RotationWhatIfInput(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        as_of = data.pop("as_of", None) or people_selectors.today()
        rule_set = rule_set_on(max(data.get("start_date") or as_of, as_of))  # the day judged
        result = write(pages.rotation_what_if, as_of=as_of, rule_set=rule_set, **data)
        _log(request, [data["person"].pk], query="what-if")
        return Response({"as_of": result.as_of, "rule_set": result.rule_set.code,
                         "findings": finding_dicts(result.findings, result.facts)})  # fmt: skip


@extend_schema_view(
    list=extend_schema(summary=gettext_lazy("Kế hoạch luân chuyển trong phạm vi")),
    retrieve=extend_schema(summary=gettext_lazy("Một kế hoạch luân chuyển, các luân chuyển của kế hoạch")),
)
class RotationPlanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Rotation plans of bodies within the user's scope."""

    serializer_class = RotationPlanSerializer
    permission_classes = READ_WRITE
    pagination_class = Pagination

    def get_queryset(self) -> QuerySet[RotationPlan]:
        if getattr(self, "swagger_fake_view", False):
            return RotationPlan.objects.none()
        return selectors.plans(self.request.user).order_by("-term__start_date", "unit__path", "id")

    def get_serializer_class(self):
        if self.action == "create":
            return RotationPlanCreateInput
        return RotationPlanDetailSerializer if self.action == "retrieve" else RotationPlanSerializer

    @extend_schema(parameters=[AS_OF], responses=RotationPlanDetailSerializer)
    def retrieve(self, request, *args, **kwargs):
        plan = self.get_object()
        params = RotationFindingsQuery(data=request.query_params)
        params.is_valid(raise_exception=True)
        as_of = params.validated_data.get("as_of") or people_selectors.today()
        lines, missing = pages.plan_lines(request.user, plan, as_of)
        _log(request, [x.rotation.person_id for x in lines], instance=plan)
        return Response(RotationPlanDetailSerializer(plan, context={"lines": lines}).data)

    @extend_schema(request=RotationPlanCreateInput, responses={201: RotationPlanSerializer})
    def create(self, request, *args, **kwargs):
        """Make a body's rotation plan for a term."""
        serializer = RotationPlanCreateInput(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        plan = write(services.plan_create, actor=request.user, **serializer.validated_data)
        plan = self.get_queryset().get(pk=plan.pk)
        return Response(RotationPlanSerializer(plan).data, status=status.HTTP_201_CREATED)
