"""A person's word on the languages wanted for one item (issue 62; the admin, the API and
the bulk action call this): as the instance (the default), original only (no dub wanted:
no dub tags expected, no missing-dub search, no news; its subtitle tags still written),
or its own target list (engine.targets.wanted_targets is the one rule).

The word is kept across scans with who chose it and when (``Media.wanted``,
``wanted_targets``, ``wanted_by``, ``wanted_at``); the verdict, coverage, tags and news
follow at once from the stored tracks, without probing, as for the original-language
override; the admin and the API then write the tags at once (scanner.actions.write_now).
Each change is an event.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from scanner.engine.targets import AS_INSTANCE, ORIGINAL_ONLY, OWN_LIST, target_name
from scanner.models import Event, Media
from scanner.models.choice_events import WANTED_LANGUAGES
from scanner.models.choices import Via
from scanner.pipeline.scanning.decide import redecide
from scanner.validators import clean_targets

MAX_CODE = 35  # characters of one language given (a BCP-47 tag is shorter)
MAX_LANGUAGES = 20  # an item's own targets
# The events' data key (scanner.history.wanted_text tells it in the reader's language): the
# choice as the API gives it, None, "original" or a list of targets.
EVENT_KEY = WANTED_LANGUAGES

Wanted = tuple[str, list[str]]  # (Media.wanted, Media.wanted_targets)


def clean_wanted(value: object) -> Wanted:
    """``None`` (as the instance), ``"original"`` (original only) or a list of language
    codes (its own targets; regional ones such as ``fr-CA`` kept; an empty list is
    original only) as stored. Raises ValidationError for anything else."""
    if value is None:
        return AS_INSTANCE, []
    if value == ORIGINAL_ONLY:
        return ORIGINAL_ONLY, []
    if not isinstance(value, list):
        raise ValidationError(
            _('give null (as the instance), "original" (original only) or a list of languages')
        )
    if len(value) > MAX_LANGUAGES:
        raise ValidationError(_("too many languages"))
    if any(not isinstance(code, str) or len(code) > MAX_CODE for code in value):
        raise ValidationError(_("give a list of language codes such as ['en', 'de']"))
    if not value:
        return ORIGINAL_ONLY, []
    return OWN_LIST, clean_targets(value)


def wanted_value(media: Media) -> str | list[str] | None:
    """The item's choice as the API gives it (the inverse of ``clean_wanted``)."""
    if media.wanted == ORIGINAL_ONLY:
        return ORIGINAL_ONLY
    if media.wanted == OWN_LIST:
        return list(media.targets_own)
    return None


def set_wanted(media: Media, wanted: Wanted, *, user: str, via: Via) -> bool:
    """Stores the choice (as ``clean_wanted`` made it) and decides the item again; False
    when nothing changed."""
    mode, own = wanted
    own = own if mode == OWN_LIST else []
    if mode == media.wanted and own == list(media.targets_own):
        return False
    media.wanted, media.wanted_targets = mode, own
    media.wanted_by, media.wanted_at = (user, timezone.now()) if mode else ("", None)
    media.save(update_fields=["wanted", "wanted_targets", "wanted_by", "wanted_at", "updated_at"])
    redecide(media)
    Event.objects.create(
        instance=media.instance,
        media=media,
        kind=Event.Kind.CONFIG,
        message=f"{media.title}: wanted languages {_english(mode, own)} by {user} ({via})"[:2000],
        data={EVENT_KEY: wanted_value(media), "user": user, "via": via},
    )
    return True


def _english(mode: str, own: list[str]) -> str:
    if mode == ORIGINAL_ONLY:
        return "set to original only"
    if mode == OWN_LIST:
        return "set to " + ", ".join(map(target_name, own))
    return "set to the instance's"
