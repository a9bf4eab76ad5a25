from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets

from api.filters import MediaFilter
from api.language import ReaderLanguageMixin
from api.serializers.media import (
    MediaDecidedSerializer,
    MediaDetailSerializer,
    MediaEditSerializer,
    MediaSerializer,
)
from api.views.base import PerActionMixin
from scanner.models import Media, MediaFile


# The PATCH answers with the item's detail and the run that writes its tags now
# (MediaEditSerializer.to_representation).
@extend_schema_view(partial_update=extend_schema(responses=MediaDecidedSerializer))
class MediaViewSet(
    ReaderLanguageMixin,
    PerActionMixin[Media],
    mixins.UpdateModelMixin,
    viewsets.ReadOnlyModelViewSet[Media],
):
    """Shows and movies with their applied and planned tags; the detail has the
    seasons, files and the reasons of the verdict. ``PATCH`` sets or clears what a
    person sets: the original-language override and the settled varieties."""

    http_method_names = ["get", "patch", "head", "options"]
    queryset = Media.objects.select_related("instance")
    serializer_class = MediaSerializer
    action_serializers = {
        "retrieve": MediaDetailSerializer,
        "partial_update": MediaEditSerializer,
    }
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
    keyset_pagination = True  # ?cursor= (api.pagination.KeysetPagination, issue 83)

    def get_queryset(self) -> QuerySet[Media]:
        queryset = super().get_queryset()
        if self.action == "list":
            return queryset.defer(*Media.LIST_DEFERRED)  # issue 83: never shown in a list
        return queryset
