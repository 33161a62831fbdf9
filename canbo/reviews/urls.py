from django.urls import path

from . import views

app_name = "reviews"

urlpatterns = [
    path("", views.SessionListView.as_view(), name="sessions"),
    path("sessions/new/", views.SessionCreateView.as_view(), name="session-create"),
    path("sessions/<int:pk>/", views.SessionDetailView.as_view(), name="session"),
    path("sessions/<int:pk>/subjects/", views.SubjectAddView.as_view(), name="subject-add"),
    path("sessions/<int:pk>/subjects/<int:subject_pk>/exclude/", views.SubjectExcludeView.as_view(),
         name="subject-exclude"),
    path("sessions/<int:pk>/tally/", views.TallyEnterView.as_view(), name="tally"),
    path("sessions/<int:pk>/close/", views.SessionCloseView.as_view(), name="session-close"),
    path("rounds/", views.RoundListView.as_view(), name="rounds"),
    path("rounds/new/", views.RoundCreateView.as_view(), name="round-create"),
    path("rounds/<int:pk>/", views.RoundDetailView.as_view(), name="round"),
    path("rounds/<int:pk>/scores/", views.ScoreSetView.as_view(), name="score"),
    path("rounds/<int:pk>/close/", views.RoundCloseView.as_view(), name="round-close"),
]
