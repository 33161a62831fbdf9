from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", views.SignOutView.as_view(), name="logout"),
    path("account/", views.AccountView.as_view(), name="account"),
    path("two-factor/", views.VerifyView.as_view(), name="two-factor-verify"),
    path("two-factor/setup/", views.SetupView.as_view(), name="two-factor-setup"),
    path("two-factor/remove/", views.RemoveView.as_view(), name="two-factor-remove"),
]
