"""REST API for confidence-vote sessions and evaluation rounds.

Thin adapters. Reads go through `selectors.sessions` / `selectors.rounds` (scoped by the
unit of the body holding them: one outside the user's scope is not found, 404) and leave
an access entry naming the people shown. Writes go through `services`, which re-check
EDIT scope (403), validate and audit in one transaction. A person is named by personal
ID number among the people the user may see; the body by its unit's code among the units
the user may edit. A session's tallies show the viewer's own entry, both once both are
in (`core.double_entry.visible_entries`), then their differences.
"""

from __future__ import annotations

from django.db import IntegrityError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.settings import api_settings

from canbo.api.fields import (
    CleanTextInput,
    CodeField,
    choice_field,
    date_field,
    integer_field,
    text_field,
)
from canbo.api.pagination import Pagination
from canbo.api.permissions import READ_WRITE
from canbo.core import scope
from canbo.core.audit import AccessKind, record_rows
from canbo.organizations.models import Unit
from canbo.organizations.selectors import unit_list
from canbo.people import selectors as people_selectors

from . import selectors, services
from .choices import BaseRule, ExclusionReason, OtherGround
from .models import EvaluationRound, EvaluationScore, VoteSession, VoteSubject

RACE = gettext_lazy("Dữ liệu vừa được thay đổi cùng lúc; hãy thử lại.")


def write(call, **kwargs):
    """A service call; a unique row written twice at one moment is a 400, not a 500."""
    try:
        return call(**kwargs)
    except IntegrityError as exc:
        raise serializers.ValidationError({api_settings.NON_FIELD_ERRORS_KEY: [RACE]}) from exc


# --- Inputs ------------------------------------------------------------------------------------


class Input(CleanTextInput, serializers.Serializer):
    pass


class PersonInput(serializers.CharField):
    """A person named by personal ID number among the people the user may see."""

    default_error_messages = {
        "not_found": gettext_lazy("Không có cán bộ với số định danh cá nhân này.")
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 50)
        kwargs.setdefault("label", gettext_lazy("Số định danh cá nhân"))
        super().__init__(**kwargs)

    def run_validation(self, data=serializers.empty):
        id_number = "".join(super().run_validation(data).split())
        user = self.context["request"].user
        person = people_selectors.person_list(user=user).filter(id_number=id_number).first()
        if person is None:
            self.fail("not_found")
        return person


class UnitInput(CodeField):
    """A unit the user may edit, by code (anything else: as a code nobody has)."""

    def __init__(self, **kwargs):
        super().__init__(queryset=Unit.objects.none(), required=True, allow_null=False,
                         not_found=gettext_lazy("Không có đơn vị với mã này."), **kwargs)  # fmt: skip

    def get_queryset(self):
        return unit_list(user=self.context["request"].user, action=scope.EDIT)


def count_field(**kwargs):
    return integer_field(min_value=0, max_value=100_000, **kwargs)


class VoteSessionCreateSerializer(Input):
    unit = UnitInput(label=gettext_lazy("Cơ quan lấy phiếu (mã đơn vị)"))
    year = integer_field(min_value=1900, max_value=2100)
    held_on = date_field(label=gettext_lazy("Ngày lấy phiếu"))
    summoned = count_field()
    present = count_field()
    base_rule = choice_field(BaseRule.choices, required=False, allow_null=True, default=None)
    ballots_returned = count_field(required=False, allow_null=True, default=None)
    note = text_field(5000, required=False, allow_blank=True, default="")


class VoteSubjectAddSerializer(Input):
    person = PersonInput()


class VoteExcludeSerializer(Input):
    person = PersonInput()
    exclusion_reason = choice_field(ExclusionReason.choices)
    note = text_field(500, required=False, allow_blank=True, default="")


class VoteTallyRowSerializer(Input):
    person = PersonInput()
    high = count_field()
    normal = count_field()
    low = count_field()
    invalid = count_field(required=False, default=0)


class VoteTallyEntrySerializer(Input):
    round_no = integer_field(min_value=1, max_value=2, label=gettext_lazy("Lần nhập (1 hoặc 2)"))
    rows = VoteTallyRowSerializer(many=True, allow_empty=False)


class ReviewCloseSerializer(Input):
    closed_on = date_field(label=gettext_lazy("Ngày kết thúc"))


class EvaluationRoundCreateSerializer(Input):
    unit = UnitInput(label=gettext_lazy("Cơ quan, đơn vị đánh giá (mã đơn vị)"))
    year = integer_field(min_value=1900, max_value=2100)
    held_on = date_field(label=gettext_lazy("Ngày đánh giá"))
    note = text_field(5000, required=False, allow_blank=True, default="")


class EvaluationScoreInputSerializer(Input):
    person = PersonInput()
    score = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=0, max_value=100)
    other_ground = choice_field(OtherGround.choices, required=False, allow_blank=True, default="")
    other_note = text_field(500, required=False, allow_blank=True, default="")


# --- Outputs ---------------------------------------------------------------------------------


class ReviewPersonOut(serializers.Serializer):
    id_number = serializers.CharField()
    full_name = serializers.CharField()


class VoteSubjectOut(serializers.ModelSerializer):
    person = ReviewPersonOut()

    class Meta:
        model = VoteSubject
        fields = ["person", "excluded", "exclusion_reason", "exclusion_note"]


class VoteTallyOut(serializers.Serializer):
    round_no = serializers.IntegerField(source="round")
    person = ReviewPersonOut()
    high = serializers.IntegerField()
    normal = serializers.IntegerField()
    low = serializers.IntegerField()
    invalid = serializers.IntegerField()


class VoteDifferenceOut(serializers.Serializer):
    person = serializers.CharField(allow_null=True)
    figure = serializers.CharField()
    first = serializers.IntegerField(allow_null=True)
    second = serializers.IntegerField(allow_null=True)


class VoteTalliesOut(serializers.Serializer):
    first_entrant = serializers.CharField(allow_null=True)
    second_entrant = serializers.CharField(allow_null=True)
    visible_rounds = serializers.ListField(child=serializers.IntegerField())
    entries = VoteTallyOut(many=True)
    differences = VoteDifferenceOut(many=True, allow_null=True)


class VoteSessionSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code")

    class Meta:
        model = VoteSession
        fields = ["id", "unit", "year", "held_on", "summoned", "present", "base_rule",
                  "ballots_returned", "closed_on", "note"]  # fmt: skip


class VoteSessionDetailSerializer(VoteSessionSerializer):
    subjects = VoteSubjectOut(many=True)
    tallies = VoteTalliesOut()

    class Meta(VoteSessionSerializer.Meta):
        fields = [*VoteSessionSerializer.Meta.fields, "subjects", "tallies"]


class EvaluationScoreOut(serializers.ModelSerializer):
    person = ReviewPersonOut()

    class Meta:
        model = EvaluationScore
        fields = ["person", "score", "rating", "other_ground", "other_note"]


class EvaluationRoundSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code")

    class Meta:
        model = EvaluationRound
        fields = ["id", "unit", "year", "held_on", "closed_on", "note"]


class EvaluationRoundDetailSerializer(EvaluationRoundSerializer):
    scores = EvaluationScoreOut(many=True)

    class Meta(EvaluationRoundSerializer.Meta):
        fields = [*EvaluationRoundSerializer.Meta.fields, "scores"]


def tallies_data(session: VoteSession, viewer) -> dict:
    view = selectors.tally_view(session, viewer)
    names = {row.person_id: row.person.id_number for rows in view.entries.values() for row in rows}
    return {
        "first_entrant": view.entrants[1],
        "second_entrant": view.entrants[2],
        "visible_rounds": list(view.visible),
        "entries": [row for r in view.visible for row in view.entries[r]],
        "differences": None if view.differences is None else [
            {"person": names.get(d.line), "figure": d.figure, "first": d.first, "second": d.second}
            for d in view.differences
        ],
    }  # fmt: skip


# --- Viewsets --------------------------------------------------------------------------------


class _Reads(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = READ_WRITE
    pagination_class = Pagination
    model = None
    summary_serializer = None
    access_kind = ""

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        record_rows(actor=request.user, kind=AccessKind.LIST, model=self.model,
                    query=request.META.get("QUERY_STRING", ""), person_ids=[])  # fmt: skip
        return self.get_paginated_response(self.summary_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        return self._answer(self.get_object())

    def _run(self, serializer_class, call, code=status.HTTP_200_OK, **kwargs):
        """Validate the body, call the service, answer with the object as it is now."""
        serializer = serializer_class(data=self.request.data, context={"request": self.request})
        serializer.is_valid(raise_exception=True)
        found = write(call, actor=self.request.user, **kwargs, **serializer.validated_data)
        target = kwargs.get("session") or kwargs.get("evaluation_round") or found
        return self._answer(target, code)


@extend_schema_view(
    list=extend_schema(summary=gettext_lazy("Hội nghị lấy phiếu tín nhiệm trong phạm vi")),
    retrieve=extend_schema(summary=gettext_lazy("Một hội nghị lấy phiếu tín nhiệm"),
                           responses=VoteSessionDetailSerializer),
)  # fmt: skip
class VoteSessionViewSet(_Reads):
    """Confidence-vote sessions held by bodies within the user's scope."""

    serializer_class = VoteSessionSerializer
    summary_serializer = VoteSessionSerializer
    model = VoteSession

    def get_queryset(self) -> QuerySet[VoteSession]:
        if getattr(self, "swagger_fake_view", False):
            return VoteSession.objects.none()
        return selectors.sessions(self.request.user).order_by("-held_on", "id")

    def _answer(self, session: VoteSession, code=status.HTTP_200_OK) -> Response:
        session = self.get_queryset().get(pk=session.pk)
        subjects = list(session.subjects.select_related("person").order_by("person__sort_key", "id"))
        record_rows(actor=self.request.user, kind=AccessKind.VOTE, instance=session, query="",
                    person_ids=[s.person_id for s in subjects])  # fmt: skip
        data = VoteSessionSerializer(session).data
        data["subjects"] = VoteSubjectOut(subjects, many=True).data
        data["tallies"] = VoteTalliesOut(tallies_data(session, self.request.user)).data
        return Response(data, status=code)

    @extend_schema(request=VoteSessionCreateSerializer, responses={201: VoteSessionDetailSerializer})
    def create(self, request, *args, **kwargs):
        """Record a session (the body's unit decides who may)."""
        return self._run(VoteSessionCreateSerializer, services.session_create, status.HTTP_201_CREATED)

    @extend_schema(request=VoteSubjectAddSerializer, responses={201: VoteSessionDetailSerializer})
    @action(detail=True, methods=["post"])
    def subjects(self, request, pk=None):
        """Put a person on the list of those voted on."""
        return self._run(VoteSubjectAddSerializer, services.subject_add, status.HTTP_201_CREATED,
                         session=self.get_object())  # fmt: skip

    @extend_schema(request=VoteExcludeSerializer, responses=VoteSessionDetailSerializer)
    @action(detail=True, methods=["post"])
    def exclude(self, request, pk=None):
        """Not voted on, with the reason (C2)."""
        session = self.get_object()
        serializer = VoteExcludeSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        subject = VoteSubject.objects.filter(session=session, person=data["person"]).first()
        if subject is None:
            raise serializers.ValidationError(
                {"person": [gettext_lazy("Cán bộ này không có trong danh sách lấy phiếu.")]})
        write(services.subject_exclude, actor=request.user, subject=subject,
              reason=data["exclusion_reason"], note=data["note"])  # fmt: skip
        return self._answer(session)

    @extend_schema(request=VoteTallyEntrySerializer, responses=VoteSessionDetailSerializer)
    @action(detail=True, methods=["post"])
    def tallies(self, request, pk=None):
        """Type or correct one round of figures from the counting minutes."""
        return self._run(VoteTallyEntrySerializer, services.tally_enter, session=self.get_object())

    @extend_schema(responses=VoteTalliesOut)
    @action(detail=True, methods=["get"])
    def differences(self, request, pk=None):
        """The entries the viewer may see and, once both are in, where they differ."""
        session = self.get_object()
        record_rows(actor=request.user, kind=AccessKind.VOTE, instance=session, query="",
                    person_ids=list(session.subjects.values_list("person_id", flat=True)))  # fmt: skip
        return Response(VoteTalliesOut(tallies_data(session, request.user)).data)

    @extend_schema(request=ReviewCloseSerializer, responses=VoteSessionDetailSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Close once both entries agree; the figures go to the people's records."""
        return self._run(ReviewCloseSerializer, services.session_close, session=self.get_object())


@extend_schema_view(
    list=extend_schema(summary=gettext_lazy("Đợt đánh giá, xếp loại trong phạm vi")),
    retrieve=extend_schema(summary=gettext_lazy("Một đợt đánh giá, xếp loại"),
                           responses=EvaluationRoundDetailSerializer),
)  # fmt: skip
class EvaluationRoundViewSet(_Reads):
    """Evaluation rounds held by units within the user's scope."""

    serializer_class = EvaluationRoundSerializer
    summary_serializer = EvaluationRoundSerializer
    model = EvaluationRound

    def get_queryset(self) -> QuerySet[EvaluationRound]:
        if getattr(self, "swagger_fake_view", False):
            return EvaluationRound.objects.none()
        return selectors.rounds(self.request.user).order_by("-held_on", "id")

    def _answer(self, evaluation_round: EvaluationRound, code=status.HTTP_200_OK) -> Response:
        evaluation_round = self.get_queryset().get(pk=evaluation_round.pk)
        scores = list(evaluation_round.scores.select_related("person").order_by("person__sort_key", "id"))
        record_rows(actor=self.request.user, kind=AccessKind.EVALUATION, instance=evaluation_round,
                    query="", person_ids=[s.person_id for s in scores])  # fmt: skip
        data = EvaluationRoundSerializer(evaluation_round).data
        data["scores"] = EvaluationScoreOut(scores, many=True).data
        return Response(data, status=code)

    @extend_schema(request=EvaluationRoundCreateSerializer, responses={201: EvaluationRoundDetailSerializer})
    def create(self, request, *args, **kwargs):
        """Record an evaluation round (the unit decides who may)."""
        return self._run(EvaluationRoundCreateSerializer, services.round_create, status.HTTP_201_CREATED)

    @extend_schema(request=EvaluationScoreInputSerializer, responses=EvaluationRoundDetailSerializer)
    @action(detail=True, methods=["post"])
    def scores(self, request, pk=None):
        """A person's score (set or corrected); the rating follows from it (E1)."""
        return self._run(EvaluationScoreInputSerializer, services.score_set, evaluation_round=self.get_object())

    @extend_schema(request=ReviewCloseSerializer, responses=EvaluationRoundDetailSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Close the round; ratings and scores go to the people's records."""
        return self._run(ReviewCloseSerializer, services.round_close, evaluation_round=self.get_object())
