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
