"""Form fields for list settings: one item per line, comma lists, path mappings."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext


class LinesField(forms.CharField):
    """A list of strings edited as one item per line."""

    widget = forms.Textarea(attrs={"rows": 3, "cols": 60})

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return "\n".join(value)
        return value

    def to_python(self, value: Any) -> list[str]:
        text = super().to_python(value) or ""
        return [line.strip() for line in text.splitlines() if line.strip()]


class CommaListField(forms.CharField):
    """A list of short codes edited as ``en, de``."""

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return ", ".join(value)
        return value

    def to_python(self, value: Any) -> list[str]:
        text = super().to_python(value) or ""
        return [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]


class PathMappingsField(forms.CharField):
    """Path mappings edited as ``remote => local``, one per line."""

    widget = forms.Textarea(attrs={"rows": 3, "cols": 60})
    separator = "=>"

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return "\n".join(f"{m['remote']} {self.separator} {m['local']}" for m in value)
        return value

    def to_python(self, value: Any) -> list[dict[str, str]]:
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
