"""Media servers (Jellyfin, Emby, Plex) the tags of some instances are also written to."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from scanner import validators
from scanner.models import choices
from scanner.models.instances import Instance
from scanner.models.secrets import LAST_FOUR, Secret


class MediaServer(models.Model):
    """A Jellyfin, Emby or Plex server the tags of some instances are also written to
    (Jellyfin and Emby item tags, Plex labels). The token is encrypted at rest and
    write-only: only a hint is ever shown."""

    Kind = choices.MediaServerKind

    name = models.CharField(max_length=100, unique=True, verbose_name=_("name"))
    kind = models.CharField(
        max_length=10, choices=Kind.choices, default=Kind.JELLYFIN, verbose_name=_("kind")
    )
    url = models.CharField(
        max_length=500,
        help_text=_("e.g. http://jellyfin:8096 or http://plex:32400"),
        verbose_name=_("URL"),
    )
    token_encrypted = models.TextField(editable=False, verbose_name=_("encrypted token"))
    token_last4 = models.CharField(
        max_length=4, blank=True, editable=False, verbose_name=_("token (last 4)")
    )
    token = Secret("the token of media server", hint=LAST_FOUR, address="url")
    if TYPE_CHECKING:  # what the Secret adds to the class (scanner.models.secrets)

        def get_token(self) -> str: ...
        def set_token(self, plaintext: str) -> None: ...

        @property
        def token_hint(self) -> str: ...

    instances = models.ManyToManyField(
        Instance,
        blank=True,
        related_name="media_servers",
        help_text=_("The instances whose tags this server gets."),
        verbose_name=_("instances"),
    )
    path_mappings = models.JSONField(
        default=list,
        blank=True,
        help_text=_(
            'The server\'s folders as Taggarr sees them: [{"remote": "/media/tv" (the '
            'server\'s), "local": "/mnt/media/tv" (Taggarr\'s)}]'
        ),
        verbose_name=_("path mappings"),
    )
    libraries = models.JSONField(
        default=list,
        blank=True,
        help_text=_("Library names to write in; empty: every library."),
        verbose_name=_("libraries"),
    )
    write_tags = models.BooleanField(
        verbose_name=_("write tags"),
        default=True,
        help_text=_("Set Taggarr's tags (Plex: labels) on the server's items directly."),
    )
    refresh_after_nfo = models.BooleanField(
        verbose_name=_("refresh after NFO writes"),
        default=False,
        help_text=_(
            "Ask the server to refresh each item whose NFO Taggarr changed, so that "
            "it reads the NFO's tags (Jellyfin and Emby with the NFO metadata reader on; Plex "
            "reads no NFO). A refresh may replace tags that are only on the server."
        ),
    )
    set_person_tracks = models.BooleanField(
        verbose_name=_("set each person's track"),
        default=False,
        help_text=_(
            "Plex: set the audio and subtitle track of each household member's account, "
            "after each scan. Off: a dry run that only counts what would be set."
        ),
    )
    write_badges = models.BooleanField(
        verbose_name=_("dub badges on posters"),
        default=True,
        help_text=_(
            "When the instance draws dub badges, draw them on the posters of its items and "
            "seasons on this server too (the instance's option decides whether)."
        ),
    )
    enabled = models.BooleanField(default=True, verbose_name=_("enabled"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated"))

    class Meta:
        verbose_name = _("media server")
        verbose_name_plural = _("media servers")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def _sets_tracks(self) -> bool:
        """Each person's track is set on Plex only (its per-user selected streams)."""
        return self.set_person_tracks and self.kind == self.Kind.PLEX

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        for field, cleaner in (
            ("url", validators.clean_arr_url),
            ("path_mappings", validators.clean_path_mappings),
            ("libraries", validators.clean_genres),  # names: a list of non-empty strings
        ):
            try:
                setattr(self, field, cleaner(getattr(self, field)))
            except ValidationError as exc:
                errors[field] = exc.messages
        if self.refresh_after_nfo and self.kind == self.Kind.PLEX:
            errors["refresh_after_nfo"] = [
                gettext("Plex reads no NFO file: write its labels instead.")
            ]
        elif not (self.write_tags or self.refresh_after_nfo or self._sets_tracks()):
            errors["write_tags"] = [
                gettext(
                    "Write tags, refresh after NFO writes, set each person's track, or "
                    "more than one (to pause the server, turn off enabled)."
                )
            ]
        if self.set_person_tracks and self.kind != self.Kind.PLEX:
            # Jellyfin and Emby take no track per user from another program: each user's
            # own playback settings pick it (docs/media-servers.md).
            errors["set_person_tracks"] = [
                gettext(
                    "Only Plex lets Taggarr set each person's track: Jellyfin and Emby pick "
                    "it by each user's own settings, and the person's page says which to choose."
                )
            ]
        if errors:
            raise ValidationError(errors)


class ServerOriginal(models.Model):
    """The original language Taggarr last set on an item of a Jellyfin 12 server (issue
    70; scanner.media_servers.writes.originals): Taggarr replaces only that value, never
    one a person, a metadata provider or another program set."""

    server = models.ForeignKey(
        MediaServer,
        on_delete=models.CASCADE,
        related_name="originals",
        verbose_name=_("media server"),
    )
    media = models.ForeignKey(
        "scanner.Media",
        on_delete=models.CASCADE,
        related_name="server_originals",
        verbose_name=_("item"),
    )
    language = models.CharField(
        max_length=3,
        verbose_name=_("original language"),
        help_text=_("As the server stores it (two letters where the language has them)."),
    )

    class Meta:
        verbose_name = _("original language set on a media server")
        verbose_name_plural = _("original languages set on media servers")
        constraints = [
            models.UniqueConstraint(fields=["server", "media"], name="server_original_once")
        ]

    def __str__(self) -> str:
        return f"{self.server_id}/{self.media_id}: {self.language}"


class ServerItemLink(models.Model):
    """Which item of a media server is which Taggarr item, as the last listing of the
    server matched them (scanner.media_servers.matching): what the acts that write to one
    item of the server at a time (the dub badges) address it by. One Taggarr item may be
    several server items (the same show in two libraries)."""

    server = models.ForeignKey(
        MediaServer,
        on_delete=models.CASCADE,
        related_name="item_links",
        verbose_name=_("media server"),
    )
    media = models.ForeignKey(
        "scanner.Media",
        on_delete=models.CASCADE,
        related_name="server_links",
        verbose_name=_("item"),
    )
    item_id = models.CharField(max_length=100, verbose_name=_("server's item id"))
    # The server's season item of the series (its number); None: the series or film.
    season = models.PositiveSmallIntegerField(null=True, blank=True, verbose_name=_("season"))
    seen_at = models.DateTimeField(auto_now=True, verbose_name=_("last seen"))

    class Meta:
        verbose_name = _("media server item")
        verbose_name_plural = _("media server items")
        constraints = [
            models.UniqueConstraint(
                fields=["server", "media", "item_id"], name="server_item_link_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.server_id}/{self.media_id}: {self.item_id}"
