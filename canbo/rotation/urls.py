from django.urls import path

from . import views, views_figures, views_proposals

app_name = "rotation"

urlpatterns = [
    path("", views.RotationListView.as_view(), name="list"),
    path("new/", views.RotationCreateView.as_view(), name="create"),
    path("<int:pk>/", views.RotationDetailView.as_view(), name="detail"),
    path("<int:pk>/start/", views.RotationStartView.as_view(), name="start"),
    path("<int:pk>/end/", views.RotationEndView.as_view(), name="end"),
    path("plans/", views.PlanListView.as_view(), name="plans"),
    path("plans/new/", views.PlanCreateView.as_view(), name="plan-create"),
    path("plans/<int:pk>/", views.PlanDetailView.as_view(), name="plan-detail"),
    path("watch/", views.WatchView.as_view(), name="watch"),
    path("proposals/", views_proposals.ProposalsView.as_view(), name="proposals"),
    path("proposals/confirm/", views_proposals.ProposalConfirmView.as_view(),
         name="proposals-confirm"),  # fmt: skip
    # Figures and downloads (issue 15 items 5–6).
    path("figures/", views_figures.FiguresView.as_view(), name="figures"),
    path("watch.xlsx", views_figures.WatchXlsxView.as_view(), name="watch-xlsx"),
    path("plans/<int:pk>/xlsx/", views_figures.PlanExportView.as_view(fmt="xlsx"),
         name="plan-xlsx"),  # fmt: skip
    path("plans/<int:pk>/docx/", views_figures.PlanExportView.as_view(fmt="docx"),
         name="plan-docx"),  # fmt: skip
]
