"""The guard at the *arr in words (issue 62, scanner.arr.profile_guard): the sentences
the connection test says per target language, and the dashboard's section, read from
the last connection test that checked the profiles (the page never asks the *arr)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext, ngettext

from scanner.arr.profile_guard import MAX_TARGETS, LanguageGuard
from scanner.connect.sentences import said
from scanner.language_names import language_name
from scanner.models import Event, Instance

CONNECTION_TEST = "connection_test"  # scanner.actions.check_instance records it
PROFILE_GUARD = "profile_guard"  # its key inside a connection test's data


def guard_lines(arr: str, guards: list[LanguageGuard]) -> list[str]:
    """One or more sentences per target language, in the reader's language."""
    return [text for text, _warning in marked_lines(arr, guards)]


def marked_lines(arr: str, guards: list[LanguageGuard]) -> list[tuple[str, bool]]:
    """``guard_lines``, each with whether it warns."""
    lines: list[tuple[str, bool]] = []
    for guard in guards:
        lines.extend(_language_lines(arr, guard))
    return lines


def could_not_check(arr: str, error: str) -> str:
    return gettext("could not check %(arr)s's quality profiles and custom formats: %(error)s") % {
        "arr": arr,
        "error": error,
    }


def _language_lines(arr: str, guard: LanguageGuard) -> list[tuple[str, bool]]:
    warnings = _warning_lines(arr, guard)
    notes = _note_lines(arr, guard)
    return [(line, True) for line in warnings] + [(line, False) for line in notes]


def _warning_lines(arr: str, guard: LanguageGuard) -> list[str]:
    language = language_name(guard.target)
    if not guard.arr_languages:
        return [
            gettext("%(arr)s has no language for %(language)s: no custom format can score it.")
            % {"arr": arr, "language": language}
        ]
    lines = _profile_language_lines(arr, guard, language)
    if guard.exposed:
        count = len(guard.exposed) + guard.more.get("exposed", 0)
        lines.append(
            ngettext(
                "%(arr)s's profile %(profiles)s scores no format with %(language)s: an upgrade "
                "may drop the %(language)s dub.",
                "%(arr)s's profiles %(profiles)s score no format with %(language)s: an upgrade "
                "may drop the %(language)s dub.",
                count,
            )
            % {"arr": arr, "profiles": _listed(guard, "exposed", ", "), "language": language}
        )
        if guard.language_only_formats:
            lines.append(
                ngettext(
                    "%(formats)s matches every %(plain)s release, whatever its variety: it "
                    "does not keep the %(language)s dub.",
                    "%(formats)s match every %(plain)s release, whatever its variety: they "
                    "do not keep the %(language)s dub.",
                    len(guard.language_only_formats) + guard.more.get("language_only_formats", 0),
                )
                % {
                    "formats": _listed(guard, "language_only_formats", " / "),
                    "plain": language_name(guard.target.split("-")[0]),
                    "language": language,
                }
            )
        if guard.unscored_formats:
            lines.append(
                ngettext(
                    "Give %(formats)s a positive score in that profile.",
                    "Give %(formats)s a positive score in those profiles.",
                    count,
                )
                % {"formats": _listed(guard, "unscored_formats", " / ")}
            )
        elif guard.trash_formats:
            lines.append(
                ngettext(
                    "What to add: the TRaSH guides' custom format %(formats)s, with a positive "
                    "score.",
                    "What to add: one of the TRaSH guides' custom formats %(formats)s, with a "
                    "positive score.",
                    len(guard.trash_formats),
                )
                % {"formats": _listed(guard, "trash_formats", " / ")}
            )
    return lines


def _profile_language_lines(arr: str, guard: LanguageGuard, language: str) -> list[str]:
    """Radarr's profiles whose language rejects a release dubbed in ``language`` only."""
    lines = []
    values = {"arr": arr, "language": language, "arr_language": guard.arr_languages[0]}
    if guard.original_language_profiles:
        count = len(guard.original_language_profiles) + guard.more.get(
            "original_language_profiles", 0
        )
        values["profiles"] = _listed(guard, "original_language_profiles", ", ")
        lines.append(
            ngettext(
                "%(arr)s's profile %(profiles)s has the language Original: it rejects every "
                "release dubbed in %(language)s only. Set its language to Any or "
                "%(arr_language)s.",
                "%(arr)s's profiles %(profiles)s have the language Original: they reject every "
                "release dubbed in %(language)s only. Set their language to Any or "
                "%(arr_language)s.",
                count,
            )
            % values
        )
    if guard.other_language_profiles:
        count = len(guard.other_language_profiles) + guard.more.get("other_language_profiles", 0)
        values["profiles"] = _listed(guard, "other_language_profiles", ", ")
        lines.append(
            ngettext(
                "%(arr)s's profile %(profiles)s wants another language than %(language)s: it "
                "rejects every release dubbed in %(language)s only. Set its language to Any "
                "or %(arr_language)s.",
                "%(arr)s's profiles %(profiles)s want another language than %(language)s: they "
                "reject every release dubbed in %(language)s only. Set their language to Any "
                "or %(arr_language)s.",
                count,
            )
            % values
        )
    return lines


def _note_lines(arr: str, guard: LanguageGuard) -> list[str]:
    language = language_name(guard.target)
    lines: list[str] = []
    if not guard.arr_languages:
        return lines
    if guard.exposed:
        pass
    elif guard.protected:
        lines.append(
            gettext(
                "%(arr)s's profiles keep the %(language)s dub through an upgrade (%(formats)s)."
            )
            % {
                "language": language,
                "arr": arr,
                "formats": _listed(guard, "protecting_formats", ", "),
            }
        )
    elif guard.safe:
        lines.append(
            gettext("%(arr)s's profiles allow no upgrade: none can drop the %(language)s dub.")
            % {"language": language, "arr": arr}
        )
    if guard.variety_checked:
        lines.append(
            gettext(
                "%(arr)s's languages do not tell %(language)s from the other varieties of its "
                "language: only a custom format on the release title keeps it."
            )
            % {"arr": arr, "language": language}
        )
    elif not guard.variety_told:
        lines.append(
            gettext(
                "%(arr)s's languages do not tell %(language)s from the other varieties of its "
                "language: what is checked is the language alone."
            )
            % {"arr": arr, "language": language}
        )
        if guard.variety_formats:
            lines.append(
                gettext(
                    "Only a format on the release title keeps that variety: the TRaSH guides' "
                    "%(formats)s."
                )
                % {"formats": _listed(guard, "variety_formats", " / ")}
            )
    return lines


def unread_lines(arr: str, unread: Any) -> list[str]:
    """What was past the bounds of the lists read (scanner.arr.profiles): not checked."""
    counts = unread if isinstance(unread, dict) else {}
    count = sum(value for value in counts.values() if isinstance(value, int) and value > 0)
    if not count:
        return []
    return [
        ngettext(
            "%(arr)s lists more quality profiles, custom formats or languages than Taggarr "
            "reads: %(count)d of them was not checked.",
            "%(arr)s lists more quality profiles, custom formats or languages than Taggarr "
            "reads: %(count)d of them were not checked.",
            count,
        )
        % {"arr": arr, "count": count}
    ]


def _listed(guard: LanguageGuard, name: str, separator: str) -> str:
    """A list of the guard's names, and how many more it left out (its bound)."""
    names = separator.join(getattr(guard, name))
    more = guard.more.get(name, 0)
    if not more:
        return names
    return ngettext("%(names)s and %(count)d more", "%(names)s and %(count)d more", more) % {
        "names": names,
        "count": more,
    }


def profile_guard_rows() -> list[dict[str, Any]]:
    """Per *arr instance whose last connection test checked its profiles: its name, the
    sentences (in the reader's language, each with whether it warns) and when. The
    dashboard's section."""
    latest = (
        Event.objects.filter(
            instance=OuterRef("pk"),
            kind=Event.Kind.CONFIG,
            **{f"data__{CONNECTION_TEST}__has_key": PROFILE_GUARD},
        )
        .order_by("-created_at", "-id")
        .values("id")[:1]
    )
    instances = (
        Instance.objects.exclude(kind=Instance.Kind.LIBRARY)
        .annotate(guard_event=Subquery(latest))
        .exclude(guard_event=None)
        .order_by("name")
    )
    events = Event.objects.in_bulk([row.guard_event for row in instances])
    rows = []
    for instance in instances:
        event = events.get(instance.guard_event)
        if event is None:
            continue
        stored = (event.data.get(CONNECTION_TEST) or {}).get(PROFILE_GUARD) or {}
        lines = stored_lines(str(instance.get_kind_display()), stored)
        if lines:
            rows.append({"instance": instance, "lines": lines, "at": event.created_at})
    return rows


def stored_lines(arr: str, stored: Mapping[str, Any]) -> list[tuple[str, bool]]:
    """The guard's sentences made again from its kept result (scanner.actions.profile_guard),
    in the reader's language, each with whether it warns."""
    if stored.get("error"):
        return [(could_not_check(arr, said(stored["error"])), True)]
    stored_guards = stored.get("languages")
    guards = [
        LanguageGuard.from_data(d)
        for d in (stored_guards if isinstance(stored_guards, list) else [])[:MAX_TARGETS]
    ]
    lines = marked_lines(arr, [g for g in guards if g is not None])
    lines.extend((line, True) for line in unread_lines(arr, stored.get("unread")))
    return lines


def kept_test_lines(test: Mapping[str, Any]) -> list[str]:
    """A kept connection test's lines in the reader's language: each fact by its code
    (scanner.connect.sentences.said), the guard's sentences made again from its result,
    in place of those it was said in when the test ran (by whoever ran it, or in the
    server's language for a scheduled one). A test kept before the guard's place was
    kept shows its lines as they were said."""
    lines = [said(line) for line in test.get("lines") or []]
    stored = test.get(PROFILE_GUARD)
    if not isinstance(stored, Mapping):
        return lines
    span, arr = stored.get("lines"), stored.get("arr")
    if not (isinstance(span, list) and len(span) == 2 and isinstance(arr, str)):
        return lines
    start, stop = span
    if not (isinstance(start, int) and isinstance(stop, int) and 0 <= start <= stop <= len(lines)):
        return lines
    lines[start:stop] = [text for text, _warning in stored_lines(arr, stored)]
    return lines
