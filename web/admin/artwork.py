"""Posters and fanart as stored (scanner.models.Artwork): read-only, with the image."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from scanner.models import Artwork, ArtworkFetch
from web.admin.base import ReadOnlyAdmin
from web.artwork import artwork_url


@admin.register(Artwork)
class ArtworkAdmin(ReadOnlyAdmin):
    list_display = ("media", "kind", "image", "size", "fetched_at")
    list_filter = ("kind", "media__instance")
    list_select_related = ("media",)
    search_fields = ("media__title",)
    fields = ("media", "kind", "image", "size", "fetched_at")
    readonly_fields = ("image", "size")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Artwork]:
        return super().get_queryset(request).defer("data")  # the image comes from its view

    @admin.display(description=_("image"))
    def image(self, row: Artwork) -> SafeString:
        return format_html(
            '<img src="{}" alt="" width="{}" height="{}" class="taggarr-art-thumb">',
            artwork_url(row.media_id, row.kind, row.digest),
            row.width,
            row.height,
        )

    @admin.display(description=_("size"))
    def size(self, row: Artwork) -> str:
        return f"{row.width} by {row.height} pixels"


@admin.register(ArtworkFetch)
class ArtworkFetchAdmin(ReadOnlyAdmin):
    """Which image a worker fetches now, and the address that last failed with why: a
    missing poster's reason (it is asked for again when its address changes)."""

    list_display = ("media", "kind", "failed_at", "failure", "undecodable", "leased_until")
    list_filter = ("kind", "media__instance")
    list_select_related = ("media",)
    search_fields = ("media__title", "failure")
    raw_id_fields = ("media",)
