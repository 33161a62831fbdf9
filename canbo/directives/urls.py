from django.urls import path

from canbo.jobs.lists import ListExportView

from . import attachments, document_views, edit_urls, manage_urls, views

app_name = "directives"

urlpatterns = [
    path("", views.DirectiveListView.as_view(), name="list"),
    path("assignments/", views.AssignmentListView.as_view(), name="assignments"),
    path("assignments/export.xlsx", ListExportView.as_view(list_key="assignments"), name="assignments-xlsx"),
    path("assignments/<int:pk>/", views.AssignmentView.as_view(), name="assignment"),
    path("assignments/<int:pk>/notes/", views.AssignmentNoteView.as_view(), name="note-add"),
    path("invitations/<int:pk>/book/", views.HearingBookView.as_view(), name="hearing-book"),
    path("todo/", views.TodoView.as_view(), name="todo"),
    path("notes/<int:pk>/file/", attachments.NoteFileView.as_view(), name="note-file"),
    path("<int:pk>/file/", attachments.DirectiveFileView.as_view(), name="directive-file"),
    path("<int:pk>/", views.DirectiveDetailView.as_view(), name="detail"),
    path(
        "<int:pk>/report.docx",
        document_views.ProgressReportView.as_view(fmt="docx"),
        name="report-docx",
    ),
    path(
        "<int:pk>/report.xlsx",
        document_views.ProgressReportView.as_view(fmt="xlsx"),
        name="report-xlsx",
    ),
] + edit_urls.urlpatterns + manage_urls.urlpatterns
