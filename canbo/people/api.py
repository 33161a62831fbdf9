"""REST API for cadre records: list, detail (with profile sections), create, update.

Thin adapters only: reads go through `selectors` (scoped), writes through
`services` (scoped again inside the transaction, validated, audited), filters
through the `PersonFilterSet` the UI list uses, and derived values (age,
retirement date, months left, management level) come from
`selectors.person_derived`.

Input is validated here only as far as turning JSON into typed values needs;
every message is Vietnamese, and no input, however malformed, reaches the
database in a form it would reject with an error (NUL bytes, lone surrogates,
dates out of range).
"""

from __future__ import annotations

import re

from django.db import IntegrityError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, mixins, serializers, viewsets
from rest_framework.exceptions import ErrorDetail
from rest_framework.settings import api_settings
from rest_framework.utils.serializer_helpers import ReturnDict

from canbo.api.fields import (
    NULL,
    REQUIRED,
    CleanTextInput,
    CodeField,
    choice_field,
    date_field,
    integer_field,
    text_field,
)
from canbo.api.pagination import CappedPagination
from canbo.api.permissions import READ_WRITE
from canbo.core import scope
from canbo.core.audit import AccessKind, query_text, record_rows
from canbo.core.dates import (
    DatePrecision,
    ImpossibleDate,
    iso_partial_date,
    parse_partial_date,
)
from canbo.core.replica import replica_reads
from canbo.core.shares import share_of
from canbo.organizations.models import Area, Unit
from canbo.organizations.selectors import unit_list

from . import selectors, services
from .api_record2c import Record2CActions
from .choices import Degree, PoliticalTheory, Religion, Sex, StateManagement
from .filtersets import PersonFilterSet, as_of_from
from .models import (
    Assignment,
    ConfidenceVote,
    Discipline,
    Ethnicity,
    Evaluation,
    Person,
    Reward,
    Training,
)

MIN_BIRTH_YEAR = 1900
ID_NUMBER = selectors.ID_NUMBER
DUPLICATE_ID = selectors.DUPLICATE_ID

NO_DATA = _("Không có dữ liệu nào được gửi.")


@extend_schema_field(
    {
        "type": "string",
        "example": "1985-03-05",
        "description": "YYYY, YYYY-MM hoặc YYYY-MM-DD theo độ chính xác; khi nhập nhận thêm "
        "dd/mm/yyyy và mm/yyyy.",
    }
)
class PartialDateField(serializers.Field):
    """A date known to the day, the month or only the year, with its precision field.

    Reads as "YYYY", "YYYY-MM" or "YYYY-MM-DD"; accepts those and the forms
    people type ("dd/mm/yyyy", "mm/yyyy"). Never reads "05/03/2020" as 3 May.
    """

    default_error_messages = {
        "required": REQUIRED,
        "null": NULL,
        "invalid": _("Ngày không hợp lệ; hãy viết dd/mm/yyyy, mm/yyyy hoặc yyyy."),
        "impossible": _("Ngày {value} không tồn tại."),
        "too_early": _("Năm không được trước {year}."),
        "future": _("Ngày không được ở tương lai."),
    }

    def __init__(self, *, date_attr: str, precision_attr: str, min_year: int, **kwargs):
        self.date_attr, self.precision_attr, self.min_year = date_attr, precision_attr, min_year
        kwargs["source"] = "*"
        super().__init__(**kwargs)

    def to_representation(self, instance):
        return iso_partial_date(
            getattr(instance, self.date_attr), getattr(instance, self.precision_attr)
        )

    def to_internal_value(self, data):
        if not isinstance(data, str | int) or isinstance(data, bool) or len(str(data)) > 20:
            self.fail("invalid")
        try:
            value, precision = parse_partial_date(str(data))
        except ImpossibleDate:
            self.fail("impossible", value=str(data))
        except ValueError:
            self.fail("invalid")
        if value.year < self.min_year:
            self.fail("too_early", year=self.min_year)
        today = selectors.today()
        if precision == DatePrecision.DAY:
            future = value > today
        else:
            future = (value.year, value.month) > (today.year, today.month)
        if future:
            self.fail("future")
        return {self.date_attr: value, self.precision_attr: precision}


# --- Reading: derived values and profile sections --------------------------


class CurrentPositionSerializer(serializers.Serializer):
    title = serializers.CharField(source="position.title.code", default=None)
    title_name = serializers.CharField()
    unit = serializers.CharField(source="position.unit.code", default=None)
    unit_name = serializers.CharField()
    since = serializers.SerializerMethodField()
    is_concurrent = serializers.BooleanField()
    # Local to the area the post's unit governs (ADR 0013); null when it cannot be judged.
    local = serializers.BooleanField(allow_null=True, default=None, read_only=True)

    @extend_schema_field(OpenApiTypes.STR)
    def get_since(self, obj) -> str | None:
        return iso_partial_date(obj.start_date, obj.start_precision)


class AssignmentSerializer(serializers.ModelSerializer):
    title = serializers.CharField(source="position.title.code", default=None)
    unit = serializers.CharField(source="position.unit.code", default=None)
    start_date = serializers.SerializerMethodField()
    end_date = serializers.SerializerMethodField(allow_null=True)

    class Meta:
        model = Assignment
        fields = ["id", "position", "title", "title_name", "unit", "unit_name", "start_date",
                  "end_date", "is_concurrent", "how", "decision_number", "note"]  # fmt: skip

    @extend_schema_field(OpenApiTypes.STR)
    def get_start_date(self, obj) -> str | None:
        return iso_partial_date(obj.start_date, obj.start_precision)

    @extend_schema_field(OpenApiTypes.STR)
    def get_end_date(self, obj) -> str | None:
        return iso_partial_date(obj.end_date, obj.end_precision)


class EvaluationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Evaluation
        fields = ["id", "year", "rating", "score", "note"]


class VoteSharesSerializer(serializers.Serializer):
    high = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    normal = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    low = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)


class ConfidenceVoteSerializer(serializers.ModelSerializer):
    shares = serializers.SerializerMethodField(help_text=_("Tỷ lệ phần trăm trên cơ sở tính."))

    class Meta:
        model = ConfidenceVote
        fields = ["id", "year", "body", "high", "normal", "low", "base", "shares"]

    @extend_schema_field(VoteSharesSerializer)
    def get_shares(self, obj) -> dict:
        return VoteSharesSerializer(
            {level: share_of(getattr(obj, level), obj.base) for level in ("high", "normal", "low")}
        ).data


class DisciplineSerializer(serializers.ModelSerializer):
    class Meta:
        model = Discipline
        fields = ["id", "form", "effective_date", "end_date", "authority", "decision_number",
                  "reason", "planning_exception"]  # fmt: skip


class RewardSerializer(serializers.ModelSerializer):
    class Meta:
        model = Reward
        fields = ["id", "year", "form", "authority", "decision_number"]


class TrainingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Training
        fields = ["id", "kind", "program", "institution", "start_date", "end_date",
                  "qualification"]  # fmt: skip


# --- The record --------------------------------------------------------------


class PersonSerializer(CleanTextInput, serializers.Serializer):
    """A cadre record: the typed fields, and the values the system derives from them."""

    default_error_messages = {
        "invalid": _("Dữ liệu không hợp lệ: cần một đối tượng JSON, nhận được {datatype}.")
    }

    id = serializers.IntegerField(read_only=True)
    id_number = text_field(50, label=_("Số định danh cá nhân"))
    family_name = text_field(50, label=_("Họ"))
    middle_name = text_field(100, required=False, allow_blank=True, label=_("Tên đệm"))
    given_name = text_field(50, label=_("Tên"))
    full_name = serializers.CharField(read_only=True)
    sex = choice_field(Sex.choices, label=_("Giới tính"))
    birth_date = PartialDateField(
        date_attr="birth_date",
        precision_attr="birth_date_precision",
        min_year=MIN_BIRTH_YEAR,
        label=_("Ngày sinh"),
    )
    birth_date_precision = serializers.CharField(read_only=True)
    ethnicity = CodeField(
        queryset=Ethnicity.objects.all(),
        not_found=_("Không có dân tộc với mã này."),
        label=_("Dân tộc (mã)"),
    )
    religion = choice_field(Religion.choices, required=False, allow_blank=True, label=_("Tôn giáo"))
    hometown = CodeField(
        queryset=Area.objects.all(),
        not_found=_("Không có địa bàn với mã này."),
        label=_("Quê quán (mã địa bàn)"),
    )
    birthplace = CodeField(
        queryset=Area.objects.all(),
        not_found=_("Không có địa bàn với mã này."),
        label=_("Nơi sinh (mã địa bàn)"),
    )
    unit = CodeField(
        queryset=Unit.objects.all(),
        not_found=_("Không có đơn vị với mã này."),
        label=_("Đơn vị quản lý hồ sơ (mã)"),
    )
    unit_name = serializers.CharField(source="unit.name", read_only=True, default=None)
    party_joined_date = date_field(required=False, allow_null=True, label=_("Ngày vào Đảng"))
    party_official_date = date_field(required=False, allow_null=True, label=_("Ngày chính thức"))
    professional_degree = choice_field(
        Degree.choices, required=False, allow_null=True, label=_("Trình độ chuyên môn")
    )
    professional_major = text_field(200, required=False, allow_blank=True, label=_("Chuyên ngành"))
    political_theory = choice_field(
        PoliticalTheory.choices, required=False, allow_null=True, label=_("Lý luận chính trị")
    )
    state_management = choice_field(
        StateManagement.choices, required=False, allow_null=True, label=_("Quản lý nhà nước")
    )
    foreign_language = text_field(100, required=False, allow_blank=True, label=_("Ngoại ngữ"))
    it_level = text_field(100, required=False, allow_blank=True, label=_("Tin học"))
    retirement_age_override_months = integer_field(
        required=False,
        allow_null=True,
        min_value=50 * 12,
        max_value=75 * 12,
        label=_("Tuổi nghỉ hưu riêng (tháng)"),
    )
    # Derived, never typed (DOMAIN.md D2).
    age = serializers.SerializerMethodField()
    retirement_date = serializers.SerializerMethodField()
    retirement_age_months = serializers.SerializerMethodField()
    months_left = serializers.SerializerMethodField()
    management_level = serializers.SerializerMethodField()
    management_level_label = serializers.SerializerMethodField()
    is_local = serializers.BooleanField(read_only=True, allow_null=True)
    current_positions = serializers.SerializerMethodField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            # A unit the user may not edit is "not found", as a code no unit has.
            self.fields["unit"].queryset = unit_list(user=request.user, action=scope.EDIT)

    # Reading ---------------------------------------------------------------

    def _on(self):
        """The date the answer is as of: the view's `as_of` (today by default)."""
        return self.context.get("as_of")

    def _derived(self, obj: Person) -> selectors.Derived:
        cached = getattr(obj, "_api_derived", None)
        if cached is None:
            cached = obj._api_derived = selectors.person_derived(obj, self._on())
        return cached

    @extend_schema_field(OpenApiTypes.INT)
    def get_age(self, obj) -> int:
        return self._derived(obj).age

    @extend_schema_field(OpenApiTypes.DATE)
    def get_retirement_date(self, obj) -> str:
        return self._derived(obj).retirement_date.isoformat()

    @extend_schema_field(OpenApiTypes.INT)
    def get_retirement_age_months(self, obj) -> int:
        return self._derived(obj).retirement_age_months

    @extend_schema_field(OpenApiTypes.INT)
    def get_months_left(self, obj) -> int:
        return self._derived(obj).months_left

    @extend_schema_field({"type": "integer", "nullable": True})
    def get_management_level(self, obj) -> int | None:
        return self._derived(obj).management_level

    @extend_schema_field(OpenApiTypes.STR)
    def get_management_level_label(self, obj) -> str:
        return self._derived(obj).management_level_label

    @extend_schema_field(CurrentPositionSerializer(many=True))
    def get_current_positions(self, obj) -> list:
        return CurrentPositionSerializer(
            selectors.current_positions(obj, self._on()), many=True
        ).data

    # Writing ---------------------------------------------------------------

    @property
    def errors(self):
        errors = super().errors
        key = api_settings.NON_FIELD_ERRORS_KEY
        detail = errors.get(key) if isinstance(errors, dict) else None
        if detail and len(detail) == 1 and getattr(detail[0], "code", None) == "null":
            # DRF words an empty body "No data provided", untranslated.
            return ReturnDict({key: [ErrorDetail(str(NO_DATA), code="null")]}, serializer=self)
        return errors

    def validate_id_number(self, value: str) -> str:
        if not ID_NUMBER.fullmatch(value):
            if re.fullmatch(r"[0-9]{11}", value):
                raise serializers.ValidationError(
                    _(
                        "Số định danh cá nhân phải gồm đúng 12 chữ số "
                        "(số này có 11 chữ số: có thể đã mất số 0 ở đầu)."
                    )
                )
            raise serializers.ValidationError(_("Số định danh cá nhân phải gồm đúng 12 chữ số."))
        taken = self._taken(value)
        if taken:
            raise serializers.ValidationError(taken)
        return value

    def _taken(self, id_number: str) -> str | None:
        try:
            return selectors.id_number_taken(
                user=self.context["request"].user,
                id_number=id_number,
                exclude_pk=self.instance.pk if self.instance is not None else None,
            )
        except selectors.LookupThrottled as throttled:
            raise exceptions.Throttled(wait=throttled.wait) from None

    def _duplicate(self, id_number: str) -> serializers.ValidationError:
        """The same ID number sent twice at the same moment: worded as `validate_id_number`."""
        return serializers.ValidationError({"id_number": [self._taken(id_number) or DUPLICATE_ID]})

    def create(self, validated_data) -> Person:
        try:
            return services.person_create(actor=self.context["request"].user, **validated_data)
        except IntegrityError as exc:
            raise self._duplicate(validated_data["id_number"]) from exc

    def update(self, instance: Person, validated_data) -> Person:
        try:
            return services.person_update(
                actor=self.context["request"].user, person=instance, **validated_data
            )
        except IntegrityError as exc:
            raise self._duplicate(validated_data.get("id_number", instance.id_number)) from exc


class PersonDetailSerializer(PersonSerializer):
    """The full profile: the record and its sections (read-only)."""

    assignments = AssignmentSerializer(many=True, read_only=True)
    evaluations = EvaluationSerializer(many=True, read_only=True)
    confidence_votes = ConfidenceVoteSerializer(many=True, read_only=True)
    disciplines = DisciplineSerializer(many=True, read_only=True)
    rewards = RewardSerializer(many=True, read_only=True)
    trainings = TrainingSerializer(many=True, read_only=True)


class PersonPagination(CappedPagination):
    capped_paginator_class = selectors.PersonPaginator


@replica_reads(actions=("list",))
class PersonViewSet(
    Record2CActions,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Cadre records within the user's scope, looked up by personal ID number.

    Reading a full record (detail) leaves an access entry. Editors and
    administrators may create and update records of units in their scope.
    `2c/` answers the record as the 2C form, in Word or PDF (`api_record2c`).
    """

    filterset_class = PersonFilterSet
    pagination_class = PersonPagination
    permission_classes = READ_WRITE
    strict_query_params = True  # an unknown query parameter is a 400 (CleanRequestInput)
    lookup_field = "id_number"
    lookup_value_regex = r"[^/]+"

    def as_of(self):
        """`?as_of=` (YYYY-MM-DD or dd/mm/yyyy), else today: ages, months left and
        `current_positions` answer as of it, as the filters do."""
        return as_of_from(getattr(self.request, "query_params", None) or {})

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "as_of": self.as_of()}

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Person.objects.none()
        people = selectors.person_list(user=self.request.user).select_related("birthplace")
        return selectors.with_current_positions(people, self.as_of())

    def get_serializer_class(self):
        return PersonDetailSerializer if self.action == "retrieve" else PersonSerializer

    def paginate_queryset(self, queryset):
        """The page of a list, written to the access log (filter, rows) in one insert."""
        page = super().paginate_queryset(queryset)
        if page is not None and self.action == "list":
            record_rows(
                actor=self.request.user,
                kind=AccessKind.LIST,
                model=Person,
                query=query_text(self.request.query_params),
                person_ids=[person.pk for person in page],
            )
        if page is not None:
            selectors.judge_current_posts(page, self.as_of())
        return page

    def get_object(self) -> Person:
        if self.action != "retrieve":
            return super().get_object()
        user = self.request.user
        visible = self.filter_queryset(selectors.person_list(user=user))
        pk = get_object_or_404(
            visible.values_list("pk", flat=True), id_number=self.kwargs["id_number"]
        )
        person = selectors.person_profile(user=user, pk=pk)
        self.check_object_permissions(self.request, person)
        selectors.judge_current_posts([person], self.as_of())
        return person
