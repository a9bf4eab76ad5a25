"""Posters and fanart from Taggarr's own origin (img-src 'self' under the strict CSP):
the thumbnails a worker stored (scanner.models.Artwork), never the *arr's address or key.
Staff only, like every admin page; the address carries the image's digest, so a new
image is a new address and the browser may keep each one long."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from scanner.models import Artwork

KINDS = frozenset(Artwork.Kind.values)
CACHE_SECONDS = 7 * 24 * 3600


def artwork_url(media_id: int, kind: str, digest: str) -> str:
    """The image's address: ``/admin/artwork/12/poster?v=<digest's start>``."""
    return reverse("taggarr-artwork", args=[media_id, kind]) + f"?v={digest[:16]}"


@require_safe
def artwork_image(request: HttpRequest, media_id: int, kind: str) -> HttpResponse:
    if kind not in KINDS or media_id >= 2**31:  # past every id: no database is asked
        raise Http404("no such kind of image")
    if not request.user.has_perm("scanner.view_media"):
        raise Http404("no such image")  # one answer for "not yours" and "none"
    found = (
        Artwork.objects.filter(media_id=media_id, kind=kind)
        .values_list("digest", "content_type", "data")
        .first()
    )
    if found is None:
        raise Http404("no such image")
    digest, content_type, data = found
    etag = f'"{digest}"'
    if etag in _etags(request.headers.get("If-None-Match", "")):
        response: HttpResponse = HttpResponseNotModified()
    else:
        response = HttpResponse(bytes(data), content_type=content_type)
        response["Content-Length"] = str(len(data))
    response["ETag"] = etag
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, private=True, max_age=CACHE_SECONDS)
    return response


def _etags(header: str) -> set[str]:
    return {part.strip().removeprefix("W/") for part in header.split(",") if part.strip()}
