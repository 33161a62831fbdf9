"""Pages that manage a directive's hearing schedule (its slots and the units chosen for
a direct hearing) and the monitoring groups (issue 14, items 3, 5 and 7).

Views only adapt: records are looked up through `pages` (scoped: out of sight is 404),
writes go through `editing` (which checks the right again, validates and audits). The
schedule is managed by whoever may edit the directive's issuing unit; others who read the
directive get 403. Groups are read by whoever reaches their owner unit (all by an
administrator) and written by administrators only.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from canbo.core import scope
from canbo.core.forms import add_service_errors

from . import editing, pages
from .manage_forms import GroupForm, InviteForm, SlotForm
from .models import HearingSlot, MonitoringGroup
from .views import bad_request, directive_context


def _to_schedule(directive):
    return redirect(reverse("directives:detail", args=[directive.pk]) + "#hearings")


def _managed(request, directive) -> None:
    if not pages.can_manage_hearings(request.user, directive):
        raise PermissionDenied(_("Bạn không có quyền sửa lịch làm việc của văn bản này."))


def _refused(request, directive, **refused):
    """The directive page again, with what was refused beside its form (400)."""
    try:
        context = directive_context(request, directive, refused=refused)
    except pages.BadRequest as error:
        return bad_request(request, str(error))
    return render(request, "directives/directive_detail.html", context, status=400)


class SlotAddView(LoginRequiredMixin, View):
    """POST: a slot added to the directive's schedule (`editing.slot_add`)."""

    def post(self, request, pk: int):
        directive = pages.directive_get(request.user, pk)
        _managed(request, directive)
        form = SlotForm(request.POST)
        if form.is_valid():
            try:
                slot = editing.slot_add(actor=request.user, directive=directive, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error, model=HearingSlot)
            else:
                messages.success(request, _("Đã thêm buổi %(slot)s.") % {"slot": slot})
                return _to_schedule(directive)
        return _refused(request, directive, slot_form=form)


class SlotRemoveView(LoginRequiredMixin, View):
    """POST: a slot nobody booked taken off the schedule (`editing.slot_remove`)."""

    def post(self, request, pk: int):
        slot = pages.slot_get(request.user, pk)
        directive = slot.directive
        _managed(request, directive)
        try:
            editing.slot_remove(actor=request.user, slot=slot)
        except ValidationError as error:
            return _refused(request, directive, slot_error=(slot.pk, error.messages))
        messages.success(request, _("Đã xóa buổi %(slot)s.") % {"slot": slot})
        return _to_schedule(directive)


class InviteView(LoginRequiredMixin, View):
    """POST: units chosen for a direct hearing by their codes (`editing.invite`)."""

    def post(self, request, pk: int):
        directive = pages.directive_get(request.user, pk)
        _managed(request, directive)
        form = InviteForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                added = editing.invite(actor=request.user, directive=directive,
                                       units=form.cleaned_data["units"])  # fmt: skip
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Đã chọn thêm %(n)d đơn vị.") % {"n": added})
                return _to_schedule(directive)
        return _refused(request, directive, invite_form=form)


class UninviteView(LoginRequiredMixin, View):
    """POST: a unit taken off the hearing list, its slot freed (`editing.uninvite`)."""

    def post(self, request, pk: int):
        invitation = pages.invitation_to_manage(request.user, pk)
        directive = invitation.directive
        _managed(request, directive)
        try:
            editing.uninvite(actor=request.user, invitation=invitation)
        except ValidationError as error:
            return _refused(request, directive,
                            invitation_error=(invitation.pk, error.messages))  # fmt: skip
        messages.success(request, _("Đã bỏ chọn %(unit)s.") % {"unit": invitation.unit.name})
        return _to_schedule(directive)


# --- Monitoring groups ---------------------------------------------------------------


def _administrator(request) -> None:
    if not scope.is_administrator(request.user):
        raise PermissionDenied(_("Chỉ quản trị viên được thêm, sửa hoặc xóa nhóm theo dõi."))


class GroupListView(LoginRequiredMixin, View):
    """The page "Nhóm đơn vị theo dõi": the groups the user may read."""

    def get(self, request):
        context = {"groups": list(pages.groups_for(request.user)),
                   "administrator": scope.is_administrator(request.user)}  # fmt: skip
        return render(request, "directives/manage/group_list.html", context)


class GroupView(LoginRequiredMixin, View):
    """A group with its units (name, code, level)."""

    def get(self, request, pk: int):
        group = pages.group_get(request.user, pk)
        units = group.units.order_by("path")
        context = {"group": group, "units": units,
                   "administrator": scope.is_administrator(request.user)}  # fmt: skip
        return render(request, "directives/manage/group_detail.html", context)


class GroupFormView(LoginRequiredMixin, View):
    """Create (no pk) or change a group: administrators only (`editing.group_save`)."""

    def _group(self, request, pk):
        group = pages.group_get(request.user, pk) if pk is not None else None
        _administrator(request)
        return group

    def _render(self, request, form, group, status=200):
        return render(request, "directives/manage/group_form.html",
                      {"form": form, "group": group}, status=status)  # fmt: skip

    def get(self, request, pk: int | None = None):
        group = self._group(request, pk)
        initial = GroupForm.initial_of(group) if group is not None else None
        return self._render(request, GroupForm(initial=initial, user=request.user), group)

    def post(self, request, pk: int | None = None):
        group = self._group(request, pk)
        form = GroupForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                saved = editing.group_save(actor=request.user, group=group, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error, model=MonitoringGroup)
            else:
                if group is None:
                    messages.success(request, _("Đã thêm nhóm %(name)s.") % {"name": saved.name})
                else:
                    messages.success(request, _("Đã lưu nhóm %(name)s.") % {"name": saved.name})
                return redirect(reverse("directives:group", args=[saved.pk]))
        return self._render(request, form, group, status=400)


class GroupDeleteView(LoginRequiredMixin, View):
    """A confirmation page, then the group deleted (`editing.group_delete`)."""

    def get(self, request, pk: int):
        group = pages.group_get(request.user, pk)
        _administrator(request)
        return render(request, "directives/manage/group_confirm_delete.html", {"group": group})

    def post(self, request, pk: int):
        group = pages.group_get(request.user, pk)
        _administrator(request)
        name = group.name
        editing.group_delete(actor=request.user, group=group)
        messages.success(request, _("Đã xóa nhóm %(name)s.") % {"name": name})
        return redirect(reverse("directives:groups"))
