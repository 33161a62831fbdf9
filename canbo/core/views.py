"""Home page and the access log."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import ListView, TemplateView

from . import scope
from .forms import VNDateField
from .history import PERSON_MATCHES, AccessQuery, access_log, people_matching
from .models import AccessKind
from .replica import replica_reads


class HomeView(LoginRequiredMixin, TemplateView):
    template_name = "home.html"


class AdministratorRequiredMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not scope.is_administrator(request.user):
            raise PermissionDenied(_("Chỉ quản trị viên được xem trang này."))
        return super().dispatch(request, *args, **kwargs)


class AccessLogForm(forms.Form):
    """The search of the access log: by person, user, kind and dates (dd/mm/yyyy)."""

    person = forms.CharField(
        label=gettext_lazy("Cán bộ"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"placeholder": gettext_lazy("Họ tên hoặc số định danh"), "type": "search"}
        ),
    )
    actor = forms.ModelChoiceField(
        label=gettext_lazy("Người xem"),
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=gettext_lazy("Tất cả"),
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Loại truy cập"),
        choices=[("", gettext_lazy("Tất cả")), *AccessKind.choices],
        required=False,
    )
    date_from = VNDateField(label=gettext_lazy("Từ ngày"), required=False)
    date_to = VNDateField(label=gettext_lazy("Đến ngày"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        actor = self.fields["actor"]
        actor.queryset = get_user_model().objects.order_by("username")
        actor.label_from_instance = lambda u: (
            f"{u.username} – {u.get_full_name()}" if u.get_full_name() else u.username
        )
        actor.error_messages["invalid_choice"] = _("Không có tài khoản này.")
        for field in self.fields.values():
            select = isinstance(field.widget, forms.Select)
            field.widget.attrs["class"] = (
                "form-select form-select-sm" if select else "form-control form-control-sm"
            )

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("Ngày cuối không được trước ngày đầu."))
        return data

    def query(self) -> AccessQuery:
        if not self.is_valid():
            return AccessQuery()
        data = self.cleaned_data
        actor = data.get("actor")
        return AccessQuery(
            person=data.get("person", "").strip(),
            actor_id=actor.pk if actor else None,
            kind=data.get("kind", ""),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )


@replica_reads
class AccessLogView(AdministratorRequiredMixin, ListView):
    """Who read which personal data (profiles, lists, exports, documents…), newest first;
    administrators only."""

    template_name = "core/access_log.html"
    context_object_name = "events"
    paginate_by = 50

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.form = AccessLogForm(request.GET or None)
        self.query = self.form.query()
        self.people = people_matching(self.query.person) if self.query.person else None

    def get_queryset(self):
        people = self.people[:PERSON_MATCHES] if self.people is not None else None
        return access_log(self.query, people=people)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            form=self.form,
            people=(self.people or [])[:PERSON_MATCHES],
            too_many_people=len(self.people or []) > PERSON_MATCHES,
            person_searched=self.people is not None,
        )
        return context
