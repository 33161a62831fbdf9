"""What the report rounds API reads and answers (`api_rounds`): the bodies of its writes,
its query parameters and the serializers of its answers.

Records and units named in a body are looked up through the scoped selectors: one the
user may not read (for a round's issuing unit: may not edit) is refused beside its field
with the words used for one that does not exist. The services check the rights again.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from canbo.api.fields import CodeField, choice_field, date_field, integer_field, text_field
from canbo.core import scope
from canbo.directives.api.inputs import InputSerializer, named_choice
from canbo.directives.api.serializers import ID_SCHEMA, MAX_ID, IdFilter, RollUpSerializer
from canbo.directives.choices import DirectiveKind
from canbo.directives.selectors import groups_of, visible_units
from canbo.organizations.choices import UnitKind, UnitLevel
from canbo.organizations.models import Unit
from canbo.people.filtersets import AsOfFilter

from .api import ReportCellSerializer
from .forms import form_named
from .models import ReportRound, Submission, SubmissionStatus
from .periods import PeriodKind
from .round_selectors import visible_rounds

UNIT_NOT_FOUND = gettext_lazy("Không tìm thấy đơn vị này.")
ROUND_NOT_FOUND = gettext_lazy("Không tìm thấy đợt báo cáo này.")
ROW_ID = {"min_value": 1, "max_value": MAX_ID}
LONG_TEXT = 20000
STATUSES = ", ".join(f"{value} ({label})" for value, label in SubmissionStatus.choices)
STATUS_HELP = format_lazy(gettext_lazy("Tình trạng: {statuses}."), statuses=STATUSES)
PERIODS = ", ".join(f"{value} ({label})" for value, label in PeriodKind.choices)


def form_in_round(report_round: ReportRound, code: str | None) -> str:
    """The code of a form of the round (any case); the round's only form when none is
    named. A ValidationError beside `form` otherwise."""
    code = (code or "").strip()
    if not code:
        if len(report_round.form_codes) == 1:
            return report_round.form_codes[0]
        raise serializers.ValidationError({"form": [
            _("Hãy chọn một biểu của đợt: %(codes)s.")
            % {"codes": ", ".join(report_round.form_codes)}]})  # fmt: skip
    spec = form_named(code)
    if spec is None or spec.code not in report_round.form_codes:
        raise serializers.ValidationError(
            {"form": [_("Đợt báo cáo này không có biểu %(code)s.") % {"code": code[:20]}]}
        )
    return spec.code


# --- Bodies --------------------------------------------------------------------------


class RoundInput(InputSerializer):
    """A round: its forms, its period (the dates default to the period's, Nghị định
    09/2019 practice), its deadline and who reports (units of a level, and kind, in a
    unit's subtree — the issuing unit's by default — or in a monitoring group)."""

    form_codes = serializers.ListField(
        child=text_field(20), allow_empty=False, max_length=20,
        label=gettext_lazy("Các biểu báo cáo (mã, ví dụ TK-CB)"),
        error_messages={"not_a_list": gettext_lazy("Cần một danh sách mã biểu."),
                        "empty": gettext_lazy("Hãy chọn ít nhất một biểu báo cáo."),
                        "max_length": gettext_lazy("Tối đa {max_length} biểu.")},
    )  # fmt: skip
    period_kind = choice_field(PeriodKind.choices, label=gettext_lazy("Loại kỳ báo cáo"))
    year = integer_field(required=False, allow_null=True, min_value=1901, max_value=2999,
                         label=gettext_lazy("Năm"))  # fmt: skip
    period_number = integer_field(required=False, allow_null=True, min_value=1, max_value=12,
                                  label=gettext_lazy("Quý (1–4) hoặc tháng (1–12)"))  # fmt: skip
    period_start = date_field(required=False, allow_null=True,
                              label=gettext_lazy("Từ ngày (mặc định: theo kỳ)"))  # fmt: skip
    period_end = date_field(required=False, allow_null=True,
                            label=gettext_lazy("Ngày chốt số liệu (mặc định: theo kỳ)"))  # fmt: skip
    deadline = date_field(label=gettext_lazy("Hạn gửi báo cáo"))
    issuing_unit = CodeField(queryset=Unit.objects.none(), not_found=UNIT_NOT_FOUND,
                             required=True, allow_null=False,
                             label=gettext_lazy("Đơn vị yêu cầu báo cáo (mã)"))  # fmt: skip
    level = named_choice(UnitLevel.choices, label=gettext_lazy("Cấp đơn vị báo cáo"))
    kind = named_choice(UnitKind.choices, required=False, allow_null=True,
                        label=gettext_lazy("Loại đơn vị báo cáo"))  # fmt: skip
    within = text_field(50, required=False, allow_blank=True,
                        label=gettext_lazy("Trong đơn vị (mã) và các đơn vị trực thuộc; mặc "
                                           "định: đơn vị yêu cầu"))  # fmt: skip
    group = text_field(200, required=False, allow_blank=True,
                       label=gettext_lazy("Trong nhóm đơn vị theo dõi (tên hoặc mã số)"))  # fmt: skip
    name = text_field(300, required=False, allow_blank=True,
                      label=gettext_lazy("Tên đợt (mặc định: theo biểu và kỳ)"))  # fmt: skip
    issued_on = date_field(required=False, allow_null=True,
                           label=gettext_lazy("Ngày ban hành công văn (mặc định hôm nay)"))  # fmt: skip
    directive_number = text_field(50, required=False, allow_blank=True,
                                  label=gettext_lazy("Số, ký hiệu công văn (mặc định: tự đặt)"))  # fmt: skip
    directive_kind = named_choice(DirectiveKind.choices, required=False,
                                  label=gettext_lazy("Loại văn bản (mặc định: công văn)"))  # fmt: skip
    note = text_field(LONG_TEXT, required=False, allow_blank=True, label=gettext_lazy("Ghi chú"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "request" in self.context:
            # A unit the user may not edit is "not found", as a code no unit has.
            self.fields["issuing_unit"].queryset = scope.restrict(Unit.objects.all(), self.user,
                                                                  scope.EDIT)  # fmt: skip

    def validate(self, attrs):
        within, group = attrs.pop("within", "").strip(), attrs.pop("group", "").strip()
        if within and group:
            raise serializers.ValidationError({"non_field_errors": [
                _("Chỉ chọn một trong hai: within (đơn vị) hoặc group (nhóm).")]})  # fmt: skip
        if within:
            attrs["within"] = visible_units(self.user).filter(code=within).first()
            if attrs["within"] is None:
                raise serializers.ValidationError({"within": [UNIT_NOT_FOUND]})
        if group:
            where = Q(name=group)
            if group.isascii() and group.isdigit() and len(group) <= 18:
                where |= Q(pk=int(group))
            attrs["group"] = groups_of(self.user).filter(where).order_by("pk").first()
            if attrs["group"] is None:
                raise serializers.ValidationError({"group": [_("Không tìm thấy nhóm này.")]})
        attrs["kind"] = attrs.get("kind") or ""
        return attrs


class RoundUpdateInput(InputSerializer):
    """What a round's issuer may change once issued: its name, deadline and note (the
    task's deadline and the directive's title follow)."""

    name = text_field(300, required=False, label=gettext_lazy("Tên đợt"))
    deadline = date_field(required=False, label=gettext_lazy("Hạn gửi báo cáo"))
    note = text_field(LONG_TEXT, required=False, allow_blank=True, label=gettext_lazy("Ghi chú"))


class SubmissionInput(InputSerializer):
    """Open a unit's report of a form in a round (the existing one when already opened)."""

    round = integer_field(**ROW_ID, label=gettext_lazy("Đợt báo cáo (mã số)"))
    unit = CodeField(queryset=Unit.objects.none(), not_found=UNIT_NOT_FOUND, required=True,
                     allow_null=False, label=gettext_lazy("Đơn vị báo cáo (mã)"))  # fmt: skip
    form = text_field(20, label=gettext_lazy("Biểu (mã, ví dụ TK-CB)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "request" in self.context:
            self.fields["unit"].queryset = visible_units(self.user)

    def validate_round(self, pk):
        found = visible_rounds(self.user).filter(pk=pk).first()
        if found is None:
            raise serializers.ValidationError(ROUND_NOT_FOUND)
        return found

    def validate(self, attrs):
        attrs["form"] = form_in_round(attrs["round"], attrs["form"])
        return attrs


class CorrectionInput(InputSerializer):
    """A count cell corrected, with the reason (records can be incomplete)."""

    row = text_field(40, label=gettext_lazy("Dòng (mã)"))
    column = text_field(40, label=gettext_lazy("Cột (mã, một cột số lượng)"))
    value = integer_field(min_value=0, max_value=10**9, label=gettext_lazy("Số sửa"))
    reason = text_field(LONG_TEXT, label=gettext_lazy("Lý do sửa"))


class DecisionInput(InputSerializer):
    """The level above's comment: optional to accept, required to return."""

    comment = text_field(LONG_TEXT, required=False, allow_blank=True, default="",
                         label=gettext_lazy("Ý kiến"))  # fmt: skip


# --- Query parameters ----------------------------------------------------------------


class YearField(forms.CharField):
    """A year: ASCII digits only, 1901 to 2999 ("2026.0", "²" are no year)."""

    default_error_messages = {"invalid": gettext_lazy("Năm phải là số nguyên từ 1901 đến 2999.")}

    def to_python(self, value) -> int | None:
        text = super().to_python(value)
        if not text:
            return None
        if not (text.isascii() and text.isdigit()) or len(text) > 4 or not 1901 <= int(text) <= 2999:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return int(text)


class YearFilter(django_filters.Filter):
    field_class = YearField


class RoundFilterSet(django_filters.FilterSet):
    issuing_unit = django_filters.CharFilter(label=gettext_lazy("Đơn vị yêu cầu báo cáo (mã)"),
                                             method="filter_issuing_unit")  # fmt: skip
    year = YearFilter(label=gettext_lazy("Năm"), method="filter_year")

    class Meta:
        model = ReportRound
        fields = ["issuing_unit", "year"]

    def filter_issuing_unit(self, queryset, name, value):
        return queryset.filter(issuing_unit__code=value.strip()) if value.strip() else queryset

    @extend_schema_field({"type": "integer", "minimum": 1901, "maximum": 2999})
    def filter_year(self, queryset, name, value):
        return queryset.filter(year=value)


class SubmissionFilterSet(django_filters.FilterSet):
    round = IdFilter(label=gettext_lazy("Đợt báo cáo (mã số)"), method="filter_round")
    form = django_filters.CharFilter(label=gettext_lazy("Biểu (mã)"), method="filter_form")
    status = django_filters.ChoiceFilter(label=gettext_lazy("Tình trạng"),
                                         choices=SubmissionStatus.choices)  # fmt: skip
    unit = django_filters.CharFilter(label=gettext_lazy("Đơn vị (mã), kể cả các đơn vị trực thuộc"),
                                     method="filter_unit")  # fmt: skip

    class Meta:
        model = Submission
        fields = ["round", "form", "status", "unit"]

    @extend_schema_field(ID_SCHEMA)
    def filter_round(self, queryset, name, value):
        return queryset.filter(round_id=value)

    def filter_form(self, queryset, name, value):
        spec = form_named(value.strip()) if value.strip() else None
        return queryset.filter(form_code=spec.code if spec else value.strip())

    def filter_unit(self, queryset, name, value):
        unit = Unit.objects.filter(code=value.strip()).only("path").first()
        if unit is None:
            return queryset.none()
        return queryset.filter(unit__path__startswith=unit.path)


class _Params(django_filters.FilterSet):
    """Query parameters read by a view (never applied as filters), named here so that any
    other parameter is refused (`strict_query_params`)."""

    class Meta:
        model = ReportRound
        fields: list[str] = []

    def keep(self, queryset, name, value):
        return queryset


class CompletenessParams(_Params):
    as_of = AsOfFilter(label=gettext_lazy("Ngày xét"), method="keep")

    class Meta(_Params.Meta):
        fields = ["as_of"]


class FigureParams(_Params):
    form = django_filters.CharFilter(label=gettext_lazy("Biểu (mã)"), method="keep")
    unit = django_filters.CharFilter(label=gettext_lazy("Đơn vị (mã)"), method="keep")

    class Meta(_Params.Meta):
        fields = ["form", "unit"]


# --- Answers: rounds ---------------------------------------------------------------------


class ReportRoundSerializer(serializers.ModelSerializer):
    period_kind = serializers.CharField(
        read_only=True, help_text=format_lazy(gettext_lazy("Loại kỳ: {kinds}."), kinds=PERIODS)
    )
    period_kind_label = serializers.CharField(source="get_period_kind_display", read_only=True)
    cut_off = serializers.DateField(source="period_end", read_only=True,
                                    help_text=gettext_lazy("Ngày chốt số liệu."))  # fmt: skip
    issuing_unit = serializers.CharField(source="issuing_unit.code", read_only=True)
    issuing_unit_name = serializers.CharField(source="issuing_unit.name", read_only=True)
    level = serializers.CharField(read_only=True, help_text=gettext_lazy("Cấp đơn vị báo cáo."))
    kind = serializers.CharField(read_only=True,
                                 help_text=gettext_lazy("Loại đơn vị báo cáo (\"\": mọi loại)."))  # fmt: skip
    within = serializers.CharField(source="within.code", read_only=True, default=None,
                                   allow_null=True)  # fmt: skip
    group = serializers.IntegerField(source="group_id", read_only=True, allow_null=True)
    group_name = serializers.CharField(source="group.name", read_only=True, default=None,
                                       allow_null=True)  # fmt: skip
    directive = serializers.IntegerField(source="task.directive_id", read_only=True)
    directive_number = serializers.CharField(source="task.directive.number", read_only=True)
    task = serializers.IntegerField(source="task_id", read_only=True)

    class Meta:
        model = ReportRound
        fields = ["id", "name", "form_codes", "period_kind", "period_kind_label", "year",
                  "period_number", "period_start", "period_end", "cut_off", "deadline",
                  "issuing_unit", "issuing_unit_name", "level", "kind", "within", "group",
                  "group_name", "directive", "directive_number", "task", "note"]  # fmt: skip
        read_only_fields = fields


class SubmissionTallySerializer(serializers.Serializer):
    """One form's submissions among the units expected to send it."""

    expected = serializers.IntegerField()
    opened = serializers.IntegerField(help_text=gettext_lazy("Đang lập, chưa gửi."))
    submitted = serializers.IntegerField(help_text=gettext_lazy("Đã gửi (kể cả bị trả lại)."))
    on_time = serializers.IntegerField(help_text=gettext_lazy("Gửi đúng hạn."))
    waiting = serializers.IntegerField(help_text=gettext_lazy("Đang chờ cấp trên xem xét."))
    accepted = serializers.IntegerField()
    returned = serializers.IntegerField()
    not_submitted = serializers.IntegerField()
    share_submitted = serializers.CharField(allow_null=True)
    share_on_time = serializers.CharField(allow_null=True)
    share_accepted = serializers.CharField(allow_null=True)
    text_submitted = serializers.CharField(help_text=gettext_lazy("Ví dụ “2/2 (100,00%)”."))
    text_on_time = serializers.CharField()
    text_accepted = serializers.CharField(help_text=gettext_lazy("Ví dụ “1/2 (50,00%)”."))


class CompletenessLevelSerializer(serializers.Serializer):
    level = serializers.CharField()
    label = serializers.CharField()
    forms = serializers.DictField(child=SubmissionTallySerializer(),
                                  help_text=gettext_lazy("Theo mã biểu."))  # fmt: skip


class RoundCompletenessSerializer(serializers.Serializer):
    round = serializers.IntegerField()
    on = serializers.DateField()
    deadline = serializers.DateField()
    assignments = RollUpSerializer(help_text=gettext_lazy(
        "Tình hình thực hiện nhiệm vụ báo cáo của các đơn vị (như văn bản chỉ đạo)."))  # fmt: skip
    forms = serializers.DictField(child=SubmissionTallySerializer(),
                                  help_text=gettext_lazy("Theo mã biểu."))  # fmt: skip
    levels = CompletenessLevelSerializer(many=True,
                                         help_text=gettext_lazy("Theo cấp của đơn vị báo cáo."))  # fmt: skip


class RoundTotalSerializer(serializers.Serializer):
    round = serializers.IntegerField()
    form = serializers.CharField()
    title = serializers.CharField()
    unit = serializers.CharField()
    unit_name = serializers.CharField()
    as_of = serializers.DateField(help_text=gettext_lazy("Ngày chốt số liệu của đợt."))
    cells = ReportCellSerializer(many=True, help_text=gettext_lazy(
        "Tổng các báo cáo đã được tiếp nhận của các đơn vị trực thuộc (số đã sửa thay số "
        "tính từ hồ sơ); tỷ lệ, hệ số tính lại từ tổng."))  # fmt: skip


class ReconciliationCorrectionSerializer(serializers.Serializer):
    unit = serializers.CharField()
    unit_name = serializers.CharField()
    status = serializers.CharField(help_text=STATUS_HELP)
    row = serializers.CharField()
    column = serializers.CharField()
    computed = serializers.IntegerField(help_text=gettext_lazy("Số tính từ hồ sơ."))
    corrected = serializers.IntegerField(help_text=gettext_lazy("Số đơn vị sửa."))
    reason = serializers.CharField()


class ReconciliationCellSerializer(serializers.Serializer):
    row = serializers.CharField()
    column = serializers.CharField()
    lower = serializers.IntegerField(help_text=gettext_lazy(
        "Tổng số liệu các đơn vị đã gửi hoặc đã được tiếp nhận."))  # fmt: skip
    own = serializers.IntegerField(help_text=gettext_lazy(
        "Số cấp trên tính từ hồ sơ của chính các đơn vị đó."))  # fmt: skip
    own_all = serializers.IntegerField(help_text=gettext_lazy(
        "Số tính từ hồ sơ của mọi đơn vị báo cáo (kể cả đơn vị chưa gửi)."))  # fmt: skip
    corrections = ReconciliationCorrectionSerializer(many=True)
    differs = serializers.BooleanField()


class ReconciliationDifferenceSerializer(serializers.Serializer):
    row = serializers.CharField()
    column = serializers.CharField()
    lower = serializers.IntegerField()
    own = serializers.IntegerField()
    difference = serializers.IntegerField()
    units = serializers.ListField(child=serializers.CharField())
    corrected = serializers.BooleanField()


class ReconciliationFigureSerializer(serializers.Serializer):
    row = serializers.CharField()
    column = serializers.CharField()
    value = serializers.IntegerField()


class ReconciliationUnitSerializer(serializers.Serializer):
    unit = serializers.CharField()
    unit_name = serializers.CharField()
    status = serializers.CharField(allow_null=True, help_text=format_lazy(
        gettext_lazy("{statuses}; null: chưa lập báo cáo."), statuses=STATUS_HELP))  # fmt: skip
    figures = ReconciliationFigureSerializer(many=True, allow_null=True, help_text=gettext_lazy(
        "Số liệu đơn vị báo cáo (null: chưa lập)."))  # fmt: skip
    own = ReconciliationFigureSerializer(many=True, help_text=gettext_lazy(
        "Số cấp trên tính từ hồ sơ của đơn vị."))  # fmt: skip


class RoundReconciliationSerializer(serializers.Serializer):
    round = serializers.IntegerField()
    form = serializers.CharField()
    title = serializers.CharField()
    unit = serializers.CharField()
    unit_name = serializers.CharField()
    as_of = serializers.DateField()
    cells = ReconciliationCellSerializer(many=True)
    corrections = ReconciliationCorrectionSerializer(many=True)
    differences = ReconciliationDifferenceSerializer(many=True)
    units = ReconciliationUnitSerializer(many=True)
    returned = serializers.ListField(child=serializers.CharField())
    waiting = serializers.ListField(child=serializers.CharField())
    not_submitted = serializers.ListField(child=serializers.CharField())


# --- Answers: submissions ----------------------------------------------------------------


class SubmissionSerializer(serializers.ModelSerializer):
    round_name = serializers.CharField(source="round.name", read_only=True)
    unit = serializers.CharField(source="unit.code", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    form = serializers.CharField(source="form_code", read_only=True)
    status = serializers.CharField(read_only=True, help_text=STATUS_HELP)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Submission
        fields = ["id", "round", "round_name", "unit", "unit_name", "form", "status",
                  "status_label", "computed_at", "submitted_at", "decided_at", "comment"]  # fmt: skip
        read_only_fields = fields


class SubmissionCellSerializer(ReportCellSerializer):
    computed = serializers.IntegerField(allow_null=True, help_text=gettext_lazy(
        "Ô số lượng: số tính từ hồ sơ; null với tỷ lệ, hệ số."))  # fmt: skip
    corrected = serializers.BooleanField(help_text=gettext_lazy("Đơn vị đã sửa ô này."))


class SubmissionCorrectionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    row = serializers.CharField()
    column = serializers.CharField()
    computed = serializers.IntegerField()
    corrected = serializers.IntegerField()
    reason = serializers.CharField()
    corrected_at = serializers.DateTimeField()
    corrected_by = serializers.CharField(source="corrected_by.username", default=None,
                                         allow_null=True)  # fmt: skip


class SubmissionDetailSerializer(SubmissionSerializer):
    title = serializers.SerializerMethodField()
    as_of = serializers.DateField(source="round.period_end", read_only=True,
                                  help_text=gettext_lazy("Ngày chốt số liệu của đợt."))  # fmt: skip
    deadline = serializers.DateField(source="round.deadline", read_only=True)
    submitted_by = serializers.CharField(source="submitted_by.username", default=None,
                                         read_only=True, allow_null=True)  # fmt: skip
    decided_by = serializers.CharField(source="decided_by.username", default=None,
                                       read_only=True, allow_null=True)  # fmt: skip
    cells = SubmissionCellSerializer(many=True, read_only=True, source="api_cells",
                                     help_text=gettext_lazy(
                                         "Mọi ô: số lượng (đã sửa thì là số sửa) và tỷ lệ, hệ số "
                                         "tính lại từ đó."))  # fmt: skip
    corrections = SubmissionCorrectionSerializer(many=True, read_only=True,
                                                 source="api_corrections")  # fmt: skip

    class Meta(SubmissionSerializer.Meta):
        fields = [*SubmissionSerializer.Meta.fields, "title", "as_of", "deadline",
                  "submitted_by", "decided_by", "cells", "corrections"]  # fmt: skip
        read_only_fields = fields

    def get_title(self, submission) -> str:
        spec = form_named(submission.form_code)
        return str(spec.title) if spec else ""
