from django.urls import path

from . import views

app_name = "jobs"

urlpatterns = [
    path("", views.JobListView.as_view(), name="list"),
    path("<uuid:pk>/", views.JobDetailView.as_view(), name="detail"),
    path("<uuid:pk>/file/", views.JobDownloadView.as_view(), name="download"),
    path("<uuid:pk>/cancel/", views.JobCancelView.as_view(), name="cancel"),
]
