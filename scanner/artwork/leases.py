"""Which refresh fetches an image, and which addresses failed (ArtworkFetch rows).

A refresh takes a lease on the images it is about to fetch, with a token: one
``UPDATE … WHERE`` the lease is free (or already its own: a task delivered again keeps
its token), so of two refreshes over the same items (two runs' ends, webhooks one after
another) one fetches an image and the other skips it. The holder releases them when its
images are stored, and remembers the addresses that failed for good (a 404, bytes that
are no image): those are asked for again only when the address changes, or after
``RETRY_FAILED_AFTER`` (a 404 may be served later); bytes that did not decode (no image,
or one too costly to decode) only when the address or the folder file's fingerprint
changes: the same bytes are never decoded twice. A holder that died leaves its lease to
lapse (``LEASE``, scanner.leases.ARTWORK): the next scan's refresh takes the image.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from scanner.leases import ARTWORK, new_token, token_of
from scanner.models import ArtworkFetch

__all__ = ["LEASE", "Failure", "failed_sources", "new_token", "release", "take", "token_of"]

Key = tuple[int, str]  # (media id, kind)
LEASE = ARTWORK.length()  # declared once, with every kind's lease (scanner.leases)
RETRY_FAILED_AFTER = timedelta(days=7)
FAILURE_CHARS = 300


@dataclass(frozen=True)
class Failure:
    key: Key
    source: str
    reason: str
    undecodable: bool = False  # kept until the source changes, not only RETRY_FAILED_AFTER


def of_keys(keys: Iterable[Key]) -> Q:
    by_kind: dict[str, list[int]] = {}
    for media_id, kind in keys:
        by_kind.setdefault(kind, []).append(media_id)
    query = Q(pk__in=[])
    for kind, ids in by_kind.items():
        query |= Q(kind=kind, media_id__in=ids)
    return query


def failed_sources(media_ids: Iterable[int]) -> dict[Key, str]:
    """The addresses that failed for good and are not due again yet, by image."""
    since = timezone.now() - RETRY_FAILED_AFTER
    rows = (
        ArtworkFetch.objects.filter(media_id__in=list(media_ids))
        .filter(Q(failed_at__gt=since) | Q(undecodable=True))
        .exclude(failed_source="")
        .values_list("media_id", "kind", "failed_source")
    )
    return {(media_id, kind): source for media_id, kind, source in rows}


def take(keys: list[Key], token: int) -> set[Key]:
    """Lease the images of ``keys`` that nobody else holds; the keys now held."""
    if not keys:
        return set()
    ArtworkFetch.objects.bulk_create(
        [ArtworkFetch(media_id=media_id, kind=kind) for media_id, kind in keys],
        ignore_conflicts=True,
    )
    ARTWORK.take(token, of_keys(keys))
    held = ArtworkFetch.objects.filter(of_keys(keys), lease_token=token)
    return set(held.values_list("media_id", "kind"))


def release(token: int, failures: list[Failure]) -> None:
    """Give back the token's leases; an image fetched forgets its earlier failure, one in
    ``failures`` remembers its address."""
    ARTWORK.release(
        token,
        Q(),
        failed_source="",
        failed_at=None,
        failure="",
        undecodable=False,
    )
    if not failures:
        return
    now = timezone.now()
    ArtworkFetch.objects.bulk_create(
        [
            ArtworkFetch(
                media_id=failure.key[0],
                kind=failure.key[1],
                failed_source=failure.source,
                failed_at=now,
                failure=failure.reason[:FAILURE_CHARS],
                undecodable=failure.undecodable,
            )
            for failure in failures
        ],
        update_conflicts=True,
        unique_fields=["media", "kind"],
        update_fields=["failed_source", "failed_at", "failure", "undecodable"],
    )
