"""Posters and fanart, kept small in the database: the web server and the workers may
run on different hosts and share nothing but PostgreSQL, so the thumbnails live where
both can read them. A worker fetches them after a scan (scanner.artwork); the web UI
serves them from Taggarr's own origin (web.artwork)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from scanner.models.media import Media


class Artwork(models.Model):
    class Kind(models.TextChoices):
        POSTER = "poster", _("poster")
        FANART = "fanart", _("fanart")

    media = models.ForeignKey(
        Media, on_delete=models.CASCADE, related_name="artwork", verbose_name=_("item")
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, verbose_name=_("kind"))
    data = models.BinaryField(
        verbose_name=_("image"), help_text=_("The thumbnail, a JPEG Taggarr encoded itself.")
    )
    content_type = models.CharField(
        max_length=40, default="image/jpeg", verbose_name=_("image type")
    )
    width = models.PositiveSmallIntegerField(default=0, verbose_name=_("width"))
    height = models.PositiveSmallIntegerField(default=0, verbose_name=_("height"))
    digest = models.CharField(
        max_length=64,
        verbose_name=_("fingerprint"),
        help_text=_("SHA-256 of the thumbnail: its ETag."),
    )
    source = models.CharField(
        max_length=1000,
        verbose_name=_("made from"),
        help_text=_(
            "What the image was made from: the *arr's cover address with its lastWrite, "
            "or a folder file's name, size and time. Unchanged: not fetched again."
        ),
    )
    fetched_at = models.DateTimeField(verbose_name=_("fetched"))

    class Meta:
        verbose_name = _("poster or fanart")
        verbose_name_plural = _("posters and fanart")
        constraints = [
            models.UniqueConstraint(fields=["media", "kind"], name="artwork_one_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} of {self.media_id}"


class ArtworkFetch(models.Model):
    """Who is fetching one image now, and the address that last failed: two refreshes
    (two runs' ends, webhooks one after another) never fetch the same image at once, and
    an image that does not decode is not asked for again at every scan
    (scanner.artwork.leases). Bookkeeping of the workers, shown read-only in the admin:
    why a poster is missing."""

    media = models.ForeignKey(
        Media, on_delete=models.CASCADE, related_name="+", verbose_name=_("item")
    )
    kind = models.CharField(max_length=10, choices=Artwork.Kind.choices, verbose_name=_("kind"))
    # The holder's token: only it may release the lease (a fencing token).
    lease_token = models.BigIntegerField(null=True, blank=True, verbose_name=_("lease token"))
    leased_until = models.DateTimeField(null=True, blank=True, verbose_name=_("leased until"))
    # The address (or folder file) that last failed, when, and why: tried again only
    # when the address changes or after scanner.artwork.leases.RETRY_FAILED_AFTER (an
    # undecodable image: only when it changes).
    failed_source = models.CharField(
        max_length=1000, blank=True, default="", verbose_name=_("failed address")
    )
    failed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("failed"))
    failure = models.CharField(max_length=300, blank=True, default="", verbose_name=_("last error"))
    # The bytes came but were no image Taggarr decodes (or one too costly to decode,
    # scanner.artwork.image_bounds): decoding them again gives the same, so they are not
    # fetched again until the address or the folder file changes, whatever the time.
    undecodable = models.BooleanField(
        default=False,
        verbose_name=_("undecodable"),
        help_text=_("Not fetched again until its address or file changes."),
    )

    class Meta:
        verbose_name = _("image fetch")
        verbose_name_plural = _("image fetches")
        constraints = [
            models.UniqueConstraint(fields=["media", "kind"], name="artwork_fetch_one_per_kind"),
        ]

    def __str__(self) -> str:
        return f"fetch of the {self.kind} of {self.media_id}"
