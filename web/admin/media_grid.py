"""The media list as posters or as a table, as a person last chose (a cookie the
toggle's script sets, read here so the page is drawn right the first time: nothing
moves once it shows)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from django.db.models import OuterRef, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse

from scanner.models import Artwork, Media

if TYPE_CHECKING:
    from django.contrib import admin
    from django.template.response import _TemplateForResponseT  # django-stubs only

    _MediaAdmin = admin.ModelAdmin[Media]  # what the mixin's super() is (web/admin/base.py)
else:
    _MediaAdmin = object

VIEW_COOKIE = "taggarr_media_view"
VIEWS = ("table", "grid")


def chosen_view(request: HttpRequest) -> str:
    value = request.COOKIES.get(VIEW_COOKIE, "")
    return value if value in VIEWS else VIEWS[0]


class MediaGridMixin(_MediaAdmin):
    """For MediaAdmin: the list's template, its poster digests in one query, the view."""

    # ModelAdmin's declaration in django-stubs, so that MediaAdmin's two bases agree.
    change_list_template: ClassVar[_TemplateForResponseT | None] = (
        "admin/scanner/media/change_list.html"
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Media]:
        posters = Artwork.objects.filter(media=OuterRef("pk"), kind=Artwork.Kind.POSTER)
        queryset = super().get_queryset(request)
        return queryset.annotate(poster_digest=Subquery(posters.values("digest")[:1]))

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        context = {**(extra_context or {}), "media_view": chosen_view(request)}
        return super().changelist_view(request, context)
