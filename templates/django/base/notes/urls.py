from django.urls import path

from notes.views import NoteDetailView, NoteListView

urlpatterns = [
    path("notes", NoteListView.as_view()),
    # A non-integer id matches no route: 404.
    path("notes/<int:pk>", NoteDetailView.as_view()),
]
