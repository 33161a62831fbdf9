from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("access-log/", views.AccessLogView.as_view(), name="access-log"),
]
