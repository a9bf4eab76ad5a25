"""Posters and fanart, kept small in the database: the web server and the workers may
run on different hosts and share nothing but PostgreSQL, so the thumbnails live where
both can read them. A worker fetches them after a scan (scanner.artwork); the web UI
serves them from Taggarr's own origin (web.artwork)."""

from __future__ import annotations

from django.db import models

from scanner.models.media import Media


class Artwork(models.Model):
    class Kind(models.TextChoices):
        POSTER = "poster", "poster"
        FANART = "fanart", "fanart"

    media = models.ForeignKey(Media, on_delete=models.CASCADE, related_name="artwork")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    data = models.BinaryField(help_text="The thumbnail, a JPEG Taggarr encoded itself.")
    content_type = models.CharField(max_length=40, default="image/jpeg")
    width = models.PositiveSmallIntegerField(default=0)
    height = models.PositiveSmallIntegerField(default=0)
    digest = models.CharField(max_length=64, help_text="SHA-256 of the thumbnail: its ETag.")
    source = models.CharField(
        max_length=1000,
        help_text="What the image was made from: the *arr's cover address with its "
        "lastWrite, or a folder file's name, size and time. Unchanged: not fetched again.",
    )
    fetched_at = models.DateTimeField()

    class Meta:
        verbose_name = "poster or fanart"
        verbose_name_plural = "posters and fanart"
        constraints = [
            models.UniqueConstraint(fields=["media", "kind"], name="artwork_one_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} of {self.media_id}"
