"""Pages that write a committee's own plan: a directive (with its signed file), its tasks,
their assignment to many units at once, and taking an assignment back.

Views only adapt: records are looked up through the scoped reads (`pages`, `selectors`),
the writes go through `services` and `editing`, which check the right again, validate
and audit. Out of sight is 404; in sight without the right to edit the issuing unit is
403; what cannot be written is a 400 with the message beside its field, nothing written.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from canbo.core import scope
from canbo.core.forms import add_service_errors
from canbo.core.templatetags.canbo_tags import vnnumber

from . import editing, pages, services, views
from .edit_forms import AssignForm, DirectiveForm, TaskForm
from .forms import CompletionForm
from .models import Directive, Task, TaskAssignment

READ_ONLY = gettext_lazy("Bạn chỉ có quyền xem văn bản này.")


def editable_directive(user, pk) -> Directive:
    """A directive the user reads (else 404) and may edit (else 403)."""
    directive = pages.directive_get(user, pk)
    if not scope.unit_allowed(user, directive.issuing_unit, scope.EDIT):
        raise PermissionDenied(READ_ONLY)
    return directive


def editable_task(user, pk) -> Task:
    task = Task.objects.select_related("directive", "lead_unit", "leader").filter(pk=pk).first()
    if task is None:
        raise Http404
    directive = editable_directive(user, task.directive_id)
    task.directive = directive
    return task


def detail_url(directive: Directive, anchor: str = "") -> str:
    return reverse("directives:detail", args=[directive.pk]) + anchor


def _file_of(form) -> object | None:
    upload = form.cleaned_data.get("file")
    return upload or None


class DirectiveAddView(LoginRequiredMixin, View):
    """"Thêm văn bản": `services.directive_save` (the directive and its file in one
    transaction: a file refused writes nothing)."""

    template = "directives/edit/directive_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not scope.can_edit(request.user):
            raise PermissionDenied(_("Bạn chỉ có quyền xem văn bản chỉ đạo."))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self.show(request, DirectiveForm(user=request.user))

    def post(self, request):
        form = DirectiveForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            try:
                directive = services.directive_save(actor=request.user,
                                                    fields=form.directive_fields(),
                                                    upload=_file_of(form))  # fmt: skip
            except ValidationError as error:
                add_service_errors(form, error, model=Directive)
            else:
                messages.success(request, _("Đã thêm văn bản %(number)s.") % {"number": directive.number})
                return redirect(detail_url(directive))
        return self.show(request, form, status=400)

    def show(self, request, form, status=200):
        context = {"form": form, "directive": None, "heading": _("Thêm văn bản")}
        return render(request, self.template, context, status=status)


class DirectiveEditView(LoginRequiredMixin, View):
    """"Sửa văn bản": `services.directive_save`; the file replaced or removed."""

    template = "directives/edit/directive_form.html"

    def get(self, request, pk: int):
        directive = editable_directive(request.user, pk)
        return self.show(request, directive, DirectiveForm(user=request.user, directive=directive))

    def post(self, request, pk: int):
        directive = editable_directive(request.user, pk)
        form = DirectiveForm(request.POST, request.FILES, user=request.user, directive=directive)
        if form.is_valid():
            try:
                services.directive_save(actor=request.user, directive=directive,
                                        fields=form.directive_fields(), upload=_file_of(form),
                                        remove_file=bool(form.cleaned_data.get("remove_file")))  # fmt: skip
            except ValidationError as error:
                add_service_errors(form, error, model=Directive)
            else:
                messages.success(request, _("Đã lưu văn bản %(number)s.")
                                 % {"number": form.cleaned_data["number"]})  # fmt: skip
                return redirect(detail_url(directive))
        return self.show(request, directive, form, status=400)

    def show(self, request, directive, form, status=200):
        context = {"form": form, "directive": directive, "heading": _("Sửa văn bản")}
        return render(request, self.template, context, status=status)


class TaskAddView(LoginRequiredMixin, View):
    """"Thêm nhiệm vụ" on a directive: `services.task_create`."""

    template = "directives/edit/task_form.html"

    def get(self, request, pk: int):
        directive = editable_directive(request.user, pk)
        return self.show(request, directive, TaskForm(user=request.user, directive=directive))

    def post(self, request, pk: int):
        directive = editable_directive(request.user, pk)
        form = TaskForm(request.POST, user=request.user, directive=directive)
        if form.is_valid():
            try:
                task = services.task_create(actor=request.user, directive=directive,
                                            coordinating_units=form.cleaned_data["coordinating_units"],
                                            **form.task_fields())  # fmt: skip
            except ValidationError as error:
                add_service_errors(form, error, model=Task)
            else:
                messages.success(request, _("Đã thêm nhiệm vụ số %(order)s.") % {"order": task.order})
                return redirect(detail_url(directive, f"#task-{task.pk}"))
        return self.show(request, directive, form, status=400)

    def show(self, request, directive, form, status=200, task=None):
        heading = _("Sửa nhiệm vụ") if task is not None else _("Thêm nhiệm vụ")
        context = {"form": form, "directive": directive, "task": task, "heading": heading}
        return render(request, self.template, context, status=status)


class TaskEditView(TaskAddView):
    """"Sửa nhiệm vụ": `editing.task_update` (cancelling and un-cancelling too)."""

    def get(self, request, pk: int):
        task = editable_task(request.user, pk)
        form = TaskForm(user=request.user, directive=task.directive, task=task)
        return self.show(request, task.directive, form, task=task)

    def post(self, request, pk: int):
        task = editable_task(request.user, pk)
        directive = task.directive
        form = TaskForm(request.POST, user=request.user, directive=directive, task=task)
        if form.is_valid():
            try:
                editing.task_update(actor=request.user, task=task,
                                    coordinating_units=form.cleaned_data["coordinating_units"],
                                    **form.task_fields())  # fmt: skip
            except ValidationError as error:
                add_service_errors(form, error, model=Task)
            else:
                messages.success(request, _("Đã lưu nhiệm vụ số %(order)s.")
                                 % {"order": form.task_fields()["order"]})  # fmt: skip
                return redirect(detail_url(directive, f"#task-{task.pk}"))
        return self.show(request, directive, form, status=400, task=task)


class TaskAssignView(LoginRequiredMixin, View):
    """"Giao cho các đơn vị": `services.assign_to_units` (only units not yet assigned)."""

    template = "directives/edit/task_assign.html"

    def get(self, request, pk: int):
        task = editable_task(request.user, pk)
        return self.show(request, task, AssignForm(user=request.user))

    def post(self, request, pk: int):
        task = editable_task(request.user, pk)
        form = AssignForm(request.POST, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                count = services.assign_to_units(actor=request.user, task=task, level=data["level"],
                                                 kind=data["kind"] or None, within=data["unit"],
                                                 group=data["group"], on=data["on"])  # fmt: skip
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                if count:
                    messages.success(request, _("Đã giao cho %(n)s đơn vị.") % {"n": vnnumber(count)})
                else:
                    messages.info(request, _("Không có đơn vị mới nào để giao."))
                return redirect(detail_url(task.directive, f"#task-{task.pk}"))
        return self.show(request, task, form, status=400)

    def show(self, request, task, form, status=200):
        assigned = TaskAssignment.objects.filter(task=task).count()
        context = {"form": form, "task": task, "directive": task.directive, "assigned": assigned,
                   "heading": _("Giao cho các đơn vị")}  # fmt: skip
        return render(request, self.template, context, status=status)


class AssignmentRemoveView(views.AssignmentView):
    """POST "Thu hồi": an editor of the directive's issuing unit takes the task back from a
    unit that has recorded nothing (`editing.assignment_remove`); refused with its message."""

    def get(self, request, pk: int):
        return redirect(reverse("directives:assignment", args=[pk]))

    def post(self, request, pk: int):
        on = pages.today()
        assignment = pages.assignment_get(request.user, pk, on)
        directive = assignment.task.directive
        if not scope.unit_allowed(request.user, directive.issuing_unit, scope.EDIT):
            raise PermissionDenied(READ_ONLY)
        try:
            editing.assignment_remove(actor=request.user, assignment=assignment)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            form = None
            if pages.can_record(request.user, assignment):
                form = CompletionForm(initial={"completed_on": assignment.completed_on,
                                               "note": assignment.note,
                                               "evidence": assignment.evidence})  # fmt: skip
            return self.render_page(request, assignment, form, status=400)
        messages.success(request, _("Đã thu hồi nhiệm vụ của %(unit)s.") % {"unit": assignment.unit.name})
        return redirect(detail_url(directive, f"#task-{assignment.task_id}"))
