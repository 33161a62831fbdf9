from django.urls import path

from . import views

app_name = "appointments"

urlpatterns = [
    path("", views.CaseListView.as_view(), name="list"),
    path("new/", views.CaseCreateView.as_view(), name="create"),
    path("calendar/", views.CalendarView.as_view(), name="calendar"),
    path("queue/", views.QueueView.as_view(), name="queue"),
    path("<int:pk>/", views.CaseDetailView.as_view(), name="detail"),
    path("<int:pk>/what-if/", views.WhatIfView.as_view(), name="what-if"),
    path("<int:pk>/dossier/", views.DossierView.as_view(), name="dossier"),
    path("<int:pk>/close/", views.CloseView.as_view(), name="close"),
    path("<int:pk>/steps/", views.StepRecordView.as_view(), name="step-record"),
    path("<int:pk>/steps/<int:step_pk>/tally/", views.TallyView.as_view(), name="tally"),
    path("<int:pk>/steps/<int:step_pk>/close/", views.StepCloseView.as_view(), name="step-close"),
    path("<int:pk>/decision.docx", views.DocumentView.as_view(kind="decision"), name="decision-docx"),
    path("<int:pk>/minutes.docx", views.DocumentView.as_view(kind="minutes"), name="minutes-docx"),
]
