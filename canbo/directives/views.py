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

from . import pages, services
from .choices import DirectiveKind, Status
from .forms import CompletionForm
from .models import MonitoringGroup, TaskAssignment

PAGE_SIZE = 50


def bad_request(request, message: str):
    return render(request, "directives/bad_request.html", {"message": message}, status=400)


def _rows(page_obj, user) -> list[tuple[TaskAssignment, pages.Badge, bool]]:
    return [(a, pages.status_badge(a.status), pages.can_record(user, a)) for a in page_obj]


class DirectiveListView(LoginRequiredMixin, View):
    def get(self, request):
        text = (request.GET.get("q") or "").strip()[: pages.MAX_PARAM]
        directives = pages.directive_list(request.user, text)
        page = Paginator(directives, PAGE_SIZE).get_page(request.GET.get("page"))
        context = {"page_obj": page, "directives": page.object_list, "q": text,
                   "kinds": dict(DirectiveKind.choices)}  # fmt: skip
        return render(request, "directives/directive_list.html", context)


class DirectiveDetailView(LoginRequiredMixin, View):
    def get(self, request, pk: int):
        user = request.user
        directive = pages.directive_get(user, pk)
        try:
            on = pages.as_of(request.GET.get("as_of"))
            where = pages.where_from(user, request.GET, on)
        except pages.BadRequest as error:
            return bad_request(request, str(error))
        page = pages.directive_page(user, directive, where, request.GET.get("task") or "")
        administrator = scope.is_administrator(user)
        groups = MonitoringGroup.objects.all() if administrator else pages.groups_of(user)
        context = {
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
        }
        return render(request, "directives/directive_detail.html", context)


class AssignmentListView(LoginRequiredMixin, View):
    """The page "Nhiệm vụ của đơn vị": the assignments the user may read, with their status today."""

    def get(self, request):
        on = pages.today()
        status = request.GET.get("status") or ""
        status = status if status in Status.values else ""
        rows = pages.assignments(request.user, on, status)
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
        context = {"page_obj": page, "rows": _rows(page, request.user), "on": on,
                   "status": status, "statuses": Status.choices}  # fmt: skip
        return render(request, "directives/assignment_list.html", context)


class AssignmentView(LoginRequiredMixin, View):
    """One assignment; the completion form for whoever may edit its unit."""

    def render_page(self, request, assignment, form, status=200):
        on = pages.today()
        context = {
            "assignment": assignment,
            "badge": pages.status_badge(assignment.status),
            "on": on,
            "form": form,
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


class TodoView(LoginRequiredMixin, View):
    """The page "Việc cần làm": overdue, and due within the next seven days, in the user's sight."""

    def get(self, request):
        on = pages.today()
        counts = pages.todo_counts(request.user, on)
        page = Paginator(pages.todo(request.user, on), PAGE_SIZE).get_page(request.GET.get("page"))
        context = {"page_obj": page, "rows": _rows(page, request.user), "on": on,
                   "counts": counts, "days": pages.DUE_DAYS}  # fmt: skip
        return render(request, "directives/todo.html", context)
