"""Languages and target languages, as codes, tags or names."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from scanner.engine.language_words import key
from scanner.engine.languages import canonical, short_code, validate_languages
from scanner.engine.real_targets import real_target
from scanner.engine.target_aliases import nearest, read_language
from scanner.engine.targets import is_regional, target_code
from scanner.errors import ConfigError, UnknownLanguageError
from scanner.language_names import inner_name, language_label, language_name, readers_locale
from scanner.validators.common import invalid

UNKNOWN_LANGUAGE = _("unknown language '%(value)s': give a code such as de or deu, or its name")
# A refused language with the languages whose names or codes are closest to it, each as
# "name (code)": "unknown language 'VFQ': did you mean French (fr)?".
UNKNOWN_LANGUAGE_NEAR = _("unknown language '%(value)s': did you mean %(suggestions)s?")
UNKNOWN_TARGET = _(
    "unknown language or region %(value)s: give a language such as de, or a language and a "
    "country or region such as fr-CA or es-419"
)
# A refused word (one that parses as no code or tag) with the names closest to it
# (engine.target_aliases.nearest), each as SUGGESTION or as "name (code)".
UNKNOWN_TARGET_NEAR = _("unknown language or region '%(value)s': did you mean %(suggestions)s?")
# One name offered: the word as people write it, the language it names, its code:
# "VFQ (français canadien, fr-CA)"; the name without brackets of its own
# (language_names.inner_name: "VFQ (kanadisches Französisch, fr-CA)").
SUGGESTION = _("%(word)s (%(name)s, %(code)s)")
SHOWN_VALUE = 40  # characters of a refused value quoted back


def clean_languages(values: Any, *, allow_empty: bool) -> list[str]:
    """Languages as codes, in the order given, each once: read as the reader types them
    (engine.target_aliases.read_language: ``de``, ``Deutsch``, ``allemand`` to a French
    reader, ``VFQ``), refused with the nearest names in the reader's language."""
    return _clean_codes(
        values, allow_empty=allow_empty, validate=_validate_languages, unknown=_unknown_language
    )


def _validate_languages(values: list[str]) -> list[str]:
    return validate_languages(values, code_of=partial(read_language, locale=readers_locale()))


def _unknown_language(value: object) -> ValidationError:
    """A refused language, with the languages nearest to it (a variety's word, VFQ,
    suggests its language: a language field keeps no variety)."""
    shown = str(value)[:SHOWN_VALUE]
    labels: list[str] = []
    for _word, code in nearest(shown, readers_locale()):
        language = canonical(code)  # a variety's language; None: no language of its own
        label = language_label(short_code(language)) if language else ""
        if label and label not in labels:
            labels.append(label)
    if not labels:
        return invalid(UNKNOWN_LANGUAGE, value=shown)
    return invalid(UNKNOWN_LANGUAGE_NEAR, value=shown, suggestions=", ".join(labels))


def clean_targets(values: Any) -> list[str]:
    """Target languages: as ``clean_languages`` (engine.target_aliases.typed_target), and
    a variety stays one (``fr-CA``,
    ``es-419``, ``yue``: engine.targets); only real languages, regions and scripts
    (engine.real_targets: not ``e``, ``es-999`` nor ``fr-Cyrl-CA``)."""
    return _clean_codes(
        values, allow_empty=False, validate=_validate_real_targets, unknown=_unknown_target
    )


def _unknown_target(value: object) -> ValidationError:
    """A refused target, with the names nearest to it when some are near."""
    shown = str(value)[:SHOWN_VALUE]
    # A code or tag that parses (e, es-999, fr-Cyrl-CA) is told how a target is written.
    near = nearest(shown, readers_locale()) if target_code(shown) is None else []
    suggestions = ", ".join(map(_suggestion, near))
    if not suggestions:
        return invalid(UNKNOWN_TARGET, value=repr(shown))
    return invalid(UNKNOWN_TARGET_NEAR, value=shown, suggestions=suggestions)


def _suggestion(found: tuple[str, str]) -> str:
    word, code = found
    shown = code if is_regional(code) else short_code(code)  # as the forms show it
    name = language_name(code)
    if key(word) in (key(shown), key(name)):  # "français canadien (fr-CA)"
        return language_label(shown)
    return str(SUGGESTION % {"word": word, "name": inner_name(code), "code": shown})


def _validate_real_targets(values: list[str]) -> list[str]:
    return validate_languages(values, code_of=partial(real_target, locale=readers_locale()))


def _clean_codes(
    values: Any,
    *,
    allow_empty: bool,
    validate: Callable[[list[str]], list[str]],
    unknown: Callable[[object], ValidationError],
) -> list[str]:
    if isinstance(values, str):
        values = [part for part in values.replace(" ", ",").split(",") if part]
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise ValidationError(_("give a list of language codes such as ['en', 'de']"))
    if not values and not allow_empty:
        raise ValidationError(_("give at least one language"))
    try:
        return validate(values)
    except UnknownLanguageError as exc:
        raise unknown(exc.value) from None
    except ConfigError as exc:
        raise invalid("%(reason)s", reason=str(exc)) from None


def clean_language(value: str) -> str:
    if not value:
        return ""
    return clean_languages([value], allow_empty=False)[0]
