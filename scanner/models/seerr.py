"""Overseerr / Jellyseerr (issue 72): the connection, its users linked to the household's
people, the webhook deliveries acted on, and each request or issue Taggarr follows."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from accounts import hashed_tokens
from scanner.models.household import Person
from scanner.models.media import Media
from scanner.models.secrets import LAST_FOUR, Secret


class SeerrConnection(models.Model):
    """One Seerr. Nothing of the feature runs until its test passed (``tested_at``): the
    webhook answers 409 and nothing is commented."""

    name = models.CharField(max_length=100, unique=True, verbose_name=_("name"))
    url = models.CharField(
        max_length=500, help_text=_("e.g. http://jellyseerr:5055"), verbose_name=_("URL")
    )
    api_key_encrypted = models.TextField(editable=False, verbose_name=_("encrypted API key"))
    api_key_last4 = models.CharField(
        max_length=4, blank=True, editable=False, verbose_name=_("API key (last 4)")
    )
    api_key = Secret("the API key of Seerr", hint=LAST_FOUR, address="url")
    webhook_token_encrypted = models.TextField(
        editable=False, verbose_name=_("encrypted webhook token")
    )
    webhook_token_hash = models.CharField(
        max_length=hashed_tokens.DIGEST_LENGTH,
        unique=True,
        editable=False,
        verbose_name=_("webhook token digest"),
    )
    webhook_token = Secret("the webhook token of Seerr", lookup="webhook_token_hash")
    if TYPE_CHECKING:  # what the Secrets add to the class (scanner.models.secrets)

        def get_api_key(self) -> str: ...
        def set_api_key(self, plaintext: str) -> None: ...
        def get_webhook_token(self) -> str: ...
        def set_webhook_token(self, plaintext: str) -> None: ...

        @property
        def api_key_hint(self) -> str: ...

    version = models.CharField(max_length=50, blank=True, editable=False, verbose_name=_("version"))
    # The API key's user (Seerr's user 1): the comments Taggarr makes are this user's, and
    # the ISSUE_COMMENT webhooks they cause are ignored by it.
    key_user_email = models.CharField(
        max_length=254, blank=True, editable=False, verbose_name=_("API key's user")
    )
    tested_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text=_("When its connection test last passed; off until then."),
        verbose_name=_("tested"),
    )
    enabled = models.BooleanField(default=True, verbose_name=_("enabled"))
    # The instances whose items its requests and issues are about: an approval naming an
    # item of another instance is ignored (scanner.actions.seerr_asks). New connections
    # serve every instance unless told otherwise; an instance added later, once ticked.
    instances = models.ManyToManyField(
        "scanner.Instance",
        blank=True,
        related_name="seerr_connections",
        verbose_name=_("instances served"),
        help_text=_(
            "The instances whose items this Seerr requests; a request or issue about an "
            "item of another instance is ignored. An instance added later is served once "
            "it is ticked here."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated"))

    class Meta:
        verbose_name = _("Seerr connection")
        verbose_name_plural = _("Seerr connections")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.webhook_token_hash:
            self.set_webhook_token(hashed_tokens.new_token())
        super().save(*args, **kwargs)

    @property
    def active(self) -> bool:
        return self.enabled and self.tested_at is not None


class SeerrUser(models.Model):
    """A Seerr user as Seerr lists them, and the person of the household they are: known
    by Seerr's user id and account kind (``userType``). Their ``email`` is Seerr's
    column of that name, whatever it holds: Jellyseerr stores a Jellyfin or Emby user's
    user name there (server/routes/user/index.ts, import-from-jellyfin)."""

    class Kind(models.IntegerChoices):
        """Seerr's UserType (server/constants/user.ts); Overseerr's users are Plex or
        local ones, Jellyseerr and Seerr 3 add Jellyfin and Emby."""

        PLEX = 1, _("Plex")
        LOCAL = 2, _("local")
        JELLYFIN = 3, _("Jellyfin")
        EMBY = 4, _("Emby")

    connection = models.ForeignKey(
        SeerrConnection, on_delete=models.CASCADE, related_name="users", verbose_name=_("Seerr")
    )
    seerr_id = models.PositiveIntegerField(verbose_name=_("Seerr user id"))
    email = models.CharField(
        max_length=254,
        help_text=_(
            "As Seerr holds it: an e-mail address, or the user name of a Jellyfin or Emby "
            "user that Jellyseerr imported."
        ),
        verbose_name=_("e-mail"),
    )
    display_name = models.CharField(max_length=200, verbose_name=_("name"))
    user_type = models.PositiveSmallIntegerField(
        null=True, blank=True, editable=False, choices=Kind.choices, verbose_name=_("account")
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="seerr_users",
        verbose_name=_("person"),
    )
    may_report_issues = models.BooleanField(
        null=True,
        blank=True,
        editable=False,
        verbose_name=_("may report issues"),
        # Seerr's own label of the permission, as its catalog names it (PermissionEdit).
        help_text=format_lazy(
            _(
                "Seerr's “{permission}” permission, read at the connection test. Without "
                "it, Taggarr opens the issue for their request itself and Seerr does not tell "
                "them of its answers; a notifier of their own does."
            ),
            permission=_("Report Issues"),
        ),
    )

    class Meta:
        verbose_name = _("Seerr user")
        verbose_name_plural = _("Seerr users")
        ordering = ["connection", "display_name"]
        constraints = [
            models.UniqueConstraint(fields=["connection", "seerr_id"], name="seerr_user_unique"),
        ]

    def __str__(self) -> str:
        return self.display_name


class SeerrDelivery(models.Model):
    """A webhook body acted on, by its digest: the same body again does nothing twice."""

    connection = models.ForeignKey(
        SeerrConnection,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name=_("Seerr"),
    )
    digest = models.CharField(max_length=hashed_tokens.DIGEST_LENGTH, verbose_name=_("digest"))
    notification_type = models.CharField(max_length=40, verbose_name=_("notification type"))
    received_at = models.DateTimeField(auto_now_add=True, verbose_name=_("received"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["connection", "digest"], name="seerr_delivery_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.notification_type} #{self.pk}"


class SeerrAsk(models.Model):
    """A request or an Audio issue Taggarr follows for one person's language, until it is
    met (``said`` keeps the last standing Seerr took, so each change is told once)."""

    class Kind(models.TextChoices):
        REQUEST = "request", _("request")
        ISSUE = "issue", _("audio issue")

    class Told(models.TextChoices):
        """Where the item stood when it was last told (scanner.seerr.heard's states)."""

        PRESENT = "present", _("in the library")
        PARTIAL = "partial", _("in some files only")
        UNKNOWN = "unknown", _("its variety unnamed")
        OTHER = "other", _("only another variety")
        ABSENT = "absent", _("not in the library")
        NO_FILES = "no_files", _("no file yet")

    connection = models.ForeignKey(
        SeerrConnection, on_delete=models.CASCADE, related_name="asks", verbose_name=_("Seerr")
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, verbose_name=_("kind"))
    media_type = models.CharField(max_length=10, verbose_name=_("type"))
    tmdb_id = models.PositiveIntegerField(null=True, blank=True, verbose_name=_("TMDb id"))
    tvdb_id = models.PositiveIntegerField(null=True, blank=True, verbose_name=_("TVDB id"))
    media = models.ForeignKey(
        Media,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="seerr_asks",
        verbose_name=_("item"),
    )
    asker = models.ForeignKey(
        SeerrUser,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="asks",
        verbose_name=_("asked by"),
    )
    asker_email = models.CharField(max_length=254, verbose_name=_("asked by"))
    language = models.CharField(max_length=35, blank=True, verbose_name=_("language"))
    # What a series ask is answered for: a request's seasons (GET /request/:id, its
    # SeasonRequest rows), an issue's season (GET /issue/:id, problemSeason); [] the whole
    # item (a movie, an issue about every season); None not read from Seerr yet.
    seasons = models.JSONField(null=True, blank=True, verbose_name=_("seasons"))
    request_id = models.PositiveIntegerField(null=True, blank=True, verbose_name=_("request"))
    issue_id = models.PositiveIntegerField(null=True, blank=True, verbose_name=_("issue"))
    available = models.BooleanField(
        default=False, help_text=_("Seerr said it is available."), verbose_name=_("available")
    )
    said = models.CharField(
        max_length=20, blank=True, choices=Told.choices, verbose_name=_("last told")
    )
    searched = models.BooleanField(default=False, verbose_name=_("searched"))
    # Set while Taggarr opens an Audio issue as the asker (X-API-User), before the POST:
    # Seerr's ISSUE_CREATED for it may come before the answer, and is then known as
    # Taggarr's own (scanner.actions.seerr_asks).
    opening_since = models.DateTimeField(
        null=True, blank=True, verbose_name=_("opening an issue since")
    )
    # Set while a worker tells Seerr of a change (scanner.seerr.follow.answer): a lease,
    # so that one worker tells it, and one killed mid-answer leaves it to the next.
    telling_since = models.DateTimeField(
        null=True, blank=True, verbose_name=_("telling Seerr since")
    )
    # When Seerr last took what Taggarr told (scanner.notify: an arrival told to the
    # asker by this answer is not told again by the run's dub news).
    told_at = models.DateTimeField(null=True, blank=True, verbose_name=_("last answered"))
    # How many of Taggarr's messages on the ask Seerr took: each carries its number in a
    # marker (scanner.seerr.marker), read back before the next one is posted, so that one
    # whose answer never came (a timeout, a killed worker) is not posted again.
    tellings = models.PositiveIntegerField(default=0, verbose_name=_("messages taken"))
    # The standing of the message in flight (set with its claim, kept while Seerr's
    # answer is unknown): what was said when its marker is found.
    telling_state = models.CharField(
        max_length=20, blank=True, choices=Told.choices, verbose_name=_("being told")
    )
    # Seerr's refusals in a row (not its silences): past a bound the ask is given up.
    refusals = models.PositiveSmallIntegerField(default=0, verbose_name=_("refusals"))
    refused_since = models.DateTimeField(null=True, blank=True, verbose_name=_("refused since"))
    done = models.BooleanField(default=False, verbose_name=_("done"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated"))

    class Meta:
        verbose_name = _("Seerr ask")
        verbose_name_plural = _("Seerr asks")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["media", "done"])]
        constraints = [
            # One ask per Seerr request, and per Audio issue, whatever else a webhook says.
            models.UniqueConstraint(
                fields=["connection", "request_id"],
                condition=models.Q(kind="request", request_id__isnull=False),
                name="seerr_ask_one_per_request",
            ),
            models.UniqueConstraint(
                fields=["connection", "issue_id"],
                condition=models.Q(kind="issue", issue_id__isnull=False),
                name="seerr_ask_one_per_issue",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"
