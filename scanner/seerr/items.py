"""The item a Seerr ask is about (issue 72) and the languages it gives it: matched by its
TMDb/TVDB id among the enabled instances, and given the asker's person's languages
unless a person chose them (then kept, and said); the item's quality profile then follows
them at once (issue 82, scanner.seerr.profiles)."""

from __future__ import annotations

from django.utils import timezone

from scanner.engine.targets import OWN_LIST
from scanner.models import Media, Person, SeerrConnection, SeerrUser
from scanner.models import event_data as codes
from scanner.pipeline.scanning.decide import redecide
from scanner.seerr.events import record
from scanner.seerr.profiles import follow_ask
from scanner.validators import clean_targets

SEERR_BY = "Seerr"  # wanted_by of languages a request set: "Seerr (alice)"


def match(
    media_type: str,
    tmdb_id: int | None,
    tvdb_id: int | None,
    served: SeerrConnection | None = None,
) -> Media | None:
    """The item of an enabled instance with this id: a movie by its TMDb id, a series by
    its TVDB id (Sonarr's), else its TMDb id; among the instances ``served`` serves when
    given. None when no instance has it."""
    items = Media.objects.filter(instance__enabled=True).select_related("instance")
    if served is not None:
        items = items.filter(instance__seerr_connections=served)
    if media_type == "movie":
        found = items.filter(kind=Media.Kind.MOVIE, tmdb_id=tmdb_id) if tmdb_id else items.none()
    elif tvdb_id:
        found = items.filter(kind=Media.Kind.SERIES, tvdb_id=tvdb_id)
    else:
        found = items.filter(kind=Media.Kind.SERIES, tmdb_id=tmdb_id) if tmdb_id else items.none()
    return found.order_by("pk").first()


def give_languages(
    media: Media, person: Person, user: SeerrUser | None, *, issue: bool = False
) -> None:
    """The asker's languages become the item's, unless a person chose them; ``issue``:
    asked by an Audio issue, not a request (its events say so). Once they are the
    item's, its quality profile follows them (planned now: before the *arr's first
    search when it comes after)."""
    if media.wanted and not media.wanted_by.startswith(SEERR_BY):
        record(
            media,
            f"Seerr: {media.title}'s wanted languages were chosen by {media.wanted_by}: kept",
            {
                "what": codes.SEERR_WANTED_KEPT_ISSUE if issue else codes.SEERR_WANTED_KEPT,
                "title": media.title,
                "user": media.wanted_by,
            },
        )
        return
    name = user.display_name if user is not None else person.name
    own = clean_targets(person.languages)
    asked_by = f"{SEERR_BY} ({name})"[:150]
    if media.wanted == OWN_LIST and list(media.targets_own) == own:
        follow_ask(media, asked_by)
        return
    # As scanner.actions.wanted_languages.set_wanted stores a person's choice (that module
    # sends work, which this one, run by a task, may not import).
    media.wanted, media.wanted_targets = OWN_LIST, own
    media.wanted_by, media.wanted_at = asked_by, timezone.now()
    media.save(update_fields=["wanted", "wanted_targets", "wanted_by", "wanted_at", "updated_at"])
    redecide(media)
    asked = "reported an Audio issue on" if issue else "requested"
    record(
        media,
        f"Seerr: {name} {asked} {media.title}: its wanted languages are {person.name}'s",
        {
            "what": codes.SEERR_WANTED_ISSUE if issue else codes.SEERR_WANTED,
            "title": media.title,
            "person": person.name,
        },
    )
    follow_ask(media, asked_by)
