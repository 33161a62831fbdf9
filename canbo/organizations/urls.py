from django.urls import path

from canbo.jobs.lists import ListExportView

from . import views

app_name = "organizations"

urlpatterns = [
    path("", views.UnitTreeView.as_view(), name="unit-tree"),
    path("<int:pk>/", views.UnitDetailView.as_view(), name="unit-detail"),
    path("<int:pk>/children/", views.UnitChildrenView.as_view(), name="unit-children"),
    path("<int:pk>/history/", views.UnitHistoryView.as_view(), name="unit-history"),
    path("<int:pk>/positions.xlsx", ListExportView.as_view(list_key="unit-positions"),
         name="unit-positions-xlsx"),
    path("suggest/", views.UnitSuggestView.as_view(), name="unit-suggest"),
    path("pick/", views.UnitPickView.as_view(), name="unit-pick"),
    path("areas/search/", views.AreaSearchView.as_view(), name="area-search"),
]
