"""The message an answer posts in Seerr (issue 72), composed in the asker's language (the
first of their person's languages Taggarr speaks, else the site's): where the item
stands, and the quality profile set for the ask (issue 82), each a sentence of its own;
the same message is made again in a notifier's language for Taggarr's own notifications."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.utils import translation

from scanner.language_names import ui_language_of
from scanner.models import Media, Person, ProfileChange, SeerrAsk
from scanner.seerr.decision import Change
from scanner.seerr.profiles import profile_sentence
from scanner.seerr.sentences import arrived_text, asked_title, standing_text


@dataclass(frozen=True)
class Message:
    text: str  # in the asker's language: what Seerr is sent
    sentence: Callable[[], str]  # the same, made in the active language when called


def compose(
    ask: SeerrAsk,
    media: Media,
    change: Change,
    *,
    searching: bool,
    profile: ProfileChange | None = None,
) -> Message:
    """Where the item stands for the asked language (``searching``: a search was queued),
    or that the language arrived; then, in a paragraph of its own, the quality ``profile``
    Taggarr set for the ask and why (issue 82), when it was not told yet."""

    def told() -> str:
        title = asked_title(media.title, ask.seasons or ())
        if change.arrived:
            said = arrived_text(title=title, wanted=ask.language)
        else:
            said = standing_text(
                change.standing, title=title, wanted=ask.language, searching=searching
            )
        if change.standing.state == change.before and profile is not None:
            return profile_sentence(profile)  # said already: only the profile is news
        return said if profile is None else f"{said}\n\n{profile_sentence(profile)}"

    person = ask.asker.person if ask.asker is not None else None
    with translation.override(reader_language(person)):
        text = told()
    return Message(text, told)


def reader_language(person: Person | None) -> str:
    """The first of the person's languages Taggarr speaks (pt-BR for Portuguese), else
    the site's."""
    found = ui_language_of(person.languages) if person is not None else None
    return found or settings.LANGUAGE_CODE
