"""Posters and fanart as stored (scanner.models.Artwork): read-only, with the image."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from scanner.models import Artwork
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
