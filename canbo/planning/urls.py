from django.urls import path

from . import views

app_name = "planning"

urlpatterns = [
    path("", views.PlanListView.as_view(), name="list"),
    path("new/", views.PlanCreateView.as_view(), name="create"),
    path("figures/", views.UnitFiguresView.as_view(), name="unit-figures"),
    path("people/suggest/", views.PersonSuggestView.as_view(), name="person-suggest"),
    path("<int:pk>/", views.PlanDetailView.as_view(), name="detail"),
    path("<int:pk>/entries/add/", views.EntryAddView.as_view(), name="entry-add"),
    path(
        "<int:pk>/entries/<int:entry_pk>/remove/",
        views.EntryRemoveView.as_view(),
        name="entry-remove",
    ),
    path("<int:pk>/positions/add/", views.CoverPositionView.as_view(), name="position-add"),
    path("<int:pk>/submit/", views.TransitionView.as_view(action="submit"), name="submit"),
    path("<int:pk>/approve/", views.TransitionView.as_view(action="approve"), name="approve"),
    path("<int:pk>/publish/", views.TransitionView.as_view(action="publish"), name="publish"),
    path("<int:pk>/reopen/", views.TransitionView.as_view(action="reopen"), name="reopen"),
    path("<int:pk>/what-if/", views.WhatIfView.as_view(), name="what-if"),
    path("<int:pk>/reviews/", views.ReviewView.as_view(), name="reviews"),
    path("<int:pk>/figures/", views.PlanFiguresView.as_view(), name="figures"),
    path("<int:pk>/bench/", views.BenchView.as_view(), name="bench"),
    path("<int:pk>/export.xlsx", views.ExportView.as_view(fmt="xlsx"), name="export-xlsx"),
    path("<int:pk>/export.docx", views.ExportView.as_view(fmt="docx"), name="export-docx"),
]
