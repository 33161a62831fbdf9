"""URLs of the pages that write directives and tasks (create, edit, assign)."""

from django.urls import path

from . import edit_views

urlpatterns: list = [
    path("add/", edit_views.DirectiveAddView.as_view(), name="directive-add"),
    path("<int:pk>/edit/", edit_views.DirectiveEditView.as_view(), name="directive-edit"),
    path("<int:pk>/tasks/add/", edit_views.TaskAddView.as_view(), name="task-add"),
    path("tasks/<int:pk>/edit/", edit_views.TaskEditView.as_view(), name="task-edit"),
    path("tasks/<int:pk>/assign/", edit_views.TaskAssignView.as_view(), name="task-assign"),
    path("assignments/<int:pk>/remove/", edit_views.AssignmentRemoveView.as_view(),
         name="assignment-remove"),  # fmt: skip
]
