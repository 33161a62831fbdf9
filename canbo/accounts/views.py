import django_otp
from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from . import selectors, services, two_factor
from .forms import CodeForm, SignInForm

STEP_URLS = {
    two_factor.VERIFY: "accounts:two-factor-verify",
    two_factor.SETUP: "accounts:two-factor-setup",
}


def next_url(request, default: str = "") -> str:
    """The page to go back to (?next= or a posted next), if it is on this site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default or reverse(settings.LOGIN_REDIRECT_URL)


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        auth_login(self.request, form.get_user())
        step = two_factor.decide(self.request)
        if step is not None:
            return redirect_to_login(self.get_success_url(), reverse(STEP_URLS[step]))
        return HttpResponseRedirect(self.get_success_url())


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer once a username and address have failed too often (429)."""
    minutes = int(get_cool_off(request).total_seconds() // 60)
    message = _(
        "Tài khoản tạm thời bị khóa do đăng nhập sai quá nhiều lần. "
        "Hãy thử lại sau %(minutes)d phút hoặc liên hệ quản trị viên."
    ) % {"minutes": minutes}
    context = {"form": SignInForm(request), "locked_out": message, "next": next_url(request)}
    return render(request, "accounts/login.html", context, status=429)


class SignOutView(auth_views.LogoutView):
    pass


class VerifyView(FormView):
    """The code step after the password, for a user with a confirmed device."""

    template_name = "accounts/two_factor_verify.html"
    form_class = CodeForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        step = two_factor.decide(request)
        if step is None:
            return redirect(next_url(request))
        if step != two_factor.VERIFY:
            return redirect_to_login(next_url(request), reverse(STEP_URLS[step]))
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        device = two_factor.confirmed_device(self.request.user)
        if not _may_try(device, form):
            return self.form_invalid(form)
        verified = django_otp.verify_token(
            self.request.user, device.persistent_id, form.cleaned_data["code"]
        )
        if verified is None:
            form.add_error("code", _("Mã xác thực không đúng hoặc đã hết hạn."))
            return self.form_invalid(form)
        self.request.session.cycle_key()
        django_otp.login(self.request, verified)
        self.request.session[two_factor.STEP_KEY] = None
        return redirect(next_url(self.request))

    def get_context_data(self, **kwargs):
        return super().get_context_data(next=next_url(self.request), **kwargs)


def _may_try(device, form) -> bool:
    """Whether django-otp lets a code be tried now (it makes each failure wait longer)."""
    allowed, data = device.verify_is_allowed()
    if not allowed:
        wait = (data or {}).get("locked_until")
        seconds = max(1, int((wait - timezone.now()).total_seconds()) + 1) if wait else 1
        form.add_error(
            "code",
            _("Đã nhập sai mã nhiều lần. Hãy chờ %(s)d giây rồi thử lại.") % {"s": seconds},
        )
    return allowed


class SetupView(LoginRequiredMixin, FormView):
    """Set up an authenticator app: its key as text and as a QR code, then one code from it."""

    template_name = "accounts/two_factor_setup.html"
    form_class = CodeForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if two_factor.decide(request) == two_factor.VERIFY:
            # A device is already there: its code comes first (replacing it is for later).
            return redirect_to_login(next_url(request), reverse(STEP_URLS[two_factor.VERIFY]))
        self.device = services.totp_device_start(user=request.user)
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        if not _may_try(self.device, form):
            return self.form_invalid(form)
        confirmed = services.totp_device_confirm(
            actor=self.request.user, device=self.device, token=form.cleaned_data["code"]
        )
        if not confirmed:
            form.add_error("code", _("Mã xác thực không đúng hoặc đã hết hạn."))
            return self.form_invalid(form)
        self.device.refresh_from_db()
        self.request.session.cycle_key()
        django_otp.login(self.request, self.device)
        self.request.session[two_factor.STEP_KEY] = None
        messages.success(self.request, _("Đã bật xác thực hai bước."))
        return redirect(next_url(self.request, reverse("accounts:account")))

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            device=self.device,
            secret=two_factor.secret_of(self.device),
            qr_svg=two_factor.qr_svg(self.device),
            required=two_factor.required(self.request.user),
            next=next_url(self.request, reverse("accounts:account")),
            **kwargs,
        )


class AccountView(LoginRequiredMixin, TemplateView):
    template_name = "accounts/account.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            device=two_factor.confirmed_device(user),
            required=two_factor.required(user),
            tokens=selectors.api_tokens_of(user),
            **kwargs,
        )


class RemoveView(LoginRequiredMixin, View):
    """Turn one's own second factor off, where it is not required."""

    def post(self, request):
        try:
            removed = services.totp_devices_remove(actor=request.user, user=request.user)
        except PermissionDenied as error:
            messages.error(request, str(error))
        else:
            request.session[two_factor.STEP_KEY] = None
            if removed:
                messages.success(request, _("Đã tắt xác thực hai bước."))
        return redirect("accounts:account")
