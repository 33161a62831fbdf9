from django.urls import path, re_path

from canbo.jobs.lists import ListExportView

from . import leaders_views, record2c_batch, record2c_views, views

app_name = "people"

urlpatterns = [
    path("", views.PersonListView.as_view(), name="list"),
    path("new/", views.PersonFormView.as_view(), name="create"),
    path("export.xlsx", ListExportView.as_view(list_key="people"), name="list-xlsx"),
    path("2c.zip", record2c_batch.Record2CZipView.as_view(), name="list-2c-zip"),
    path("key-leaders/", leaders_views.KeyLeadersView.as_view(), name="key-leaders"),
    path("<int:pk>/", views.PersonDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.PersonFormView.as_view(), name="update"),
    path("<int:pk>/history/", views.PersonHistoryView.as_view(), name="history"),
    re_path(r"^(?P<pk>[0-9]+)/2c\.(?P<fmt>docx|pdf)$", record2c_views.Record2CView.as_view(),
            name="record-2c"),
    path("<int:pk>/<slug:kind>/add/", views.SectionView.as_view(), name="section-add"),
    path(
        "<int:pk>/<slug:kind>/<int:item_pk>/edit/",
        views.SectionView.as_view(),
        name="section-edit",
    ),
    path(
        "<int:pk>/<slug:kind>/<int:item_pk>/delete/",
        views.SectionView.as_view(deleting=True),
        name="section-delete",
    ),
]
