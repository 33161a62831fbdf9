"""GET /api/rotation-proposals/?unit=CODE&as_of=YYYY-MM-DD&mode=…&purpose=…&positions=…:
placement proposals for a unit's subtree at a date (issue 15 item 4; ADR 0030).

A thin adapter over `proposals.proposals`: per post, the person proposed with the parts of
the score, the count of eligible people and of the others by reason, and the R1–R5
findings of the moves together (none). Nothing is written: a move is recorded by the
rotation services once a person confirms it. A unit out of the user's scope is answered
as one that does not exist (404); one access-log entry names the people proposed.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers, viewsets
from rest_framework.response import Response

from canbo.api.permissions import READ_ONLY
from canbo.core.audit import AccessKind, query_text, record_rows
from canbo.organizations.selectors import unit_list
from canbo.rules.selectors import NoRuleSetInForce, rule_set_in_force

from . import proposals
from .choices import RotationPurpose
from .models import Rotation

MODES = [m for m, _label in proposals.Mode.CHOICES]


class ProposalPersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    id_number = serializers.CharField()
    full_name = serializers.CharField()
    unit_name = serializers.CharField()


class ProposalScoreSerializer(serializers.Serializer):
    readiness = serializers.IntegerField(help_text=gettext_lazy(
        "3: trong quy hoạch chính chức danh này; 2: chức danh cùng bậc; 1: khác bậc."))  # fmt: skip
    months_left = serializers.IntegerField()
    distance = serializers.IntegerField(allow_null=True, help_text=gettext_lazy(
        "Số cấp địa bàn giữa quê quán và địa bàn của đơn vị; null: chưa rõ quê quán."))  # fmt: skip


class ProposalPostSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    name = serializers.CharField()
    why = serializers.ChoiceField(choices=["vacant", "local_holder", "term_limit", "chosen"])
    person = ProposalPersonSerializer(allow_null=True, help_text=gettext_lazy(
        "null: không có cán bộ đủ điều kiện."))  # fmt: skip
    score = ProposalScoreSerializer(allow_null=True)
    eligible = serializers.IntegerField()
    reasons = serializers.DictField(child=serializers.IntegerField(), help_text=gettext_lazy(
        "Số người không đủ điều kiện theo lý do: holds_post, locality_unknown, R1…R5."))  # fmt: skip


class ProposalFindingSerializer(serializers.Serializer):
    rule = serializers.CharField()
    message = serializers.CharField()


class ProposalsSerializer(serializers.Serializer):
    unit = serializers.CharField()
    as_of = serializers.DateField()
    purpose = serializers.CharField()
    candidates = serializers.IntegerField()
    filled = serializers.IntegerField()
    total = ProposalScoreSerializer()
    posts = ProposalPostSerializer(many=True)
    findings = ProposalFindingSerializer(many=True)


def proposals_data(unit, result: proposals.Proposals) -> dict:
    posts = []
    for p in result.posts:
        move = p.move
        posts.append({
            "position": p.post.id, "name": p.post.position.name, "why": p.post.why,
            "person": None if move is None else {
                "id": move.candidate.person.id, "id_number": move.candidate.person.id_number,
                "full_name": move.candidate.person.full_name, "unit_name": move.candidate.unit_name},
            "score": None if move is None else {
                "readiness": move.score.readiness, "months_left": move.months_left,
                "distance": move.distance},
            "eligible": p.eligible, "reasons": p.reasons,
        })  # fmt: skip
    total = result.total
    return {"unit": unit.code, "as_of": result.as_of, "purpose": result.purpose,
            "candidates": result.candidates, "filled": total.filled,
            "total": {"readiness": total.readiness, "months_left": total.months_left,
                      "distance": total.distance},
            "posts": posts,
            "findings": [{"rule": f.rule, "message": f.message} for f in result.findings]}  # fmt: skip


def _date(text: str) -> dt.date:
    if not text:
        return timezone.localdate()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise exceptions.ValidationError({"as_of": [_("Ngày theo dạng YYYY-MM-DD.")]}) from None


class RotationProposalsViewSet(viewsets.ViewSet):
    """Placement proposals: who could go where (nothing saved)."""

    permission_classes = READ_ONLY

    @extend_schema(
        parameters=[
            OpenApiParameter("unit", OpenApiTypes.STR, required=True,
                             description=gettext_lazy("Mã đơn vị (cả cấp dưới).")),
            OpenApiParameter("as_of", OpenApiTypes.DATE, description=gettext_lazy("Mặc định: hôm nay.")),
            OpenApiParameter("mode", OpenApiTypes.STR, enum=MODES, required=True),
            OpenApiParameter("purpose", OpenApiTypes.STR, enum=list(RotationPurpose.values),
                             description=gettext_lazy("Mục đích khi mode=chosen (mặc định: training).")),
            OpenApiParameter("positions", OpenApiTypes.STR,
                             description=gettext_lazy("mode=chosen: số hiệu các vị trí, cách nhau bởi dấu phẩy.")),
        ],
        responses=ProposalsSerializer,
    )  # fmt: skip
    def list(self, request):
        params = request.query_params
        code = params.get("unit", "").strip()
        unit = unit_list(user=request.user).filter(code=code).first() if code else None
        if unit is None:
            raise exceptions.NotFound(_("Không có đơn vị “%(unit)s”.") % {"unit": code})
        mode = params.get("mode", "")
        if mode not in MODES:
            raise exceptions.ValidationError({"mode": [_("Một trong: %(modes)s.") % {"modes": ", ".join(MODES)}]})
        purpose = params.get("purpose", "") or None
        if purpose is not None and purpose not in RotationPurpose.values:
            raise exceptions.ValidationError({"purpose": [_("Mục đích không hợp lệ.")]})
        parts = [p.strip() for p in params.get("positions", "").split(",") if p.strip()]
        if not all(p.isdigit() for p in parts):
            raise exceptions.ValidationError({"positions": [_("Số hiệu vị trí, cách nhau bởi dấu phẩy.")]})
        as_of = _date(params.get("as_of", "").strip())
        try:
            result = proposals.proposals(request.user, unit, as_of, mode, rule_set_in_force(as_of),
                                         purpose=purpose, position_ids=[int(p) for p in parts])  # fmt: skip
        except (NoRuleSetInForce, proposals.TooLarge) as error:
            raise exceptions.ValidationError({"detail": [str(error)]}) from None
        record_rows(actor=request.user, kind=AccessKind.ROTATION, model=Rotation,
                    query=query_text(params),
                    person_ids=[m.candidate.person.id for m in result.moves])  # fmt: skip
        return Response(ProposalsSerializer(proposals_data(unit, result)).data)
