from __future__ import annotations

from django.db.models import Prefetch
from rest_framework import viewsets

from api.filters import MediaFilter
from api.serializers.media import MediaDetailSerializer, MediaSerializer
from api.views.base import PerActionMixin
from scanner.models import Media, MediaFile


class MediaViewSet(PerActionMixin, viewsets.ReadOnlyModelViewSet):
    """Shows and movies with their applied and planned tags; the detail has the
    seasons, files and the reasons of the verdict."""

    queryset = Media.objects.select_related("instance")
    serializer_class = MediaSerializer
    action_serializers = {"retrieve": MediaDetailSerializer}
    detail_prefetch = ("seasons", Prefetch("files", MediaFile.objects.select_related("season")))
    filterset_class = MediaFilter
    search_fields = ("title",)
    ordering_fields = (
        "title",
        "id",
        "last_scanned_at",
        "applied_tag",
        "planned_tag",
        "file_count",
        "error_file_count",
    )
    ordering = ("title", "id")
