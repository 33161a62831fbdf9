"""GET /api/key-leaders/?unit=CODE&as_of=YYYY-MM-DD&level=…: the key leaders of a unit's
subtree at a date (issue 13 item 4).

Every key post of the units in the user's scope with its holder, local to the post or
not, the start of the row and the continuous tenure; a summary per title and level
(posts, held, not local, unknown, the share); and the people holding two key titles at
once. A thin adapter over `leaders_query` and `leaders.key_leaders`: the same query
form as the page, a fixed number of queries whatever the number of units, and one
access-log entry naming the holders shown.
"""

from __future__ import annotations

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers, viewsets
from rest_framework.response import Response
from rest_framework.settings import api_settings

from canbo.api.permissions import READ_ONLY
from canbo.core.audit import AccessKind, query_text, record_rows
from canbo.core.dates import iso_partial_date
from canbo.core.replica import replica_reads
from canbo.organizations.choices import UnitLevel

from .leaders import KeyLeaders, KeyPost
from .leaders_query import (
    PARAMS,
    UNIT_NOT_FOUND,
    KeyLeadersQuery,
    also_holds_titles,
    level_label,
    share_text,
    visible_key_leaders,
)
from .models import Person

ACCEPTED = (*PARAMS, "posts", api_settings.URL_FORMAT_OVERRIDE)


#: A unit level in an answer: a plain string, so that the schema's enum of the units'
#: `level` keeps its name (a second component with the same choices would rename it).
LEVELS = ", ".join(UnitLevel.values)


def level_field(**kwargs) -> serializers.CharField:
    return serializers.CharField(
        help_text=format_lazy(_("Cấp của đơn vị: {levels}."), levels=LEVELS), **kwargs
    )


class KeyLeaderUnitSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    level = level_field()


class KeyLeaderHolderSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    id_number = serializers.CharField()
    full_name = serializers.CharField()


class KeyLeaderTitleSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class KeyLeaderPostSerializer(serializers.Serializer):
    unit = KeyLeaderUnitSerializer()
    title = KeyLeaderTitleSerializer()
    holder = KeyLeaderHolderSerializer(allow_null=True, help_text=_("null: còn trống."))
    local = serializers.BooleanField(
        allow_null=True,
        help_text=_(
            "Người địa phương so với địa bàn đơn vị nơi giữ chức vụ quản lý; null: chưa xác "
            "định (thiếu quê quán hoặc địa bàn) hoặc còn trống."
        ),
    )
    start_date = serializers.CharField(
        allow_null=True, help_text=_("Ngày bắt đầu của dòng quá trình công tác (YYYY, YYYY-MM hoặc YYYY-MM-DD).")
    )
    tenure_start = serializers.DateField(allow_null=True)
    tenure_months = serializers.IntegerField(allow_null=True)
    terms = serializers.IntegerField(allow_null=True)
    also_holds = KeyLeaderTitleSerializer(many=True)


class KeyLeaderSummarySerializer(serializers.Serializer):
    title = KeyLeaderTitleSerializer()
    level = level_field()
    level_name = serializers.CharField()
    posts = serializers.IntegerField()
    held = serializers.IntegerField()
    not_local = serializers.IntegerField()
    unknown = serializers.IntegerField()
    share_not_local = serializers.DecimalField(
        max_digits=6, decimal_places=2, allow_null=True, help_text=_("Phần trăm trên số đang giữ.")
    )
    share_text = serializers.CharField(help_text=_("Ví dụ “9/15 (60,00%)”."))


class KeyLeaderDoubleSerializer(serializers.Serializer):
    titles = KeyLeaderTitleSerializer(many=True)
    count = serializers.IntegerField()
    people = KeyLeaderHolderSerializer(many=True, help_text=_("Trống khi posts=false."))


class KeyLeadersSerializer(serializers.Serializer):
    unit = KeyLeaderUnitSerializer()
    as_of = serializers.DateField()
    level = level_field(allow_null=True)
    summary = KeyLeaderSummarySerializer(many=True)
    doubles = KeyLeaderDoubleSerializer(many=True)
    posts = KeyLeaderPostSerializer(many=True)


def _unit(unit) -> dict:
    return {"code": unit.code, "name": unit.name, "level": unit.level}


def _title(title) -> dict:
    return {"code": title.code, "name": title.name}


def _holder(person: Person | None) -> dict | None:
    if person is None:
        return None
    return {"id": person.pk, "id_number": person.id_number, "full_name": person.full_name}


def _post(post: KeyPost) -> dict:
    row = post.assignment
    return {
        "unit": _unit(post.unit),
        "title": _title(post.title),
        "holder": _holder(post.person),
        "local": post.local,
        "start_date": iso_partial_date(row.start_date, row.start_precision) if row else None,
        "tenure_start": post.tenure_start,
        "tenure_months": post.tenure_months,
        "terms": post.terms,
        "also_holds": [_title(t) for t in also_holds_titles(post)],
    }


def key_leaders_data(result: KeyLeaders, level: str | None) -> dict:
    return {
        "unit": _unit(result.unit),
        "as_of": result.on,
        "level": level or None,
        "summary": [
            {
                "title": _title(s.title),
                "level": s.level,
                "level_name": level_label(s.level),
                "posts": s.posts,
                "held": s.held,
                "not_local": s.not_local,
                "unknown": s.unknown,
                "share_not_local": s.share_not_local,
                "share_text": share_text(s),
            }
            for s in result.summary
        ],
        "doubles": [
            {"titles": [_title(t) for t in d.titles], "count": d.count,
             "people": [_holder(p) for p in d.people]}  # fmt: skip
            for d in result.doubles
        ],
        "posts": [_post(p) for p in result.posts],
    }


@replica_reads(actions=("list",))
class KeyLeadersViewSet(viewsets.ViewSet):
    """Key leaders of a unit's subtree at a date, with locality per post and tenure."""

    permission_classes = READ_ONLY

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "unit",
                OpenApiTypes.STR,
                required=True,
                description=_(
                    "Mã đơn vị (hoặc tên của đúng một đơn vị): các chức danh chủ chốt của đơn "
                    "vị này và các đơn vị trực thuộc trong phạm vi được xem."
                ),
            ),
            OpenApiParameter(
                "as_of",
                OpenApiTypes.DATE,
                description=_("Ngày xét (YYYY-MM-DD hoặc dd/mm/yyyy); mặc định hôm nay."),
            ),
            OpenApiParameter(
                "level",
                OpenApiTypes.STR,
                enum=list(UnitLevel.values),
                description=_("Chỉ các đơn vị của cấp này."),
            ),
            OpenApiParameter(
                "posts",
                OpenApiTypes.STR,
                enum=["true", "false"],
                description=_(
                    "false: chỉ các số liệu: tổng hợp theo chức danh và cấp, số người giữ "
                    "đồng thời hai chức danh (không nêu tên ai, không có danh sách chức danh "
                    "và thời gian giữ chức; nhanh hơn cho cả một tỉnh)."
                ),
            ),
        ],
        responses=KeyLeadersSerializer,
    )
    def list(self, request):
        form = KeyLeadersQuery(request.query_params, user=request.user, accepted=ACCEPTED)
        if not form.is_valid():
            if form.unit_not_found:
                raise exceptions.NotFound(
                    str(UNIT_NOT_FOUND) % {"unit": request.query_params.get("unit", "").strip()}
                )
            raise exceptions.ValidationError(form.api_errors())
        data = form.cleaned_data
        result = visible_key_leaders(
            user=request.user, unit=data["unit"], on=data["as_of"], level=data["level"],
            posts=data["posts"],
        )  # fmt: skip
        record_rows(
            actor=request.user,
            kind=AccessKind.LIST,
            model=Person,
            query=query_text(request.query_params),
            person_ids=result.person_ids,
        )
        return Response(KeyLeadersSerializer(key_leaders_data(result, data["level"])).data)
