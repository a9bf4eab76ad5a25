"""The dub badges previewed on an item's poster (issue 95: a preview before anything is
written), drawn from the poster Taggarr keeps (scanner.models.Artwork) with what the item
is dubbed in (scanner.badges): nothing is written anywhere, nothing is asked of a server.
Staff who may view items, as every poster (web.artwork); the address carries the poster's
and the badges' digests, so a new poster or a new dub is a new address."""

from __future__ import annotations

import hashlib

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from scanner.badges.draw import PosterRefused, Style, draw
from scanner.badges.says import Badge, digest
from scanner.badges.style import badges, style
from scanner.models import Artwork, Media
from web.artwork import etags


def item_badges(media: Media) -> tuple[Badge, ...]:
    """What the item's badges say: its dubs, as decided, in the order of its targets (and
    the original's and the subtitles' when its instance asks for them)."""
    return badges(media)


def look(media: Media) -> Style:
    """The look the item's instance asks for: its badges' corner, size and look."""
    return style(media)


def preview_url(media: Media, poster_digest: str) -> str:
    """The preview's address: its poster's digest and its badges' make it new."""
    said = digest(item_badges(media), look(media))
    version = hashlib.sha256(f"{poster_digest}:{said}".encode()).hexdigest()[:16]
    return reverse("taggarr-badges-preview", args=[media.pk]) + f"?v={version}"


@require_safe
def badges_image(request: HttpRequest, media_id: int) -> HttpResponse:
    if media_id >= 2**31 or not request.user.has_perm("scanner.view_media"):
        raise Http404("no such image")  # one answer for "not yours" and "none"
    fields = (
        "pk", "language_verdicts", "verdict_reasons", "subtitle_verdicts", "original_language",
        "original_override",
    )  # fmt: skip
    options = (
        "instance__badges_corner", "instance__badges_size", "instance__badges_look",
        "instance__badges_original", "instance__badges_subtitles",
    )  # fmt: skip
    rows = Media.objects.filter(pk=media_id).select_related("instance")
    media = rows.only(*fields, *options).first()
    poster = (
        Artwork.objects.filter(media_id=media_id, kind=Artwork.Kind.POSTER)
        .values_list("digest", "data")
        .first()
    )
    if media is None or poster is None:
        raise Http404("no such image")
    poster_digest, data = poster
    badges = item_badges(media)
    etag = '"{}"'.format(
        hashlib.sha256(f"{poster_digest}:{digest(badges, look(media))}".encode()).hexdigest()
    )
    if etag in etags(request.headers.get("If-None-Match", "")):
        response: HttpResponse = HttpResponseNotModified()
    else:
        try:
            drawn = draw(bytes(data), badges, look(media))
        except PosterRefused as exc:
            raise Http404("no poster to draw on") from exc
        response = HttpResponse(drawn, content_type=image_type(drawn))
        response["Content-Length"] = str(len(drawn))
    response["ETag"] = etag
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, private=True, no_cache=True)
    return response


def image_type(data: bytes) -> str:
    """The drawn poster's type, from its first bytes (draw keeps the poster's format)."""
    if data.startswith(b"\x89PNG"):
        return "image/png"
    if data[8:12] == b"WEBP":
        return "image/webp"
    return "image/jpeg"
