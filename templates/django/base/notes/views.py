"""Notes API. Queries are always scoped to the requesting user, so another user's
note is indistinguishable from a missing one (404, never 403)."""

from __future__ import annotations

from django.db.models import QuerySet
from rest_framework import generics
from rest_framework.serializers import BaseSerializer

from notes.models import Note
from notes.serializers import NoteSerializer


class OwnedNotesView(generics.GenericAPIView):
    serializer_class = NoteSerializer

    def get_queryset(self) -> QuerySet[Note]:
        return Note.objects.filter(owner=self.request.user).order_by("id")


class NoteListView(OwnedNotesView, generics.ListCreateAPIView):
    http_method_names = ("get", "post", "head")

    def perform_create(self, serializer: BaseSerializer[Note]) -> None:
        serializer.save(owner=self.request.user)


class NoteDetailView(OwnedNotesView, generics.RetrieveUpdateDestroyAPIView):
    # PATCH only: updates are partial, there is no PUT.
    http_method_names = ("get", "patch", "delete", "head")
