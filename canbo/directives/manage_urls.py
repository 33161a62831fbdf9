"""URLs of the pages that manage hearing schedules and monitoring groups."""

from django.urls import path

from . import manage_views as views

urlpatterns: list = [
    path("<int:pk>/hearings/slots/", views.SlotAddView.as_view(), name="slot-add"),
    path("slots/<int:pk>/remove/", views.SlotRemoveView.as_view(), name="slot-remove"),
    path("<int:pk>/hearings/invite/", views.InviteView.as_view(), name="invite"),
    path("invitations/<int:pk>/remove/", views.UninviteView.as_view(), name="uninvite"),
    path("groups/", views.GroupListView.as_view(), name="groups"),
    path("groups/add/", views.GroupFormView.as_view(), name="group-add"),
    path("groups/<int:pk>/", views.GroupView.as_view(), name="group"),
    path("groups/<int:pk>/edit/", views.GroupFormView.as_view(), name="group-edit"),
    path("groups/<int:pk>/delete/", views.GroupDeleteView.as_view(), name="group-delete"),
]
