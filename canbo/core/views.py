"""Home page and the access log."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.views.generic import ListView, TemplateView

from . import scope
from .history import access_log


class HomeView(LoginRequiredMixin, TemplateView):
    template_name = "home.html"


class AdministratorRequiredMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not scope.is_administrator(request.user):
            raise PermissionDenied(_("Chỉ quản trị viên được xem trang này."))
        return super().dispatch(request, *args, **kwargs)


class AccessLogView(AdministratorRequiredMixin, ListView):
    """Who opened which full profile, newest first; administrators only."""

    template_name = "core/access_log.html"
    context_object_name = "events"
    paginate_by = 50

    def get_actor_id(self) -> int | None:
        value = self.request.GET.get("actor", "")
        return int(value) if value.isdigit() else None

    def get_queryset(self):
        return access_log(actor_id=self.get_actor_id())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["users"] = get_user_model().objects.order_by("username")
        context["actor_id"] = self.get_actor_id()
        return context
