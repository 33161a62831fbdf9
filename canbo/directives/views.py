"""Directive pages: the list, a directive with its tasks' roll-ups, a unit's assignments
with the completion form, and "Việc cần làm" (what falls due this week and what is
overdue).

Views only adapt: reads go through `pages` (scoped by `selectors.visible_*`), the
completion through `services.record_completion`. Out of sight is "not found" (404); in
sight but read-only is "forbidden" (403); an impossible date is a 400 naming it.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from canbo.core import scope
from canbo.core.dates import format_day
from canbo.core.forms import add_service_errors
from canbo.core.replica import replica_reads

from . import pages, services
from .choices import DirectiveKind, Status
from .forms import CompletionForm, HearingBookForm, NoteForm
from .manage_forms import InviteForm, SlotForm
from .models import TaskAssignment

PAGE_SIZE = 50


def bad_request(request, message: str):
    return render(request, "directives/bad_request.html", {"message": message}, status=400)


def _rows(page_obj, user) -> list[tuple[TaskAssignment, pages.Badge, bool]]:
    return [(a, pages.status_badge(a.status), pages.can_record(user, a)) for a in page_obj]


@replica_reads
class DirectiveListView(LoginRequiredMixin, View):
    def get(self, request):
        text = (request.GET.get("q") or "").strip()[: pages.MAX_PARAM]
        directives = pages.directive_list(request.user, text)
        page = Paginator(directives, PAGE_SIZE).get_page(request.GET.get("page"))
        context = {"page_obj": page, "directives": page.object_list, "q": text,
                   "kinds": dict(DirectiveKind.choices)}  # fmt: skip
        return render(request, "directives/directive_list.html", context)


def manage_context(user, directive, hearings, refused: dict) -> dict | None:
    """What the hearing card shows an editor of the issuing unit (None for anyone else):
    the schedule even before its first slot, the forms (as posted, after an error) and an
    error beside a slot or an invitation (`refused`: slot_form, invite_form, slot_error,
    invitation_error)."""
    if not pages.can_manage_hearings(user, directive):
        return None
    return {
        "hearings": pages.hearings_to_manage(user, directive, hearings),
        "slot_form": refused.get("slot_form") or SlotForm(),
        "invite_form": refused.get("invite_form") or InviteForm(user=user),
        "slot_error": refused.get("slot_error") or (None, []),
        "invitation_error": refused.get("invitation_error") or (None, []),
    }


def directive_context(request, directive, hearing_errors=None, refused=None) -> dict:
    """The directive page's context (BadRequest for an impossible ?as_of=); with
    `hearing_errors` ({invitation pk: [messages]}), shown beside those booking forms, and
    `refused`, what the schedule's management refused (`manage_context`)."""
    user = request.user
    on = pages.as_of(request.GET.get("as_of"))
    where = pages.where_from(user, request.GET, on)
    page = pages.directive_page(user, directive, where, request.GET.get("task") or "")
    groups = pages.groups_of(user)  # every group for an administrator
    hearings = pages.hearings(user, directive)
    return {
        "page": page,
        "directive": directive,
        "on": on,
        "is_today": on == pages.today(),
        "groups": list(groups.order_by("name").values_list("name", flat=True)),
        "unit_code": where.unit.code if where.unit else "",
        "group_name": where.group.name if where.group else "",
        "report_query": urlencode(
            {
                "as_of": format_day(on),
                "unit": where.unit.code if where.unit else "",
                "group": where.group.name if where.group else "",
            }
        ),
        "hearings": hearings,
        "manage": manage_context(user, directive, hearings, refused or {}),
        "hearing_errors": hearing_errors or {},
    }


class DirectiveDetailView(LoginRequiredMixin, View):
    def get(self, request, pk: int):
        directive = pages.directive_get(request.user, pk)
        try:
            context = directive_context(request, directive)
        except pages.BadRequest as error:
            return bad_request(request, str(error))
        return render(request, "directives/directive_detail.html", context)


class HearingBookView(LoginRequiredMixin, View):
    """POST: an invited unit books a slot of the directive's hearing schedule, moves to
    another, or (empty slot) gives its slot back; errors beside the form (400)."""

    def post(self, request, pk: int):
        invitation = pages.invitation_get(request.user, pk)
        if not scope.unit_allowed(request.user, invitation.unit, scope.EDIT):
            raise PermissionDenied(_("Bạn chỉ có quyền xem lịch làm việc của đơn vị này."))
        directive = invitation.directive
        form = HearingBookForm(request.POST, directive=directive)
        errors: list[str] = []
        if form.is_valid():
            slot = form.cleaned_data["slot"]
            try:
                services.hearing_book(actor=request.user, invitation=invitation, slot=slot)
            except ValidationError as error:
                errors = error.messages
            else:
                if slot is None:
                    messages.success(request, _("Đã trả lại buổi làm việc."))
                else:
                    messages.success(request, _("Đã đăng ký buổi %(slot)s.") % {"slot": slot})
                return redirect(reverse("directives:detail", args=[directive.pk]) + "#hearings")
        else:
            errors = [e for field_errors in form.errors.values() for e in field_errors]
        try:
            context = directive_context(request, directive, {invitation.pk: errors})
        except pages.BadRequest as error:
            return bad_request(request, str(error))
        return render(request, "directives/directive_detail.html", context, status=400)


@replica_reads
class AssignmentListView(LoginRequiredMixin, View):
    """The page "Nhiệm vụ của đơn vị": the assignments the user may read, with their status today."""

    def get(self, request):
        on = pages.today()
        status = pages.status_param(request.GET)
        rows = pages.assignments(request.user, on, status)
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
        context = {"page_obj": page, "rows": _rows(page, request.user), "on": on,
                   "status": status, "statuses": Status.choices}  # fmt: skip
        return render(request, "directives/assignment_list.html", context)


class AssignmentView(LoginRequiredMixin, View):
    """One assignment; the completion form for whoever may edit its unit."""

    def render_page(self, request, assignment, form, status=200, note_form=None):
        on = pages.today()
        editable = pages.can_record(request.user, assignment)
        context = {
            "assignment": assignment,
            "badge": pages.status_badge(assignment.status),
            "on": on,
            "form": form,
            "notes": pages.notes_of(assignment),
            "note_form": (note_form or NoteForm()) if editable else None,
        }
        return render(request, "directives/assignment_detail.html", context, status=status)

    def get(self, request, pk: int):
        assignment = pages.assignment_get(request.user, pk, pages.today())
        form = None
        if pages.can_record(request.user, assignment):
            form = CompletionForm(initial={"completed_on": assignment.completed_on,
                                           "note": assignment.note,
                                           "evidence": assignment.evidence})  # fmt: skip
        return self.render_page(request, assignment, form)

    def post(self, request, pk: int):
        on = pages.today()
        assignment = pages.assignment_get(request.user, pk, on)
        if not pages.can_record(request.user, assignment):
            raise PermissionDenied(_("Bạn chỉ có quyền xem nhiệm vụ của đơn vị này."))
        form = CompletionForm(request.POST)
        if form.is_valid():
            try:
                services.record_completion(actor=request.user, assignment=assignment,
                                           today=on, **form.cleaned_data)  # fmt: skip
            except ValidationError as error:
                add_service_errors(form, error, model=TaskAssignment)
            else:
                if form.cleaned_data["completed_on"]:
                    messages.success(request, _("Đã ghi nhận hoàn thành."))
                else:
                    messages.success(request, _("Đã hủy ghi nhận hoàn thành."))
                return redirect(reverse("directives:assignment", args=[assignment.pk]))
        return self.render_page(request, assignment, form, status=400)


class AssignmentNoteView(AssignmentView):
    """POST: a progress note (text, optional file) on the assignment, by an editor of its
    unit, through `services.note_add`; errors beside the form (400)."""

    def get(self, request, pk: int):
        return redirect(reverse("directives:assignment", args=[pk]))

    def post(self, request, pk: int):
        on = pages.today()
        assignment = pages.assignment_get(request.user, pk, on)
        if not pages.can_record(request.user, assignment):
            raise PermissionDenied(_("Bạn chỉ có quyền xem nhiệm vụ của đơn vị này."))
        note_form = NoteForm(request.POST, request.FILES)
        if note_form.is_valid():
            try:
                services.note_add(actor=request.user, assignment=assignment, today=on,
                                  text=note_form.cleaned_data["text"],
                                  upload=note_form.cleaned_data["file"] or None)  # fmt: skip
            except ValidationError as error:
                add_service_errors(note_form, error)
            else:
                messages.success(request, _("Đã ghi nhận tiến độ."))
                url = reverse("directives:assignment", args=[assignment.pk])
                return redirect(url + "#notes")
        form = CompletionForm(initial={"completed_on": assignment.completed_on,
                                       "note": assignment.note, "evidence": assignment.evidence})  # fmt: skip
        return self.render_page(request, assignment, form, status=400, note_form=note_form)


class TodoView(LoginRequiredMixin, View):
    """The page "Việc cần làm": overdue, and due within the next seven days, in the user's sight."""

    def get(self, request):
        on = pages.today()
        counts = pages.todo_counts(request.user, on)
        page = Paginator(pages.todo(request.user, on), PAGE_SIZE).get_page(request.GET.get("page"))
        context = {"page_obj": page, "rows": _rows(page, request.user), "on": on,
                   "counts": counts, "days": pages.DUE_DAYS}  # fmt: skip
        return render(request, "directives/todo.html", context)
