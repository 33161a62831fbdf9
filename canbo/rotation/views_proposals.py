"""The placement-proposal page (issue 15, item 4): posts to fill in a subtree at a date, the
person proposed for each with the score's parts, why the others were not eligible, and
the findings the moves would raise (none). Nothing is saved: each move is confirmed on its
own, which records it through `services.rotation_create` (intended in a rotation plan, or
decided with its decision and start).

Views only adapt: `proposals` reads (scoped) and solves, `services` writes.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from canbo.core import scope
from canbo.core.audit import AccessKind, query_text, record_rows
from canbo.core.forms import BootstrapFormMixin, VNDateField, add_service_errors
from canbo.organizations.models import Unit
from canbo.organizations.selectors import position_list, unit_list
from canbo.organizations.widgets import UnitChoiceField
from canbo.people.selectors import person_list
from canbo.rules.selectors import NoRuleSetInForce, rule_set_in_force

from . import proposals, selectors, services
from .choices import RotationKind, RotationPurpose
from .models import Rotation


def today() -> dt.date:
    return timezone.localdate()


class ProposalForm(forms.Form):
    unit = UnitChoiceField(label=gettext_lazy("Đơn vị (cả cấp dưới)"), queryset=Unit.objects.none(),
                           help_text="")  # fmt: skip
    as_of = VNDateField(label=gettext_lazy("Tại ngày"), required=False)
    mode = forms.ChoiceField(label=gettext_lazy("Chức danh cần bố trí"), choices=proposals.Mode.CHOICES)
    purpose = forms.ChoiceField(label=gettext_lazy("Mục đích (chức danh tự chọn)"),
                                choices=RotationPurpose.choices, required=False,
                                initial=RotationPurpose.TRAINING)  # fmt: skip
    positions = forms.CharField(
        label=gettext_lazy("Mã chức danh tự chọn"), required=False,
        help_text=gettext_lazy("Số hiệu các vị trí, cách nhau bởi dấu phẩy."),
    )  # fmt: skip

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = unit_list(user=user)
        for f in self.fields.values():
            select = isinstance(f.widget, forms.Select)
            f.widget.attrs["class"] = "form-select form-select-sm" if select else "form-control form-control-sm"

    def clean_positions(self) -> list[int]:
        text = self.cleaned_data.get("positions") or ""
        parts = [p.strip() for p in text.replace(";", ",").split(",") if p.strip()]
        if not all(p.isdigit() for p in parts):
            raise ValidationError(_("Hãy nhập số hiệu vị trí, cách nhau bởi dấu phẩy."))
        return [int(p) for p in parts]

    def clean(self):
        data = super().clean()
        if data.get("mode") == proposals.Mode.CHOSEN and not data.get("positions"):
            self.add_error("positions", _("Hãy nhập các vị trí cần bố trí."))
        return data


class ConfirmForm(BootstrapFormMixin, forms.Form):
    """One proposed move, confirmed: intended in a plan, or decided."""

    person = forms.IntegerField(widget=forms.HiddenInput)
    to_position = forms.IntegerField(widget=forms.HiddenInput)
    competent_unit = forms.IntegerField(widget=forms.HiddenInput)
    purpose = forms.ChoiceField(choices=RotationPurpose.choices, widget=forms.HiddenInput)
    plan = forms.IntegerField(required=False, label=gettext_lazy("Kế hoạch luân chuyển (số hiệu)"))
    decision_number = forms.CharField(label=gettext_lazy("Số quyết định"), required=False, max_length=60)
    decision_date = VNDateField(label=gettext_lazy("Ngày quyết định"), required=False)
    start_date = VNDateField(label=gettext_lazy("Ngày bắt đầu"), required=False)
    planned_end = VNDateField(label=gettext_lazy("Dự kiến kết thúc"), required=False)


def log_read(request, person_ids) -> None:
    record_rows(actor=request.user, kind=AccessKind.ROTATION, model=Rotation,
                query=" ".join(filter(None, [_("Đề xuất bố trí"), query_text(request.GET)])),
                person_ids=list(dict.fromkeys(person_ids)))  # fmt: skip


def confirm_initial(result: proposals.Proposals, competent_unit: Unit) -> dict[int, ConfirmForm]:
    return {
        move.post.id: ConfirmForm(initial={
            "person": move.candidate.person.id, "to_position": move.post.id,
            "competent_unit": competent_unit.pk, "purpose": result.purpose,
        }, prefix=f"m{move.post.id}")  # fmt: skip
        for move in result.moves
    }


def render_proposals(request, *, status=200, confirm=None):
    user = request.user
    form = ProposalForm(request.GET or None, user=user)
    context = {"form": form, "result": None, "error": "", "reason_labels": proposals.REASONS,
               "readiness_labels": proposals.READINESS, "can_edit": scope.can_edit(user)}  # fmt: skip
    if form.is_valid():
        data = form.cleaned_data
        unit, as_of = data["unit"], data.get("as_of") or today()
        try:
            result = proposals.proposals(
                user, unit, as_of, data["mode"], rule_set_in_force(as_of),
                purpose=data.get("purpose") or None, position_ids=data.get("positions") or (),
            )  # fmt: skip
        except (NoRuleSetInForce, proposals.TooLarge) as error:
            context["error"] = str(error)
        else:
            province = proposals.province_of(unit)
            forms_ = confirm_initial(result, province)
            if confirm is not None:
                forms_[confirm.cleaned_data["to_position"]] = confirm
            rows = [{"post": p, "confirm": forms_.get(p.post.id),
                     "reasons": [(str(proposals.REASONS.get(k, k)), n) for k, n in p.reasons.items()]}
                    for p in result.posts]  # fmt: skip
            context |= {"result": result, "rows": rows, "as_of": as_of, "unit": unit,
                        "province": province}  # fmt: skip
            log_read(request, [m.candidate.person.id for m in result.moves])
    return render(request, "rotation/proposals.html", context, status=status)


class ProposalsView(LoginRequiredMixin, View):
    def get(self, request):
        return render_proposals(request)


class ProposalConfirmView(LoginRequiredMixin, View):
    """Record one proposed move through `services.rotation_create` (the query string keeps
    the proposal: on an error the page is shown again with the form's messages)."""

    def post(self, request):
        user = request.user
        if not scope.can_edit(user):
            raise PermissionDenied(_("Bạn không có quyền ghi luân chuyển cán bộ."))
        prefix = next((k.split("-")[0] for k in request.POST if k.endswith("-to_position")), None)
        form = ConfirmForm(request.POST, prefix=prefix)
        if not form.is_valid():
            return render_proposals(request, status=400, confirm=form)
        data = form.cleaned_data
        person = get_object_or_404(person_list(user=user), pk=data["person"])
        position = get_object_or_404(position_list(user=user), pk=data["to_position"])
        unit = get_object_or_404(unit_list(user=user), pk=data["competent_unit"])
        plan = None
        if data.get("plan"):
            plan = selectors.plans(user, scope.EDIT).filter(pk=data["plan"]).first()
            if plan is None:
                form.add_error("plan", _("Không có kế hoạch luân chuyển này."))
                return render_proposals(request, status=400, confirm=form)
        try:
            rotation = services.rotation_create(
                actor=user, person=person, kind=RotationKind.ROTATION, purpose=data["purpose"],
                to_position=position, competent_unit=unit, plan=plan,
                decision_number=data.get("decision_number") or "",
                decision_date=data.get("decision_date"), start_date=data.get("start_date"),
                planned_end=data.get("planned_end"), note=_("Theo đề xuất bố trí"),
            )  # fmt: skip
        except (ValidationError, PermissionDenied) as error:
            if isinstance(error, ValidationError):
                add_service_errors(form, error, model=Rotation)
            else:
                form.add_error(None, str(error) or _("Bạn không có quyền ghi luân chuyển này."))
            return render_proposals(request, status=400, confirm=form)
        messages.success(request, _("Đã ghi luân chuyển của %(name)s.") % {"name": person.full_name})
        return redirect(reverse("rotation:detail", args=[rotation.pk]))

