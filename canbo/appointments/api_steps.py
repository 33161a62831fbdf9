"""REST API for the five steps of a case and their double-entered tallies (A6).

Mixed into the cases' viewset, so a step is reached only through a case the user may
see (`selectors.cases`: 404 otherwise):

- `GET  /appointment-cases/{id}/steps/`: the steps with what the user may read of their
  tallies (`selectors.case_steps`: an open step's entries only once both are in, except
  the user's own; then where they differ);
- `POST /appointment-cases/{id}/steps/`: record a step's meeting (or correct it);
- `POST /appointment-cases/{id}/steps/{n}/tally/`: enter (or correct one's own) entry;
- `POST /appointment-cases/{id}/steps/{n}/close/`: close the step.

Candidates are named by personal ID number among the people the user may see. Reads
leave an access entry (tallies name people); writes go through `steps`, which re-checks
EDIT scope (403), validates and audits.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from canbo.api.fields import choice_field, date_field, text_field
from canbo.core.audit import AccessKind, record_rows
from canbo.people import selectors as people_selectors
from canbo.planning.api.answers import write
from canbo.planning.api.inputs import InputSerializer

from . import selectors, steps
from .choices import StepNumber
from .models import CaseStep


class StepInput(InputSerializer):
    number = choice_field(StepNumber.choices, label=gettext_lazy("Bước"))
    held_on = date_field(label=gettext_lazy("Ngày họp"))
    summoned = serializers.IntegerField(min_value=1, max_value=32767,
                                        label=gettext_lazy("Số người được triệu tập"))  # fmt: skip
    present = serializers.IntegerField(min_value=0, max_value=32767,
                                       label=gettext_lazy("Số người có mặt"))  # fmt: skip
    note = text_field(5000, required=False, allow_blank=True, default="")


class VotesInput(InputSerializer):
    person = serializers.CharField(max_length=20, label=gettext_lazy("Số định danh cá nhân"))
    votes_for = serializers.IntegerField(min_value=0, max_value=32767)
    votes_against = serializers.IntegerField(min_value=0, max_value=32767, default=0)


class TallyInput(InputSerializer):
    round = serializers.ChoiceField(choices=[(1, "1"), (2, "2")], label=gettext_lazy("Lần nhập"))
    ballots_valid = serializers.IntegerField(min_value=0, max_value=32767)
    ballots_invalid = serializers.IntegerField(min_value=0, max_value=32767, default=0)
    votes = VotesInput(many=True, allow_empty=False, max_length=200)


class StepCloseInput(InputSerializer):
    closed_on = date_field(label=gettext_lazy("Ngày kết thúc bước"))
    head_agrees = serializers.BooleanField(required=False, allow_null=True, default=None)


class LineSerializer(serializers.Serializer):
    person = serializers.CharField(source="candidate.id_number")
    full_name = serializers.CharField(source="candidate.full_name")
    votes_for = serializers.IntegerField()
    votes_against = serializers.IntegerField()


class TallySerializer(serializers.Serializer):
    round = serializers.IntegerField()
    entered_by = serializers.CharField(source="entered_by.username")
    ballots_valid = serializers.IntegerField()
    ballots_invalid = serializers.IntegerField()
    lines = LineSerializer(many=True, source="lines.all")


class DifferenceSerializer(serializers.Serializer):
    person = serializers.SerializerMethodField()
    figure = serializers.CharField()
    first = serializers.IntegerField(allow_null=True)
    second = serializers.IntegerField(allow_null=True)

    def get_person(self, diff) -> str | None:
        return self.context["numbers"].get(diff.line)


class StepSerializer(serializers.Serializer):
    number = serializers.IntegerField(source="step.number")
    held_on = serializers.DateField(source="step.held_on")
    summoned = serializers.IntegerField(source="step.summoned")
    present = serializers.IntegerField(source="step.present")
    closed_on = serializers.DateField(source="step.closed_on", allow_null=True)
    result = serializers.CharField(source="step.result")
    note = serializers.CharField(source="step.note")
    entered_rounds = serializers.SerializerMethodField()
    tallies = TallySerializer(many=True, source="entries")
    differences = DifferenceSerializer(many=True)

    def get_entered_rounds(self, view) -> list[int]:
        return [r for r, who in view.entrants.items() if who is not None]


class CaseStepsMixin:
    """The steps' endpoints of `AppointmentCaseViewSet`."""

    def _steps_answer(self, case, code=status.HTTP_200_OK) -> Response:
        views = selectors.case_steps(self.request.user, case)
        numbers = {case.person_id: case.person.id_number}
        people = {case.person_id}
        for view in views:
            for tally in view.entries:
                for line in tally.lines.all():
                    numbers[line.candidate_id] = line.candidate.id_number
                    people.add(line.candidate_id)
        record_rows(actor=self.request.user, kind=AccessKind.CASE, instance=case, query="steps",
                    person_ids=sorted(people))  # fmt: skip
        data = StepSerializer(views, many=True, context={"numbers": numbers}).data
        return Response(data, status=code)

    def _step(self, case, number) -> CaseStep:
        step = CaseStep.objects.filter(case=case, number=int(number)).first()
        if step is None:
            raise exceptions.NotFound(gettext_lazy("Hồ sơ chưa có bước này."))
        return step

    @extend_schema(methods=["GET"], responses=StepSerializer(many=True))
    @extend_schema(methods=["POST"], request=StepInput, responses={201: StepSerializer(many=True)})
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def steps(self, request, pk=None):
        """The five steps: read them, or record (correct) one step's meeting."""
        case = self.get_object()
        if request.method == "GET":
            return self._steps_answer(case)
        data = self._valid(StepInput, request)
        write(steps.step_record, actor=request.user, case=case, **data)
        return self._steps_answer(case, status.HTTP_201_CREATED)

    @extend_schema(request=TallyInput, responses=StepSerializer(many=True))
    @action(detail=True, methods=["post"], url_path=r"steps/(?P<number>[1-5])/tally")
    def tally(self, request, pk=None, number=None):
        """Enter one of the two entries of a ballot step's tally (or correct one's own)."""
        case = self.get_object()
        step = self._step(case, number)
        data = self._valid(TallyInput, request)
        people = {p.id_number: p for p in self._people([v["person"] for v in data["votes"]])}
        votes = []
        for i, v in enumerate(data["votes"]):
            person = people.get("".join(v["person"].split()))
            if person is None:
                raise serializers.ValidationError(
                    {"votes": {i: {"person": [gettext_lazy("Không có cán bộ với số định danh này.")]}}}
                )
            votes.append(steps.Votes(person, v["votes_for"], v["votes_against"]))
        write(steps.tally_enter, actor=request.user, step=step, round_no=int(data["round"]),
              ballots_valid=data["ballots_valid"], ballots_invalid=data["ballots_invalid"],
              votes=votes)  # fmt: skip
        return self._steps_answer(case)

    @extend_schema(request=StepCloseInput, responses=StepSerializer(many=True))
    @action(detail=True, methods=["post"], url_path=r"steps/(?P<number>[1-5])/close")
    def close_step(self, request, pk=None, number=None):
        """Close a step: a ballot step once both entries agree, with its result."""
        case = self.get_object()
        step = self._step(case, number)
        data = self._valid(StepCloseInput, request)
        write(steps.step_close, actor=request.user, step=step, **data)
        return self._steps_answer(case)

    def _valid(self, serializer_class, request) -> dict:
        serializer = serializer_class(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def _people(self, numbers):
        wanted = {"".join(n.split()) for n in numbers}
        return people_selectors.person_list(user=self.request.user).filter(id_number__in=wanted)
