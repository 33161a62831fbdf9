from django.urls import path, re_path

from . import views, views_rounds, views_submissions

app_name = "reports"

urlpatterns = [
    path("", views.FormListView.as_view(), name="forms"),
    # Rounds, submissions and the acceptance queue: before the forms' "<code>/".
    path("rounds/", views_rounds.RoundListView.as_view(), name="rounds"),
    path("rounds/new/", views_rounds.RoundCreateView.as_view(), name="round-new"),
    path("rounds/period/", views_rounds.RoundPeriodView.as_view(), name="round-period"),
    path("rounds/<int:pk>/", views_rounds.RoundDetailView.as_view(), name="round"),
    path("rounds/<int:pk>/edit/", views_rounds.RoundEditView.as_view(), name="round-edit"),
    path("rounds/<int:pk>/open/", views_submissions.SubmissionOpenView.as_view(),
         name="round-open"),  # fmt: skip
    path("rounds/<int:pk>/<str:code>/total/", views_rounds.RoundTotalView.as_view(),
         name="round-total"),  # fmt: skip
    path("rounds/<int:pk>/<str:code>/reconciliation/", views_rounds.ReconciliationView.as_view(),
         name="reconciliation"),  # fmt: skip
    path("submissions/<int:pk>/", views_submissions.SubmissionView.as_view(), name="submission"),
    path("submissions/<int:pk>/correct/", views_submissions.SubmissionCorrectView.as_view(),
         name="submission-correct"),  # fmt: skip
    path("submissions/<int:pk>/corrections/<int:correction>/withdraw/",
         views_submissions.CorrectionWithdrawView.as_view(), name="correction-withdraw"),  # fmt: skip
    path("submissions/<int:pk>/recompute/", views_submissions.SubmissionRecomputeView.as_view(),
         name="submission-recompute"),  # fmt: skip
    path("submissions/<int:pk>/submit/", views_submissions.SubmissionSubmitView.as_view(),
         name="submission-submit"),  # fmt: skip
    path("submissions/<int:pk>/accept/", views_submissions.SubmissionAcceptView.as_view(),
         name="submission-accept"),  # fmt: skip
    path("submissions/<int:pk>/return/", views_submissions.SubmissionReturnView.as_view(),
         name="submission-return"),  # fmt: skip
    path("queue/", views_submissions.AcceptanceQueueView.as_view(), name="queue"),
    path("<str:code>/", views.ReportView.as_view(), name="report"),
    re_path(r"^(?P<code>[^/]+)/(?P<fmt>xlsx|docx|pdf)/$", views.ReportDownloadView.as_view(),
            name="download"),  # fmt: skip
]
