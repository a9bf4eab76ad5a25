"""A person's decisions on what an item's verdict guessed (the review list, issue 44):
confirm the guesses, or say what the unknown tracks are. (The original language is
scanner.actions.original_language.) Each decision is kept across scans, is an event,
and decides the item again from its stored tracks at once: no file is read."""

from __future__ import annotations

from scanner.engine.languages import language_name
from scanner.models import Event, Media
from scanner.models.choices import Via
from scanner.pipeline.scanning.decide import redecide


def confirm_guesses(media: Media, *, user: str, via: Via) -> Media:
    """The verdict stands as guessed: out of the review list until another guess appears."""
    codes = [reason.get("code") for reason in media.review_reasons or []]
    media.review_confirmed = [code for code in codes if code]
    media.needs_review = False
    media.save(update_fields=["review_confirmed", "needs_review", "updated_at"])
    _record(media, f"guesses confirmed ({', '.join(media.review_confirmed) or 'none'})", user, via)
    return media


def set_unknown_language(media: Media, code: str, *, user: str, via: Via) -> Media:
    """Take the item's audio tracks without a language as ``code`` (canonical, validated
    by the caller); "" goes back to the rules' guess."""
    if code == media.unknown_language:
        return media
    media.unknown_language = code
    media.save(update_fields=["unknown_language", "updated_at"])
    redecide(media)
    what = f"taken as {language_name(code)} ({code})" if code else "guessed by the rules again"
    _record(media, f"tracks without a language {what}", user, via, unknown_language=code)
    return media


def _record(media: Media, what: str, user: str, via: Via, **data: str) -> None:
    Event.objects.create(
        instance=media.instance,
        media=media,
        kind=Event.Kind.REVIEW,
        message=f"{media.title}: {what} by {user} ({via})"[:2000],
        data={**data, "user": user, "via": via},
    )
