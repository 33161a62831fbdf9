"""A directive's hearing schedule through the API: the slots with the unit that booked each
(named only when the user may read it), the invited units the user may read, and the
writes (`editing.slot_add`, `slot_remove`, `invite`, `uninvite`, `services.hearing_book`).

The schedule is edited by whoever may edit the directive's issuing unit; an invited unit
books for itself (its own editors). A slot or an invitation out of sight is not found."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from canbo.api.permissions import READ_WRITE
from canbo.core import scope

from .. import editing, services
from ..models import Directive, HearingInvitation, HearingSlot
from ..pages import schedule
from ..selectors import visible_directives, visible_units
from .answers import current_action, write
from .inputs import BookInput

# --- Answers -------------------------------------------------------------------------


class SlotSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    day = serializers.DateField()
    session = serializers.CharField(help_text=_("morning (sáng) hoặc afternoon (chiều)."))
    session_label = serializers.CharField()
    place = serializers.CharField(allow_blank=True)
    booked = serializers.BooleanField(help_text=_("Đã có đơn vị đăng ký."))
    unit = serializers.CharField(allow_null=True,
                                 help_text=_("Đơn vị đã đăng ký (mã); null: chưa có, hoặc "
                                             "đơn vị ngoài phạm vi được xem."))  # fmt: skip
    unit_name = serializers.CharField(allow_null=True)


class InvitationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    directive = serializers.IntegerField()
    unit = serializers.CharField()
    unit_name = serializers.CharField()
    slot = serializers.IntegerField(allow_null=True, help_text=_("Buổi đã đăng ký (null: chưa)."))
    editable = serializers.BooleanField(help_text=_("Người dùng được đăng ký buổi cho đơn vị này."))


class HearingsSerializer(serializers.Serializer):
    directive = serializers.IntegerField()
    slots = SlotSerializer(many=True)
    invitations = InvitationSerializer(many=True,
                                       help_text=_("Các đơn vị được làm việc trực tiếp, "
                                                   "trong phạm vi được xem."))  # fmt: skip


def slot_data(slot: HearingSlot, holder=None, booked: bool = False) -> dict:
    return {"id": slot.pk, "day": slot.day, "session": slot.session,
            "session_label": str(slot.get_session_display()), "place": slot.place,
            "booked": booked, "unit": holder.code if holder else None,
            "unit_name": holder.name if holder else None}  # fmt: skip


def invitation_data(user, invitation: HearingInvitation, editable: bool | None = None) -> dict:
    if editable is None:
        editable = scope.unit_allowed(user, invitation.unit, scope.EDIT)
    return {"id": invitation.pk, "directive": invitation.directive_id,
            "unit": invitation.unit.code, "unit_name": invitation.unit.name,
            "slot": invitation.slot_id, "editable": editable}  # fmt: skip


def hearings_data(user, directive: Directive) -> dict:
    """The schedule as the directive page shows it (`pages.schedule`), invitations listed
    even before any slot."""
    found = schedule(user, directive)
    return {
        "directive": directive.pk,
        "slots": [slot_data(row.slot, row.holder, row.booked) for row in found.slots],
        "invitations": [invitation_data(user, row.invitation, row.editable)
                        for row in found.invitations],  # fmt: skip
    }


# --- Slots and invitations -------------------------------------------------------------


@extend_schema_view(destroy=extend_schema(summary=_("Xóa một buổi làm việc chưa có đơn vị đăng ký")))
class HearingSlotViewSet(mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """A slot of the hearing schedule of a directive the user may read: removed by whoever
    may edit the issuing unit, while no unit has booked it (400 naming the unit)."""

    permission_classes = READ_WRITE
    strict_query_params = True
    serializer_class = SlotSerializer

    def get_queryset(self) -> QuerySet[HearingSlot]:
        if getattr(self, "swagger_fake_view", False):
            return HearingSlot.objects.none()
        return HearingSlot.objects.filter(
            directive__in=visible_directives(self.request.user).values("pk")
        ).select_related("directive__issuing_unit")

    def perform_destroy(self, instance):
        write(editing.slot_remove, actor=self.request.user, slot=instance)


@extend_schema_view(destroy=extend_schema(summary=_("Bỏ một đơn vị khỏi danh sách làm việc trực tiếp")))
class HearingInvitationViewSet(mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """A unit chosen for a direct hearing, when the user may read both the unit and the
    directive: it books a slot (its own editors), or is taken off the list (the editors
    of the directive's issuing unit)."""

    permission_classes = READ_WRITE
    strict_query_params = True
    serializer_class = InvitationSerializer

    def get_queryset(self) -> QuerySet[HearingInvitation]:
        if getattr(self, "swagger_fake_view", False):
            return HearingInvitation.objects.none()
        found = HearingInvitation.objects.select_related("unit", "slot", "directive")
        user = self.request.user
        if not scope.is_administrator(user):
            found = found.filter(unit__in=visible_units(user).values("pk"),
                                 directive__in=visible_directives(user).values("pk"))  # fmt: skip
        return found

    def get_serializer_class(self):
        return BookInput if current_action(self) == "book" else InvitationSerializer

    def perform_destroy(self, instance):
        write(editing.uninvite, actor=self.request.user, invitation=instance)

    @extend_schema(summary=_("Đơn vị đăng ký (hoặc đổi, trả lại) một buổi làm việc"),
                   request=BookInput, responses=InvitationSerializer)  # fmt: skip
    @action(detail=True, methods=["post"])
    def book(self, request, pk=None):
        """The invited unit books a free slot of the directive's schedule (null gives its
        slot back); a slot another unit holds is refused (400). Only the unit's editors."""
        invitation = self.get_object()
        body = BookInput(data=request.data, context={**self.get_serializer_context(),
                                                     "invitation": invitation})  # fmt: skip
        body.is_valid(raise_exception=True)
        write(services.hearing_book, actor=request.user, invitation=invitation,
              slot=body.validated_data["slot"])  # fmt: skip
        invitation = self.get_queryset().get(pk=invitation.pk)
        return Response(invitation_data(request.user, invitation), status=status.HTTP_200_OK)
