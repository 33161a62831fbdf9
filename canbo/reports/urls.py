from django.urls import path, re_path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.FormListView.as_view(), name="forms"),
    path("<str:code>/", views.ReportView.as_view(), name="report"),
    re_path(r"^(?P<code>[^/]+)/(?P<fmt>xlsx|docx|pdf)/$", views.ReportDownloadView.as_view(),
            name="download"),  # fmt: skip
]
