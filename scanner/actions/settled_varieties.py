"""A person's word on an item's tracks of unknown variety (issue 60; the admin and the
API call this): "its French tracks whose variety no source names are fr-CA", or "are
none of the regional targets" (``NOT``). Where such a track decided a regional target,
the item is listed (``Media.variety_unknown``) for a person to settle it once.

The word is kept across scans (``Media.settled_varieties``) and applied when judging
(scanner.engine.file_varieties.settle_varieties); the verdict, coverage, tags and the
flag are decided again at once from the stored tracks, without probing, as for the
original-language override; the admin and the API then write them at once
(scanner.actions.write_now). Each change is an event.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from scanner.engine.languages import language_name
from scanner.engine.target_aliases import read_language, typed_target
from scanner.engine.targets import is_regional, settled_language, target_name
from scanner.engine.varieties import NOT
from scanner.language_names import readers_locale
from scanner.models import Event, Instance, Media
from scanner.models.choice_events import SETTLED_VARIETY
from scanner.models.choices import Via
from scanner.pipeline.scanning.decide import redecide

MAX_CODE = 35  # characters of a language or variety given (a BCP-47 tag is shorter)
MAX_LANGUAGES = 20  # languages settled in one request
# The events' data key (scanner.history.event_text tells it in the reader's language).
EVENT_KEY = SETTLED_VARIETY


def regional_choices(instance: Instance, media: Media | None = None) -> dict[str, list[str]]:
    """Per language (``fra``), the instance's regional targets of it (``fr-CA``), in
    the order the instance lists them, then the item's own (Media.wanted_targets): what
    a person may settle its tracks as."""
    choices: dict[str, list[str]] = {}
    own = media.targets_own if media is not None else ()
    for target in dict.fromkeys([*(instance.target_languages or []), *own]):
        if isinstance(target, str) and is_regional(target):
            choices.setdefault(settled_language(target), []).append(target)
    return choices


def undecided(media: Media) -> list[str]:
    """The languages whose tracks of unknown variety decided one of the item's regional
    targets (its verdict's ``variety_unknown``), each once, in order."""
    reasons = media.verdict_reasons if isinstance(media.verdict_reasons, dict) else {}
    found: list[str] = []
    for target in reasons.get("variety_unknown") or []:
        if isinstance(target, str) and is_regional(target):
            language = settled_language(target)
            if language not in found:
                found.append(language)
    return found


def clean_settlements(
    instance: Instance, values: object, media: Media | None = None
) -> dict[str, str]:
    """``{language: variety}`` as stored, from a person's input: a language (any form the
    one reader reads, engine.target_aliases: ``fr``, ``fra``, ``French``, ``français``)
    of one of the instance's regional targets, mapped to one of its regional targets of
    that language (any case or name: ``fr-ca``, ``VFQ``), to ``"not"``
    (none of them), or to ``None`` / ``""`` (forget the word: ``""`` in the answer).
    Raises ValidationError for anything else."""
    if not isinstance(values, Mapping):
        raise ValidationError(_('give an object such as {"fra": "fr-CA"}'))
    if len(values) > MAX_LANGUAGES:
        raise ValidationError(_("too many languages"))
    choices = regional_choices(instance, media)
    cleaned: dict[str, str] = {}
    for key, value in values.items():
        language = (
            read_language(key, readers_locale())
            if isinstance(key, str) and len(key) <= MAX_CODE
            else None
        )
        if language is None or language not in choices:
            raise ValidationError(
                _("%(language)s is not the language of a regional target of the instance"),
                params={"language": str(key)[:MAX_CODE]},
            )
        cleaned[language] = _clean_value(value, choices[language])
    return cleaned


def _clean_value(value: object, choices: list[str]) -> str:
    if value is None or value == "":
        return ""
    if value == NOT:
        return NOT
    code = (
        typed_target(value, readers_locale())
        if isinstance(value, str) and len(value) <= MAX_CODE
        else None
    )
    if code is None or code not in choices:
        raise ValidationError(
            _("give one of %(choices)s, or not"), params={"choices": ", ".join(choices)}
        )
    return code


def settle_varieties(media: Media, changes: Mapping[str, str], *, user: str, via: Via) -> list[str]:
    """Sets (``""``: forgets) a person's word per language, as ``clean_settlements``
    made it; decides the item again once. The languages that changed."""
    settled = dict(media.settled_varieties or {})
    by = dict(media.varieties_settled_by or {})
    changed = [lang for lang, value in changes.items() if settled.get(lang, "") != value]
    if not changed:
        return []
    for language in changed:
        if changes[language]:
            settled[language], by[language] = changes[language], user
        else:
            settled.pop(language, None)
            by.pop(language, None)
    media.settled_varieties, media.varieties_settled_by = settled, by
    media.save(update_fields=["settled_varieties", "varieties_settled_by", "updated_at"])
    redecide(media)
    for language in changed:
        value = changes[language]
        Event.objects.create(
            instance=media.instance,
            media=media,
            kind=Event.Kind.CONFIG,
            message=f"{media.title}: {_english(language, value)} by {user} ({via})"[:2000],
            data={EVENT_KEY: {"language": language, "as": value}, "user": user, "via": via},
        )
    return changed


def _english(language: str, value: str) -> str:
    name = language_name(language)
    if not value:
        return f"{name} of unknown variety unsettled"
    if value == NOT:
        return f"{name} of unknown variety settled as none of the regional targets"
    return f"{name} of unknown variety settled as {target_name(value)}"
