from django.urls import path

from . import access_export, views

app_name = "core"

urlpatterns = [
    path("access-log/", views.AccessLogView.as_view(), name="access-log"),
    path("access-log/export.xlsx", access_export.AccessLogExportView.as_view(),
         name="access-log-xlsx"),
]
