from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("Tên đăng nhập hoặc mật khẩu không đúng."),
        "inactive": _("Tài khoản này đã bị khóa."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Tên đăng nhập")
        self.fields["password"].label = _("Mật khẩu")
        for name, f in self.fields.items():
            f.widget.attrs["class"] = "form-control"
            f.error_messages["required"] = _("Hãy nhập %(label)s.") % {
                "label": str(f.label).lower()
            }
            if name == "username":
                f.widget.attrs["autofocus"] = True


class CodeForm(forms.Form):
    """The six digits an authenticator app shows (spaces allowed, as some apps group them)."""

    code = forms.CharField(
        label=_("Mã xác thực"),
        max_length=12,
        error_messages={"required": _("Hãy nhập mã xác thực.")},
        widget=forms.TextInput(
            attrs={
                "class": "form-control",
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
            }
        ),
    )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if not (code.isascii() and code.isdigit() and len(code) == 6):
            raise forms.ValidationError(_("Mã xác thực gồm 6 chữ số."))
        return code
