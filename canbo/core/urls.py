from django.urls import path

from canbo.jobs.lists import ListExportView

from . import views

app_name = "core"

urlpatterns = [
    path("access-log/", views.AccessLogView.as_view(), name="access-log"),
    path("access-log/export.xlsx", ListExportView.as_view(list_key="access-log"),
         name="access-log-xlsx"),
]
