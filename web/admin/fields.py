"""Form fields for list settings: one item per line, comma lists, path mappings."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.utils.translation import gettext

from scanner import validators
from scanner.engine.languages import MAX_LANGUAGE, canonical, short_code
from scanner.engine.target_aliases import read_language, typed_target
from scanner.engine.targets import is_regional
from scanner.language_names import readers_locale


class LinesField(forms.CharField):
    """A list of strings edited as one item per line."""

    widget = forms.Textarea(attrs={"rows": 3, "cols": 60})

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return "\n".join(value)
        return value

    # A form field's to_python gives the field's own value (a list here); the stubs tie
    # CharField's to str. The text is read by CharField's (stripped, empty as "").
    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        return [line.strip() for line in text.splitlines() if line.strip()]


class CommaListField(forms.CharField):
    """A list of short codes edited as ``en, de``."""

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return ", ".join(value)
        return value

    # CharField's to_python, typed str by the stubs: see LinesField.
    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        return [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]


class LanguageListField(CommaListField):
    """Languages edited as their hint shows them, ``en, de`` (a variety by its tag,
    ``fr-CA``), stored as their codes (``eng``, ``deu``, ``fr-CA``), read by the one
    reader the API and the import read by (engine.target_aliases: a name in the reader's
    language, ``Französisch``, its own, ``Deutsch``, English; ``VFQ``, ``Latino``);
    anything else is left as typed, for the model's validation to refuse with the
    nearest names."""

    def __init__(self, *args: Any, targets: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.code_of: Callable[[str, str], str | None] = typed_target if targets else read_language

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return ", ".join(shown_code(str(code)) for code in value)
        return value

    # CharField's to_python, typed str by the stubs: see LinesField.
    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        return [self._code(part) for part in super().to_python(value)]

    def _code(self, typed: str) -> str:
        return self.code_of(typed, readers_locale()) or typed


class LanguageField(forms.CharField):
    """One language (no variety: an original language), typed as people write it and
    read by the one reader (scanner.validators.clean_language over engine.target_aliases:
    ``anglais`` to a French reader, ``Englisch``, ``English``, ``en``, ``eng``; ``VFQ`` is
    French); stored as its ISO 639-3 code, shown as the short one. A value read no way
    is refused with the nearest names in the reader's language, never cut to the
    column's three characters (``anglais`` is no ``ang``, Old English)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", MAX_LANGUAGE)
        super().__init__(*args, **kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, str) and len(value) == 3 and value.islower():
            return shown_code(value)  # a stored code; typed text is shown as typed
        return value

    def clean(self, value: Any) -> str:
        text: str = super().clean(value)
        return validators.clean_language(text)


def shown_code(code: str) -> str:
    """A stored language as the form shows it: ``deu`` is ``de``, ``fr-CA`` stays."""
    if is_regional(code):
        return code
    found = canonical(code)
    return short_code(found) if found else code


class PathMappingsField(forms.CharField):
    """Path mappings edited as ``remote => local``, one per line."""

    widget = forms.Textarea(attrs={"rows": 3, "cols": 60})
    separator = "=>"

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return "\n".join(f"{m['remote']} {self.separator} {m['local']}" for m in value)
        return value

    # CharField's to_python, typed str by the stubs: see LinesField.
    def to_python(self, value: Any) -> list[dict[str, str]]:  # type: ignore[override]
        text = super().to_python(value) or ""
        mappings = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            if self.separator not in line:
                raise forms.ValidationError(
                    gettext("line %(number)d: write it as 'remote => local'") % {"number": number}
                )
            remote, local = (part.strip() for part in line.split(self.separator, 1))
            mappings.append({"remote": remote, "local": local})
        return mappings
