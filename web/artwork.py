"""Posters and fanart from Taggarr's own origin (img-src 'self' under the strict CSP):
the thumbnails a worker stored (scanner.models.Artwork), never the *arr's address or key.
Staff only, like every admin page; the address carries the image's digest, so a new
image is a new address. The browser keeps a copy but asks each time it shows it
(``private, no-cache``): a signed-out browser, or one whose person lost the permission,
shows none from its cache; the question is cheap (the ETag and Last-Modified: a 304)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.http import http_date, parse_http_date_safe
from django.views.decorators.http import require_safe

from scanner.models import Artwork

KINDS = frozenset(Artwork.Kind.values)


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
        .values_list("digest", "content_type", "data", "fetched_at")
        .first()
    )
    if found is None:
        raise Http404("no such image")
    digest, content_type, data, fetched_at = found
    etag = f'"{digest}"'
    modified = int(fetched_at.timestamp())
    if _unchanged(request, etag, modified):
        response: HttpResponse = HttpResponseNotModified()
    else:
        response = HttpResponse(bytes(data), content_type=content_type)
        response["Content-Length"] = str(len(data))
    response["ETag"] = etag
    response["Last-Modified"] = http_date(modified)
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, private=True, no_cache=True)
    return response


def _unchanged(request: HttpRequest, etag: str, modified: int) -> bool:
    """The browser's copy is this one: its ETag, or (none sent) its date (RFC 9110
    13.1.3: If-Modified-Since is ignored when If-None-Match is present)."""
    matches = request.headers.get("If-None-Match")
    if matches is not None:
        return etag in etags(matches)
    since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
    return since is not None and modified <= since


def etags(header: str) -> set[str]:
    return {part.strip().removeprefix("W/") for part in header.split(",") if part.strip()}
