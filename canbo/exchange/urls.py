from django.urls import path

from . import review, views

app_name = "exchange"

urlpatterns = [
    path("", views.ExchangeView.as_view(), name="index"),
    path("template/", views.TemplateDownloadView.as_view(), name="template"),
    path("export/", views.ExportView.as_view(), name="export"),
    path("import/", views.ImportUploadView.as_view(), name="import"),
    path("import/<str:token>/", review.ImportReviewView.as_view(), name="import-review"),
    path("import/<str:token>/errors.xlsx", review.ImportErrorsView.as_view(), name="import-errors"),
]
