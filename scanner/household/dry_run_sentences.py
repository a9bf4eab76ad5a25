"""What a person will hear, as the dry run's page says it in the reader's language:
"214 episodes will play in Canadian French.", "12 episodes have only French (France)."
(scanner.household.dry_run counts them; the codes: scanner.engine.track_choice).
One sentence per outcome and kind, the count as its noun's number; the languages named
as everywhere else (scanner.language_names)."""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy, ngettext

from scanner.engine.track_choice import ChoiceOutcome, Doubt
from scanner.household.dry_run import OutcomeCount
from scanner.language_names import language_name


def ngettext_noop(singular: str, plural: str) -> tuple[str, str]:
    """A plural sentence marked for the catalogs (scripts/messages.py), translated when
    shown, its form picked by the count (as scanner.connect.sentences does)."""
    return singular, plural


_SERIES = {
    ChoiceOutcome.VARIETY: ngettext_noop(
        "%(count)s episode will play in %(variety)s.",
        "%(count)s episodes will play in %(variety)s.",
    ),
    ChoiceOutcome.LANGUAGE: ngettext_noop(
        "%(count)s episode will play in %(language)s.",
        "%(count)s episodes will play in %(language)s.",
    ),
    ChoiceOutcome.OTHER_VARIETY: ngettext_noop(
        "%(count)s episode has only %(variety)s.",
        "%(count)s episodes have only %(variety)s.",
    ),
    ChoiceOutcome.ORIGINAL: ngettext_noop(
        "%(count)s episode will play the original, in %(language)s.",
        "%(count)s episodes will play the original, in %(language)s.",
    ),
    ChoiceOutcome.ORIGINAL_NO_SUBTITLE: ngettext_noop(
        "%(count)s episode will play the original, in %(language)s, with no subtitle "
        "%(name)s reads.",
        "%(count)s episodes will play the original, in %(language)s, with no subtitle "
        "%(name)s reads.",
    ),
    ChoiceOutcome.FALLBACK: ngettext_noop(
        "%(count)s episode has nothing %(name)s asked for: it will play in %(language)s.",
        "%(count)s episodes have nothing %(name)s asked for: they will play in %(language)s.",
    ),
    ChoiceOutcome.NONE: ngettext_noop(
        "%(count)s episode has no track %(name)s understands and no known original: "
        "nothing will be chosen.",
        "%(count)s episodes have no track %(name)s understands and no known original: "
        "nothing will be chosen.",
    ),
    ChoiceOutcome.UNCERTAIN: ngettext_noop(
        "%(count)s episode is uncertain: nothing will be chosen for it.",
        "%(count)s episodes are uncertain: nothing will be chosen for them.",
    ),
}
_MOVIES = {
    ChoiceOutcome.VARIETY: ngettext_noop(
        "%(count)s movie will play in %(variety)s.",
        "%(count)s movies will play in %(variety)s.",
    ),
    ChoiceOutcome.LANGUAGE: ngettext_noop(
        "%(count)s movie will play in %(language)s.",
        "%(count)s movies will play in %(language)s.",
    ),
    ChoiceOutcome.OTHER_VARIETY: ngettext_noop(
        "%(count)s movie has only %(variety)s.",
        "%(count)s movies have only %(variety)s.",
    ),
    ChoiceOutcome.ORIGINAL: ngettext_noop(
        "%(count)s movie will play the original, in %(language)s.",
        "%(count)s movies will play the original, in %(language)s.",
    ),
    ChoiceOutcome.ORIGINAL_NO_SUBTITLE: ngettext_noop(
        "%(count)s movie will play the original, in %(language)s, with no subtitle %(name)s reads.",
        "%(count)s movies will play the original, in %(language)s, with no subtitle "
        "%(name)s reads.",
    ),
    ChoiceOutcome.FALLBACK: ngettext_noop(
        "%(count)s movie has nothing %(name)s asked for: it will play in %(language)s.",
        "%(count)s movies have nothing %(name)s asked for: they will play in %(language)s.",
    ),
    ChoiceOutcome.NONE: ngettext_noop(
        "%(count)s movie has no track %(name)s understands and no known original: "
        "nothing will be chosen.",
        "%(count)s movies have no track %(name)s understands and no known original: "
        "nothing will be chosen.",
    ),
    ChoiceOutcome.UNCERTAIN: ngettext_noop(
        "%(count)s movie is uncertain: nothing will be chosen for it.",
        "%(count)s movies are uncertain: nothing will be chosen for them.",
    ),
}
_DOUBTS: dict[Doubt, Promise] = {
    Doubt.RELEASE_SET: gettext_lazy(
        "The release name says the file holds %(language)s, not which track it is."
    ),
    Doubt.SAME_LANGUAGE: gettext_lazy(
        "Several tracks are in %(language)s and nothing tells them apart."
    ),
    Doubt.MISLABELED: gettext_lazy(
        "Listening heard another language than the one marked on a track that could be "
        "%(language)s."
    ),
    Doubt.UNLABELLED: gettext_lazy("A track has no language and nothing was heard from it."),
}


def outcome_sentence(
    kind: str, outcome: ChoiceOutcome, count: int, language: str | None, name: str
) -> str:
    """One count of the dry run as a sentence: ``kind`` "series" counts episodes, any
    other kind movies."""
    table = _SERIES if kind == "series" else _MOVIES
    shown = language_name(language) if language else ""
    values = {"variety": shown, "language": shown, "name": name}
    singular, plural = table[outcome]
    shown_count = number_format(count, force_grouping=True)  # in the reader's digits
    return ngettext(singular, plural, count) % {"count": shown_count, **values}


def count_sentence(count: OutcomeCount, name: str) -> str:
    return outcome_sentence(count.kind, count.outcome, count.count, count.language, name)


def doubt_sentence(doubt: Doubt, language: str | None) -> str:
    """Why an item's choice is uncertain."""
    shown = language_name(language) if language else ""
    return str(_DOUBTS[doubt]) % {"language": shown}
